-- grain: one row per group: deals won or lost in the period (closed on close_date, or on
-- created_date when the export has no close date); for by = 'month' (creation cohorts) the
-- deals of the cohorts created in the period instead, whenever they closed.
with closed as (
    select
        funnel_group($by, region, sales_rep, product, source, created_date, close_date) as group_key,
        case when $by = 'sales_rep' then region end as group_region,
        stage,
        amount,
        case
            when stage = 'won' and close_date >= created_date then close_date - created_date
        end as cycle_days
    from opportunities
    where stage in ('won', 'lost')
        and case
            when $by = 'month' then created_date
            else coalesce(close_date, created_date)
        end between $start_date and $end_date
        and in_list($regions, region)
        and in_list($sales_reps, sales_rep)
        and in_list($products, product)
)

select
    group_key,
    group_region,
    count(*) filter (where stage = 'won') as n_won,
    count(*) filter (where stage = 'lost') as n_lost,
    coalesce(sum(amount) filter (where stage = 'won'), 0) as won_amount,
    quantile_cont(cycle_days, 0.25) as p25_cycle_days,
    quantile_cont(cycle_days, 0.5) as median_cycle_days,
    quantile_cont(cycle_days, 0.75) as p75_cycle_days
from closed
group by all
