-- grain: one row per customer with a name that the scope may see (customers table): the label
-- of a customer in the drill-down and the Pareto view, instead of its id.
select customer_id, customer_name
from scoped_customers($regions, $sales_reps)
where customer_name is not null and trim(customer_name) <> ''
