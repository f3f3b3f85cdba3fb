-- grain: one row: the sales KPIs of a scope (no category/product filter), from the rollups.
-- new = active with first order ever in the period; repeat = active with two or more orders up
-- to the period's end: an order before the period (first order ever before it), or a second
-- order within it (the scope's orders); so over a whole history it is the share of customers who
-- ordered more than once, and it means the same over any range.
with days as (
    select *
    from scoped_customer_days($start_date, $end_date, $regions, $channels, $sales_reps)
),

totals as (
    select
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(n_orders), 0) as n_orders,
        distinct_customers(customer_key) as active_customers,
        distinct_customers(customer_key, among := first_order_date >= $start_date)
            as new_customers
    from days
),

-- only the new customers' rows need grouping: every earlier customer is a repeat one already
new_repeating as (
    select count(*) as n
    from (
        select customer_key
        from days
        where first_order_date >= $start_date
        group by customer_key
        having sum(n_orders) >= 2
    )
)

select
    totals.*,
    active_customers - new_customers + new_repeating.n as repeat_customers
from totals, new_repeating
