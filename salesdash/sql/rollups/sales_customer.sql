-- grain: one row per customer with an order: a small integer key and the first order ever.
-- The key makes distinct-customer counts over rollup_sales_customer_day cheap; first_order_date
-- decides "new" (first order in the period) and "returning" (an order before it) for every scope.
-- Rebuilt whole only: after a batch, sql/rollups/changes/sales_customer.sql updates it in place and
-- new customers get the next keys, so the other rollups' keys stay valid.
with firsts as (
    select customer_id, min(order_date) as first_order_date
    from orders
    where customer_id is not null
    group by customer_id
)

select
    row_number() over (order by customer_id) as customer_key,
    customer_id,
    first_order_date
from firsts
order by customer_key;
