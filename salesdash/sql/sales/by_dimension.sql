-- grain: one row per value of $by (region|channel|sales_rep|category|product) in the scope.
-- $order_count picks the exact order count for the question (see rollups/sales_customer_cube.sql):
-- 'product' → n_orders, 'category' → n_category_orders, else n_orders_total.
select
    sales_dimension($by, region, channel, sales_rep, category, product) as value,
    sum(revenue) as revenue,
    sum(order_count($order_count, n_orders, n_category_orders, n_orders_total)) as n_orders,
    sum(n_lines) as n_lines,
    sum(quantity) as quantity
from scoped_product_days(
    $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
)
group by 1
