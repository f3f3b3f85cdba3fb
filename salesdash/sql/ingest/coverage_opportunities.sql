-- grain: one row: what one batch of opportunities brought (the rows it loaded): their creation
-- dates, opportunities, customers, amount, and the regions and lead sources (channels) found.
select
    min(created_date) as first_date,
    max(created_date) as last_date,
    count(*) as n_records,
    count(distinct customer_id) as n_customers,
    sum(amount) as amount,
    coalesce(list(distinct region order by region) filter (where region is not null), [])
        as regions,
    coalesce(list(distinct source order by source) filter (where source is not null), [])
        as channels
from opportunities
where batch_id = $batch_id
