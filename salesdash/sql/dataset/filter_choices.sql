-- grain: one row per (dimension, value) present in orders: the choices of the filter bar.
select 'region' as dimension, region as value from orders where region is not null group by region
union all
select 'channel', channel from orders where channel is not null group by channel
order by dimension, value
