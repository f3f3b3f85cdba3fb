-- grain: one row per customer in the customers table: who owns them and how to reach them. The
-- home region and owner are shown only when the Scope's rights include them (a customer of a
-- manager's region may be kept by another region).
select
    customer_id,
    customer_name,
    case when in_list($regions, region) then region end as region,
    case when in_list($sales_reps, sales_rep) then sales_rep end as sales_rep,
    birthday,
    phone,
    email
from customers
order by customer_id
