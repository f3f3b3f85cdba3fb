-- grain: one row per group × reached stage rank × stage × (created in the period, closed in the
-- period, undated): counts and amounts of the opportunities in the scope's filters, in ONE scan.
-- funnel.py derives the funnel, win rate, open pipeline, historical stage win rates and the
-- undated count from it (see its module doc for the conventions). A lost deal without a known
-- lost_stage has reached_rank null here: funnel.py fills in the assumed stage.
with scoped as (
    select
        funnel_group($by, region, sales_rep, product, source, created_date, close_date) as group_key,
        case when $by = 'sales_rep' then region end as group_region,
        reached_rank(stage, lost_stage) as reached_rank,
        stage,
        amount,
        coalesce(created_date between $start_date and $end_date, false) as is_created_in_period,
        stage in ('won', 'lost')
        and coalesce(
            case
                when $by = 'month' then created_date
                else coalesce(close_date, created_date)
            end between $start_date and $end_date,
            false
        ) as is_closed_in_period,
        created_date is null as is_undated
    from scoped_opportunities($regions, $sales_reps, $products)
)

select
    group_key,
    group_region,
    reached_rank,
    stage,
    is_created_in_period,
    is_closed_in_period,
    is_undated,
    count(*) as n,
    coalesce(sum(amount), 0) as amount,
    count(amount) as n_with_amount
from scoped
group by all
