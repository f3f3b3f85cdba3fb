-- grain: one row: what one batch of orders brought (the rows it loaded, duplicates not counted):
-- its order dates, orders, customers, revenue, and the regions and channels found.
select
    min(order_date) as first_date,
    max(order_date) as last_date,
    count(distinct order_id) as n_records,
    count(distinct customer_id) as n_customers,
    sum(revenue) as amount,
    coalesce(list(distinct region order by region) filter (where region is not null), [])
        as regions,
    coalesce(list(distinct channel order by channel) filter (where channel is not null), [])
        as channels
from orders
where batch_id = $batch_id
