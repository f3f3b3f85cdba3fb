-- grain: one row per day with orders in one target scope, up to $as_of: revenue, orders and the
-- customers whose first order ever was that day (a customer counts for the scope of that order).
-- Read from the rollups, not the order lines (a target's daily series on 10M lines): the day ×
-- item rollup for revenue and orders, the customer rollups for new customers (the customer × day
-- rollup for header scopes, the customer cube for category and product scopes).
with daily as (
    select
        order_date as day,
        sum(revenue) as revenue,
        sum(order_count($scope_kind, n_orders, n_category_orders, n_orders_total)) as n_orders
    from scoped_product_days(
        $start_date, $as_of, $regions, $channels, $sales_reps, $categories, $products
    )
    where
        $scope_kind = 'company'
        or sales_dimension($scope_kind, region, channel, sales_rep, category, product)
        = $scope_value
    group by order_date
),

-- customers on the day of their first order, in the scope
firsts as (
    select d.order_date as day, d.customer_key
    from scoped_customer_days($start_date, $as_of, $regions, $channels, $sales_reps) as d
    where
        $scope_kind not in ('category', 'product')
        and d.order_date = d.first_order_date
        and (
            $scope_kind = 'company'
            or sales_dimension($scope_kind, d.region, d.channel, d.sales_rep, null, null)
            = $scope_value
        )
    union all
    select c.order_date as day, c.customer_key
    from scoped_customer_cube(
        $start_date, $as_of, $regions, $channels, $sales_reps, $categories, $products,
        true, 0, 0, []
    ) as c
    inner join rollup_sales_customer as k
        on c.customer_key = k.customer_key and c.order_date = k.first_order_date
    where
        $scope_kind in ('category', 'product')
        and sales_dimension($scope_kind, c.region, c.channel, c.sales_rep, c.category, c.product)
        = $scope_value
),

new_customers as (
    select day, count(distinct customer_key) as n_new_customers
    from firsts
    group by day
)

select
    d.day,
    d.revenue,
    d.n_orders,
    coalesce(n.n_new_customers, 0) as n_new_customers
from daily as d
left join new_customers as n on d.day = n.day
order by d.day
