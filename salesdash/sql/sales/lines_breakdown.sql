-- grain: one row per value of $by in the scope, straight from the order lines (any filter,
-- including $customers): the path for a drilled-into customer and the tests' reference.
with firsts as (
    select customer_id, min(order_date) as first_order_date
    from orders
    where customer_id is not null
    group by customer_id
),

scoped as (
    select
        case $by
            when 'region' then region
            when 'channel' then channel
            when 'sales_rep' then sales_rep
            when 'category' then category
            when 'product' then product
            when 'customer' then customer_id
        end as value,
        *
    from orders
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
        and in_list($categories, category)
        and in_list($products, product)
        and in_list($customers, customer_id)
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
left join firsts as f on f.customer_id = s.customer_id
group by s.value
