-- grain: one row: the sales KPIs of a scope (no category/product filter), from the rollups.
-- new = active with first order ever in the period; returning = active with an order before it.
with scoped as (
    select customer_key, revenue, n_orders
    from rollup_sales_customer_day
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
),

active as (
    select distinct customer_key from scoped where customer_key is not null
),

lifecycle as (
    select
        count(*) as active_customers,
        count(*) filter (where c.first_order_date >= $start_date) as new_customers,
        count(*) filter (where c.first_order_date < $start_date) as returning_customers
    from active as a
    inner join rollup_sales_customer as c on c.customer_key = a.customer_key
)

select
    coalesce((select sum(revenue) from scoped), 0) as revenue,
    coalesce((select sum(n_orders) from scoped), 0) as n_orders,
    active_customers,
    new_customers,
    returning_customers
from lifecycle
