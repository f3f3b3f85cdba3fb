-- grain: one row: what one batch of customers brought (the rows it loaded): their first-contact
-- dates, customers and regions (customers have no amount and no channel).
select
    min(signup_date) as first_date,
    max(signup_date) as last_date,
    count(*) as n_records,
    count(*) as n_customers,
    cast(null as double) as amount,
    coalesce(list(distinct region order by region) filter (where region is not null), [])
        as regions,
    cast([] as varchar[]) as channels
from customers
where batch_id = $batch_id
