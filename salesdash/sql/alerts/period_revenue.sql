-- grain: one row per series of the forecast hierarchy with sales in [$start_date, $end_date]: the
-- total and each region, channel and category (same levels and '(none)' labels as
-- forecast/hierarchy_sales.sql, so the rows line up with the forecast's series).
with scoped as (
    select
        coalesce(region, '(none)') as region,
        coalesce(channel, '(none)') as channel,
        coalesce(category, '(none)') as category,
        revenue
    from orders
    where order_date between $start_date and $end_date
),

final as (
    select
        case
            when grouping(region) = 0 then 'region'
            when grouping(channel) = 0 then 'channel'
            when grouping(category) = 0 then 'category'
            else 'total'
        end as level,
        coalesce(region, channel, category, 'total') as unique_id,
        sum(revenue) as revenue
    from scoped
    group by grouping sets ((), (region), (channel), (category))
)

select level, unique_id, revenue
from final
