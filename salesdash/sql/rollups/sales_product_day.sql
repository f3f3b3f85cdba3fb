-- grain: one row per order_date × region × channel × sales_rep × category × product: the small
-- table behind trends and item breakdowns (order counts as in sales_customer_cube.sql).
-- With $full false only the part a batch changed is computed (rollups.py, sql/rollups/changes/):
-- the rows of the changed days.
select
    order_date,
    region,
    channel,
    sales_rep,
    category,
    product,
    sum(revenue) as revenue,
    sum(quantity) as quantity,
    sum(n_lines) as n_lines,
    sum(n_orders) as n_orders,
    sum(n_category_orders) as n_category_orders,
    sum(n_orders_total) as n_orders_total
from rollup_sales_customer_cube
where $full or order_date in (select order_date from rollup_changed_days)
group by all
order by order_date;
