-- grain: one row per value of $by (region|channel|sales_rep) in the scope, with exact distinct
-- customers and new customers (first order ever in the period); no category/product filter.
select
    sales_dimension($by, region, channel, sales_rep, null, null) as value,
    sum(revenue) as revenue,
    sum(n_orders) as n_orders,
    sum(n_lines) as n_lines,
    coalesce(bit_count(bitstring_agg(customer_key)), 0) as n_customers,
    coalesce(
        bit_count(
            bitstring_agg(customer_key) filter (where first_order_date >= $start_date)
        ),
        0
    ) as n_new_customers
from rollup_sales_customer_day
where
    order_date between $start_date and $end_date
    and in_list($regions, region)
    and in_list($channels, channel)
    and in_list($sales_reps, sales_rep)
group by 1
