-- grain: one row per $by (sales_rep | manager) with sales in the scope: revenue only (for the
-- change against the previous period), from the small product-day rollup.
with team as (
    select sales_rep, any_value(manager) as manager
    from teams
    group by sales_rep
),

per_rep as (
    select sales_rep, sum(revenue) as revenue
    from rollup_sales_product_day
    where
        order_date between $start_date and $end_date
        and sales_rep is not null
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
    group by sales_rep
)

select
    case $by when 'manager' then t.manager else r.sales_rep end as member,
    sum(r.revenue) as revenue
from per_rep as r
left join team as t on t.sales_rep = r.sales_rep
group by 1
