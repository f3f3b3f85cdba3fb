-- grain: one row: the sales KPIs of a scope (no category/product filter), from the rollups.
-- new = active with first order ever in the period; returning = active with an order before it
-- (an active customer's first order is never after the period, so returning = active − new).
with totals as (
    select
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(n_orders), 0) as n_orders,
        distinct_customers(customer_key) as active_customers,
        distinct_customers(customer_key, among := first_order_date >= $start_date)
            as new_customers
    from scoped_customer_days($start_date, $end_date, $regions, $channels, $sales_reps)
)

select *, active_customers - new_customers as returning_customers
from totals
