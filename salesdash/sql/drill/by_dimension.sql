-- grain: one row per value of $by (any dimension, customer too) under any filter, including a
-- set of customers ($customer_keys, with $key_min..$key_max so a drill reads few row groups).
-- Slower than sales/by_dimension.sql and sales/customers_by_dimension.sql: for drills into
-- customers and item filters.
with grouped as (
    select
        sales_dimension($by, region, channel, sales_rep, category, product) as dim_value,
        case when $by = 'customer' then customer_key end as by_customer,
        customer_key,
        sum(revenue) as revenue,
        sum(order_count($order_count, n_orders, n_category_orders, n_orders_total)) as n_orders,
        sum(n_lines) as n_lines
    from scoped_customer_cube(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products,
        $all_customers, $key_min, $key_max, $customer_keys
    )
    group by 1, 2, 3
)

select
    coalesce(g.dim_value, bc.customer_id) as value,
    sum(g.revenue) as revenue,
    sum(g.n_orders) as n_orders,
    sum(g.n_lines) as n_lines,
    count(g.customer_key) as n_customers,
    count(g.customer_key) filter (where c.first_order_date >= $start_date) as n_new_customers
from grouped as g
left join rollup_sales_customer as c on c.customer_key = g.customer_key
left join rollup_sales_customer as bc on bc.customer_key = g.by_customer
group by g.dim_value, g.by_customer, bc.customer_id
