-- grain: one row per day with orders in one target scope, up to $as_of: revenue, orders and the
-- customers whose first order ever was that day (a customer counts for the scope of that order).
with first_orders as (
    select customer_id, min(order_date) as first_date
    from orders
    where customer_id is not null
    group by customer_id
),

scoped as (
    select order_date, order_id, customer_id, revenue
    from orders
    where order_date <= $as_of
      and in_list($regions, region)
      and case $scope_kind
          when 'company' then true
          when 'region' then region = $scope_value
          when 'channel' then channel = $scope_value
          when 'sales_rep' then sales_rep = $scope_value
          when 'category' then category = $scope_value
          when 'product' then product = $scope_value
          else false
      end
),

new_customers as (
    select s.order_date, count(distinct s.customer_id) as n_new_customers
    from scoped as s
    inner join first_orders as f
        on s.customer_id = f.customer_id and s.order_date = f.first_date
    group by s.order_date
),

daily as (
    select order_date, sum(revenue) as revenue, count(distinct order_id) as n_orders
    from scoped
    group by order_date
)

select
    d.order_date as day,
    d.revenue,
    d.n_orders,
    coalesce(n.n_new_customers, 0) as n_new_customers
from daily as d
left join new_customers as n on d.order_date = n.order_date
order by day
