-- grain: one row per day with orders in one target scope, up to $as_of, in the Scope's regions
-- and reps (the user's rights): revenue, orders and the customers whose first order ever was
-- that day (a customer counts for the scope of that order).
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
      and in_list($sales_reps, sales_rep)
      and (
          $scope_kind = 'company'
          or sales_dimension(
              $scope_kind, region, channel, sales_rep, category, product
          ) = $scope_value
      )
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
