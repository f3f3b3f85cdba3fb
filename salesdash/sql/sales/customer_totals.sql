-- grain: one row per customer with orders in the scope (no category/product filter):
-- revenue, orders, and whether the customer is new (first order ever in the period).
with per_customer as (
    select
        customer_key,
        any_value(first_order_date) >= $start_date as is_new,
        sum(revenue) as revenue,
        sum(n_orders) as n_orders,
        sum(n_lines) as n_lines
    from rollup_sales_customer_day
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
    group by customer_key
)

select
    c.customer_id as value,
    p.revenue,
    p.n_orders,
    p.n_lines,
    (p.customer_key is not null)::integer as n_customers,
    coalesce(p.is_new, false)::integer as n_new_customers
from per_customer as p
left join rollup_sales_customer as c on c.customer_key = p.customer_key
