-- grain: one row: the sales KPIs of a scope (no category/product filter), from the rollups.
-- new = active with first order ever in the period; returning = active with an order before it
-- (an active customer's first order is never after the period, so returning = active − new).
-- Distinct customers are counted as bits set in a bitstring over customer_key (dense after a whole
-- rollup rebuild; a rebuild by parts appends new customers' keys): about four times cheaper than
-- count(distinct) on millions of rows.
with totals as (
    select
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(n_orders), 0) as n_orders,
        coalesce(bit_count(bitstring_agg(customer_key)), 0) as active_customers,
        coalesce(
            bit_count(
                bitstring_agg(customer_key) filter (where first_order_date >= $start_date)
            ),
            0
        ) as new_customers
    from rollup_sales_customer_day
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
)

select *, active_customers - new_customers as returning_customers
from totals
