-- grain: one row per region with orders in ($start_date, $end_date] and one for the company:
-- scope ('region' | 'company'), scope_value (the region; '' for the company, as in
-- current_targets), revenue.
-- scope: whole store — the refresh's alerts step, for everyone; pages read alerts/stored.sql.
select
    case when grouping(region) = 1 then 'company' else 'region' end as scope,
    case when grouping(region) = 1 then '' else coalesce(region, '(none)') end as scope_value,
    sum(revenue) as revenue
from orders
where order_date > $start_date and order_date <= $end_date
group by grouping sets ((region), ())
