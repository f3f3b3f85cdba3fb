-- grain: one row per period (ds, truncated to $grain) × value of $by ('total' for one series).
-- $shift_years moves dates forward (1 = last year drawn on this year's axis).
select
    date_trunc($grain, order_date + to_years(cast($shift_years as integer)))::date as ds,
    sales_dimension($by, region, channel, sales_rep, category, product, otherwise := 'total') as value,
    sum(revenue) as revenue,
    sum(order_count($order_count, n_orders, n_category_orders, n_orders_total)) as n_orders
from scoped_product_days(
    $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
)
group by 1, 2
order by 1, 2
