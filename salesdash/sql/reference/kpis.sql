-- grain: one row: the sales KPIs of a scope, straight from the order lines (any filter).
-- What the tests compare sales/kpis.sql against (kpis.kpis_plain), and the path for
-- category/product filters, which the customer-day rollup behind sales/kpis.sql does not hold.
with scoped as (
    select order_id, customer_id, revenue
    from scoped_order_lines(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )
),

active as (
    select distinct customer_id from scoped where customer_id is not null
)

select
    coalesce((select sum(revenue) from scoped), 0) as revenue,
    (select count(distinct order_id) from scoped) as n_orders,
    count(*) as active_customers,
    count(*) filter (where f.first_order_date >= $start_date) as new_customers,
    count(*) filter (where f.first_order_date < $start_date) as returning_customers
from active as a
inner join first_orders() as f on f.customer_id = a.customer_id
