-- grain: one row per period (ds, truncated to $grain) × value of $by, under any filter
-- including a set of customers (see by_dimension.sql).
with grouped as (
    select
        date_trunc($grain, order_date + to_years(cast($shift_years as integer)))::date as ds,
        sales_dimension(
            $by, region, channel, sales_rep, category, product,
            otherwise := case when $by = 'customer' then null else 'total' end
        ) as dim_value,
        case when $by = 'customer' then customer_key end as by_customer,
        sum(revenue) as revenue,
        sum(order_count($order_count, n_orders, n_category_orders, n_orders_total)) as n_orders
    from scoped_customer_cube(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products,
        $all_customers, $key_min, $key_max, $customer_keys
    )
    group by 1, 2, 3
)

select
    g.ds,
    coalesce(g.dim_value, bc.customer_id) as value,
    g.revenue,
    g.n_orders
from grouped as g
left join rollup_sales_customer as bc on bc.customer_key = g.by_customer
order by 1, 2
