-- grain: one row per period (month or week start) per series of the hierarchy: the total and each
-- region, channel and category present in the scope. level is total|region|channel|category.
with scoped as (
    select
        cast(date_trunc($grain, order_date) as date) as ds,
        coalesce(region, '(none)') as region,
        coalesce(channel, '(none)') as channel,
        coalesce(category, '(none)') as category,
        revenue
    from scoped_order_lines(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )
),

aggregated as (
    select
        case
            when grouping(region) = 0 then 'region'
            when grouping(channel) = 0 then 'channel'
            when grouping(category) = 0 then 'category'
            else 'total'
        end as level,
        coalesce(region, channel, category, 'total') as unique_id,
        ds,
        sum(revenue) as y
    from scoped
    group by grouping sets ((ds), (ds, region), (ds, channel), (ds, category))
)

select level, unique_id, ds, y
from aggregated
order by level, unique_id, ds
