-- grain: one row per customer with an order on or before $as_of in the scope's regions, channels
-- and reps.
-- All history up to $as_of counts (the date range's start does not). To stay fast for a recent
-- as-of day it starts from each customer's all-time totals (rollup_customer_totals), takes off the
-- months from the as-of month on (rollup_customer_month), and adds back the as-of month's order
-- lines up to $as_of. Only a customer whose last order before the as-of month is not in the totals
-- (they ordered again later) needs a look through the earlier months.
-- Monetary is rounded to cents, so the order of adding up cannot split a tie. Scores and value
-- tiers are given in salesdash/segments.py. Rows come in no particular order.
with bounds as (
    select date_trunc('month', $as_of::date)::date as cut_month
),

totals as (
    select
        customer_id,
        sum(n_orders) as n_orders,
        sum(revenue) as revenue,
        min(first_order_date) as first_order_date,
        max(last_order_date) as last_order_date
    from scoped_customer_totals($regions, $channels, $sales_reps)
    group by customer_id
),

later as (
    select customer_id, sum(n_orders) as n_orders, sum(revenue) as revenue
    from scoped_customer_months($regions, $channels, $sales_reps), bounds
    where month >= cut_month
    group by customer_id
),

before_cut as (
    select
        t.customer_id,
        t.n_orders - coalesce(l.n_orders, 0) as n_orders,
        t.revenue - coalesce(l.revenue, 0) as revenue,
        t.first_order_date,
        t.last_order_date
    from totals as t
    left join later as l on t.customer_id = l.customer_id
    where t.n_orders > coalesce(l.n_orders, 0)
),

reordered as (
    -- customers who ordered before the as-of month and again from it on: their last order before it
    select m.customer_id, max(m.last_order_date) as last_order_date
    from scoped_customer_months($regions, $channels, $sales_reps) as m, bounds
    where m.month < cut_month
        and m.customer_id in (
            select customer_id from before_cut where last_order_date > $as_of::date
        )
    group by m.customer_id
),

as_of_month as (
    select
        customer_id,
        sum(n_orders) as n_orders,
        sum(revenue) as revenue,
        min(first_order_date) as first_order_date,
        max(last_order_date) as last_order_date
    from (
        select
            customer_id,
            count(distinct order_id) as n_orders,
            sum(revenue) as revenue,
            min(order_date) as first_order_date,
            max(order_date) as last_order_date
        from scoped_order_lines(
            date_trunc('month', $as_of::date)::date, $as_of, $regions, $channels, $sales_reps, [], []
        )
        where customer_id is not null
        group by customer_id, region, channel
    )
    group by customer_id
),

per_customer as (
    select
        coalesce(b.customer_id, a.customer_id) as customer_id,
        coalesce(b.first_order_date, a.first_order_date) as first_order_date,
        coalesce(a.last_order_date, r.last_order_date, b.last_order_date) as last_order_date,
        coalesce(b.n_orders, 0) + coalesce(a.n_orders, 0) as frequency,
        round(coalesce(b.revenue, 0) + coalesce(a.revenue, 0), 2) as monetary
    from before_cut as b
    full outer join as_of_month as a on b.customer_id = a.customer_id
    left join reordered as r on b.customer_id = r.customer_id
),

final as (
    select
        customer_id,
        first_order_date,
        last_order_date,
        ($as_of::date - last_order_date)::integer as recency_days,
        frequency::integer as frequency,
        monetary
    from per_customer
)

select * from final
