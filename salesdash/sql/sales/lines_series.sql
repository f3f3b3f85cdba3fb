-- grain: one row per period (ds, truncated to $grain) × value of $by, from the order lines
-- (any filter, including $customers).
select
    date_trunc($grain, order_date + to_years(cast($shift_years as integer)))::date as ds,
    case $by
        when 'region' then region
        when 'channel' then channel
        when 'sales_rep' then sales_rep
        when 'category' then category
        when 'product' then product
        when 'customer' then customer_id
        else 'total'
    end as value,
    sum(revenue) as revenue,
    count(distinct order_id) as n_orders
from orders
where
    order_date between $start_date and $end_date
    and in_list($regions, region)
    and in_list($channels, channel)
    and in_list($sales_reps, sales_rep)
    and in_list($categories, category)
    and in_list($products, product)
    and in_list($customers, customer_id)
group by 1, 2
order by 1, 2
