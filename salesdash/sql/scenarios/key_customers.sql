-- grain: one row per customer (of $customer_ids; empty: all) with revenue in the scope's regions
-- and channels over the months [$first_month, $next_month): the customers a what-if can lose,
-- biggest first. region: where the
-- customer bought most; monthly_revenue: the months' revenue / $n_months (what losing it takes
-- off a month).
with months as (
    select customer_id, region, sum(revenue) as revenue
    from scoped_customer_months($regions, $channels, $sales_reps)
    where month >= $first_month
        and month < $next_month
        and in_list($customer_ids, customer_id)
    group by customer_id, region
),

by_customer as (
    select
        customer_id,
        arg_max(region, revenue) as region,
        sum(revenue) as revenue
    from months
    group by customer_id
),

named as (
    select customer_id, any_value(customer_name) as customer_name
    from scoped_customers($regions, $sales_reps)
    group by customer_id
),

final as (
    select
        by_customer.customer_id,
        named.customer_name,
        by_customer.region,
        by_customer.revenue / $n_months as monthly_revenue
    from by_customer
    left join named on named.customer_id = by_customer.customer_id
    where by_customer.revenue > 0
)

select * from final
order by monthly_revenue desc, customer_id
limit $limit
