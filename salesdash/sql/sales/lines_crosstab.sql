-- grain: one row per (row_value, col_value) of two dimensions $rows × $cols, from the order
-- lines (any filter, including $customers; customer may be a dimension): revenue and lines.
with scoped as (
    select *
    from orders
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
        and in_list($categories, category)
        and in_list($products, product)
        and in_list($customers, customer_id)
)

select
    case $rows
        when 'region' then region
        when 'channel' then channel
        when 'sales_rep' then sales_rep
        when 'category' then category
        when 'product' then product
        when 'customer' then customer_id
    end as row_value,
    case $cols
        when 'region' then region
        when 'channel' then channel
        when 'sales_rep' then sales_rep
        when 'category' then category
        when 'product' then product
        when 'customer' then customer_id
    end as col_value,
    sum(revenue) as revenue,
    count(*) as n_lines
from scoped
group by 1, 2
order by 1, 2
