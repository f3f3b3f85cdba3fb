-- grain: one row per group and reached stage rank: opportunities created in the period (rows
-- without created_date belong to no period), counted at the last stage they reached.
with scoped as (
    select
        funnel_group($by, region, sales_rep, product, source, created_date, close_date) as group_key,
        case when $by = 'sales_rep' then region end as group_region,
        reached_rank(stage, lost_stage, $assumed_lost_rank) as reached_rank,
        amount
    from opportunities
    where created_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($sales_reps, sales_rep)
        and in_list($products, product)
)

select
    group_key,
    group_region,
    reached_rank,
    count(*) as n,
    coalesce(sum(amount), 0) as amount
from scoped
where reached_rank is not null
group by all
