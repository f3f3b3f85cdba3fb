-- grain: one row: the sales KPIs of a scope (no category/product filter), from the rollups.
-- One pass: revenue and orders per customer first, then customers are the rows.
-- new = active with first order ever in the period; returning = active with an order before it.
with per_customer as (
    select
        customer_key,
        sum(revenue) as revenue,
        sum(n_orders) as n_orders
    from rollup_sales_customer_day
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
    group by customer_key
)

select
    coalesce(sum(p.revenue), 0) as revenue,
    coalesce(sum(p.n_orders), 0) as n_orders,
    count(p.customer_key) as active_customers,
    count(p.customer_key) filter (where c.first_order_date >= $start_date) as new_customers,
    count(p.customer_key) filter (where c.first_order_date < $start_date) as returning_customers
from per_customer as p
left join rollup_sales_customer as c on c.customer_key = p.customer_key
