-- grain: one row per value of $by in the scope, straight from the order lines (any filter,
-- including $customers): what the tests compare sales/by_dimension.sql and the drill/ queries
-- against (breakdowns.breakdown_plain).
with scoped as (
    select
        sales_dimension(
            $by, region, channel, sales_rep, category, product,
            otherwise := case when $by = 'customer' then customer_id end
        ) as value,
        *
    from scoped_order_lines(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )
    where in_list($customers, customer_id)
)

select
    s.value,
    sum(s.revenue) as revenue,
    count(distinct s.order_id) as n_orders,
    count(*) as n_lines,
    count(distinct s.customer_id) as n_customers,
    count(distinct s.customer_id) filter (where f.first_order_date >= $start_date)
        as n_new_customers
from scoped as s
left join first_orders() as f on f.customer_id = s.customer_id
group by s.value
