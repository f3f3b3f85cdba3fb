-- grain: one row per customer with orders in the scope (no category/product filter), the
-- $limit largest by revenue (smallest when $bottom): revenue, orders, whether new (first order
-- ever in the period), and share of the scope's revenue. Sorted and cut here, not in pandas:
-- at scale there are hundreds of thousands of customers.
with picked as (
    select *, first_order_date >= $start_date as is_new, sum(revenue) over () as total_revenue
    from scoped_customer_revenue($start_date, $end_date, $regions, $channels, $sales_reps)
    order by case when $bottom then revenue else -revenue end, customer_key
    limit $limit
)

select
    c.customer_id as value,
    p.revenue,
    p.n_orders,
    p.n_lines,
    (p.customer_key is not null)::integer as n_customers,
    coalesce(p.is_new, false)::integer as n_new_customers,
    p.total_revenue
from picked as p
left join rollup_sales_customer as c on c.customer_key = p.customer_key
order by case when $bottom then p.revenue else -p.revenue end, c.customer_id
