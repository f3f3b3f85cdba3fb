-- grain: one row per customer in the customers table: who owns them and how to reach them.
select
    customer_id,
    customer_name,
    region,
    sales_rep,
    birthday,
    phone,
    email
from customers
order by customer_id
