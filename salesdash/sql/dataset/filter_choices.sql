-- grain: one row per (dimension, value) present in the scope's orders: the choices of the filter
-- bar (regions and channels the user may see).
with lines as (
    select region, channel
    from scoped_order_lines($start_date, $end_date, $regions, [], $sales_reps, [], [])
)

select 'region' as dimension, region as value from lines where region is not null group by region
union all
select 'channel', channel from lines where channel is not null group by channel
order by dimension, value
