-- grain: one row per value of $by (region|channel|sales_rep|customer) in the scope, with exact
-- distinct customers and new customers (first order ever in the period); no category filter.
with scoped as (
    select *
    from rollup_sales_customer_day
    where
        order_date between $start_date and $end_date
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
),

grouped as (
    select
        case $by
            when 'region' then region
            when 'channel' then channel
            when 'sales_rep' then sales_rep
        end as dim_value,
        case when $by = 'customer' then customer_key end as by_customer,
        customer_key,
        sum(revenue) as revenue,
        sum(n_orders) as n_orders,
        sum(n_lines) as n_lines
    from scoped
    group by 1, 2, 3
)

select
    coalesce(g.dim_value, bc.customer_id) as value,
    sum(g.revenue) as revenue,
    sum(g.n_orders) as n_orders,
    sum(g.n_lines) as n_lines,
    count(g.customer_key) as n_customers,
    count(g.customer_key) filter (where c.first_order_date >= $start_date) as n_new_customers
from grouped as g
left join rollup_sales_customer as c on c.customer_key = g.customer_key
left join rollup_sales_customer as bc on bc.customer_key = g.by_customer
group by g.dim_value, g.by_customer, bc.customer_id
