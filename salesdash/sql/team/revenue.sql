-- grain: one row per $by (sales_rep | manager) with sales in the scope: revenue only (for the
-- change against the previous period), from the small product-day rollup.
with team as (
    select sales_rep, any_value(manager) as manager
    from teams
    group by sales_rep
),

per_rep as (
    select sales_rep, sum(revenue) as revenue
    -- no item filter, as in scorecards.sql (the customer-day rollup has no items)
    from scoped_product_days($start_date, $end_date, $regions, $channels, $sales_reps, [], [])
    where sales_rep is not null
    group by sales_rep
)

select
    case $by when 'manager' then t.manager else r.sales_rep end as member,
    sum(r.revenue) as revenue
from per_rep as r
left join team as t on t.sales_rep = r.sales_rep
group by 1
