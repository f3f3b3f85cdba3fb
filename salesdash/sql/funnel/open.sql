-- grain: one row per group and open stage: open deals created in the period, their count and
-- amount (a deal without amount counts, adds nothing, and is counted in n_without_amount).
select
    funnel_group($by, region, sales_rep, product, source, created_date, close_date) as group_key,
    case when $by = 'sales_rep' then region end as group_region,
    stage_rank(stage) as stage_rank,
    count(*) as n_open,
    coalesce(sum(amount), 0) as open_amount,
    count(*) filter (where amount is null) as n_without_amount
from opportunities
where stage_rank(stage) <= 4
    and created_date between $start_date and $end_date
    and in_list($regions, region)
    and in_list($sales_reps, sales_rep)
    and in_list($products, product)
group by all
