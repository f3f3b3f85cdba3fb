-- grain: one row per (dimension, value) present in the orders of the Scope's regions and reps:
-- the choices of the filter bar.
with visible as (
    select region, channel
    from orders
    where in_list($regions, region) and in_list($sales_reps, sales_rep)
)

select 'region' as dimension, region as value from visible where region is not null group by region
union all
select 'channel', channel from visible where channel is not null group by channel
order by dimension, value
