-- grain: one row per customer record of the scope (registered there, or buying there): who owns
-- them and how to reach them. The home region and owner are shown only when the Scope includes
-- them (a customer buying in a manager's region may be kept by another region).
select
    customer_id,
    customer_name,
    case when in_list($regions, region) then region end as region,
    case when in_list($sales_reps, sales_rep) then sales_rep end as sales_rep,
    birthday,
    phone,
    email
from scoped_customers($regions, $sales_reps)
order by customer_id
