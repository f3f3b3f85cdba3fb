-- grain: one row per order_date × customer × region × channel × sales_rep.
-- n_orders sums exactly over any set of rows (each order is counted once, at its head row);
-- distinct customers come from counting customer_key, and the customer's first order ever rides
-- along so "new in the period" needs no join.
-- With $full false only the part a batch changed is computed (rollups.py, sql/rollups/changes/):
-- the rows of the changed days.
select
    d.order_date,
    d.customer_key,
    c.first_order_date,
    d.region,
    d.channel,
    d.sales_rep,
    sum(d.revenue) as revenue,
    sum(d.n_orders_total) as n_orders,
    sum(d.n_lines) as n_lines
from rollup_sales_customer_cube as d
left join rollup_sales_customer as c on c.customer_key = d.customer_key
where $full or d.order_date in (select order_date from rollup_changed_days)
group by all
order by d.order_date;
