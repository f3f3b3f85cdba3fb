-- grain: one row per group: the sales cycle (close_date − created_date, days) of the deals won
-- in the period (for by = 'month', won by the cohorts created in the period): quartiles.
with won as (
    select
        funnel_group($by, region, sales_rep, product, source, created_date, close_date) as group_key,
        case when $by = 'sales_rep' then region end as group_region,
        close_date - created_date as cycle_days
    from scoped_opportunities($regions, $sales_reps, $products)
    where stage = 'won'
        and close_date >= created_date
        and case
            when $by = 'month' then created_date
            else close_date
        end between $start_date and $end_date
),

by_group as (
    -- one quantile call with a list of quantiles sorts each group once, not three times
    select group_key, group_region, quantile_cont(cycle_days, [0.25, 0.5, 0.75]) as quartiles
    from won
    group by all
)

select
    group_key,
    group_region,
    quartiles[1] as p25_cycle_days,
    quartiles[2] as median_cycle_days,
    quartiles[3] as p75_cycle_days
from by_group
