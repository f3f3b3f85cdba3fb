-- grain: one row per order_date × customer × region × channel × sales_rep.
-- n_orders sums exactly over any set of rows (each order is counted once, at its head row);
-- distinct customers come from counting customer_key.
create or replace table rollup_sales_customer_day as
select
    order_date,
    customer_key,
    region,
    channel,
    sales_rep,
    sum(revenue) as revenue,
    sum(n_orders_total) as n_orders,
    sum(n_lines) as n_lines
from rollup_sales_customer_cube
group by all
order by order_date;
