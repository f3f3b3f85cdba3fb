-- grain: one row per period (month or week start): the revenue of the scope's orders, the
-- series of a filter no stored level covers (one rep, one product, a region × channel cell).
-- Shaped as hierarchy_sales.sql's total rows.
with scoped as (
    select
        cast(date_trunc($grain, order_date) as date) as ds,
        revenue
    from scoped_order_lines(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )
)

select 'total' as level, 'total' as unique_id, ds, sum(revenue) as y
from scoped
group by ds
order by ds
