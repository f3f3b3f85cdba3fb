-- grain: one row per customer with an order on or before $as_of in the scope's regions, channels
-- and reps — customers/rfm.sql read from the order lines, for a scope that names reps (the
-- customer rollups have no rep column; one rep's orders are few). Same columns, same rules.
with per_customer as (
    select
        customer_id,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(distinct order_id) as frequency,
        round(sum(revenue), 2) as monetary
    from orders
    where order_date <= $as_of::date
        and customer_id is not null
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
    group by customer_id
)

select
    customer_id,
    first_order_date,
    last_order_date,
    ($as_of::date - last_order_date)::integer as recency_days,
    frequency::integer as frequency,
    monetary
from per_customer
