-- grain: one row per (row_value, col_value) of two dimensions $rows × $cols
-- (region|channel|sales_rep|category|product): revenue and order lines.
select
    sales_dimension($rows, region, channel, sales_rep, category, product) as row_value,
    sales_dimension($cols, region, channel, sales_rep, category, product) as col_value,
    sum(revenue) as revenue,
    sum(n_lines) as n_lines
from scoped_product_days(
    $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
)
group by 1, 2
order by 1, 2
