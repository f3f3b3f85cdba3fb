-- grain: one row per order_date × customer × region × channel × sales_rep.
-- An order belongs to one day, one customer, region, channel and rep (its header), so n_orders
-- adds up exactly over any set of rows; distinct customers come from counting customer_key.
create or replace table rollup_sales_customer_day as
select
    o.order_date,
    c.customer_key,
    o.region,
    o.channel,
    o.sales_rep,
    sum(o.revenue) as revenue,
    count(distinct o.order_id) as n_orders,
    count(*) as n_lines
from orders as o
left join rollup_sales_customer as c on c.customer_id = o.customer_id
group by all
order by o.order_date;
