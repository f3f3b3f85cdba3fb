-- grain: one row per value of $by (region|channel|sales_rep) in the scope, with exact distinct
-- customers and new customers (first order ever in the period); no category/product filter.
select
    sales_dimension($by, region, channel, sales_rep, null, null) as value,
    sum(revenue) as revenue,
    sum(n_orders) as n_orders,
    sum(n_lines) as n_lines,
    distinct_customers(customer_key) as n_customers,
    distinct_customers(customer_key, among := first_order_date >= $start_date) as n_new_customers
from scoped_customer_days($start_date, $end_date, $regions, $channels, $sales_reps)
group by 1
