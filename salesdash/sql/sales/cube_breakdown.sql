-- grain: one row per value of $by (region|channel|sales_rep|category|product) in the scope.
-- $order_count picks the exact order count for the question (see rollups/sales_customer_cube.sql):
-- 'product' → n_orders, 'category' → n_category_orders, else n_orders_total.
select
    case $by
        when 'region' then region
        when 'channel' then channel
        when 'sales_rep' then sales_rep
        when 'category' then category
        when 'product' then product
    end as value,
    sum(revenue) as revenue,
    sum(
        case $order_count
            when 'product' then n_orders
            when 'category' then n_category_orders
            else n_orders_total
        end
    ) as n_orders,
    sum(n_lines) as n_lines,
    sum(quantity) as quantity
from rollup_sales_product_day
where
    order_date between $start_date and $end_date
    and in_list($regions, region)
    and in_list($channels, channel)
    and in_list($sales_reps, sales_rep)
    and in_list($categories, category)
    and in_list($products, product)
group by 1
