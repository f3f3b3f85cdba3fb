-- grain: one row per customer record of the scope (registered there, or buying there): who owns
-- them and how to reach them.
select
    customer_id,
    customer_name,
    region,
    sales_rep,
    birthday,
    phone,
    email
from scoped_customers($regions, $sales_reps)
order by customer_id
