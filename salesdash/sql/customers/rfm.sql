-- grain: one row per customer with an order on or before $as_of in the scope's regions and channels.
-- All history up to $as_of counts (the date range's start does not). To stay fast for a recent
-- as-of day it starts from each customer's all-time totals (rollup_customer_totals), takes off the
-- months from the as-of month on (rollup_customer_month), and adds back the as-of month's order
-- lines up to $as_of. Only a customer whose last order before the as-of month is not in the totals
-- (they ordered again later) needs a look through the earlier months.
-- Scores 1–5 by quintile of the rank: score = 1 + floor(5 × (rank − 1) / n), rank as SQL rank()
-- gives it (ties share the lowest rank; computed from counts, not a sort per score), so equal
-- values always get equal scores and a tie that straddles a quintile edge takes the lower score. Recency ranks most days first (fewest days = score 5).
-- Monetary is rounded to cents, so the order of adding up cannot split a tie.
-- Value tier: customers by monetary, largest first; a customer is A while the revenue of the
-- customers before them is under $tier_a_share of the positive total, B under $tier_b_share, else
-- C; customers with no positive revenue are C. Customers with equal monetary count as before each
-- other, so a tie takes the lower tier (as with scores). Rows come in no particular order.
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
    from rollup_customer_totals
    where in_list($regions, region) and in_list($channels, channel)
    group by customer_id
),

later as (
    select customer_id, sum(n_orders) as n_orders, sum(revenue) as revenue
    from rollup_customer_month, bounds
    where month >= cut_month
        and in_list($regions, region)
        and in_list($channels, channel)
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
    from rollup_customer_month as m, bounds
    where m.month < cut_month
        and in_list($regions, m.region)
        and in_list($channels, m.channel)
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
        from orders, bounds
        where order_date between cut_month and $as_of::date
            and customer_id is not null
            and in_list($regions, region)
            and in_list($channels, channel)
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

n_customers as (
    select count(*) as n from per_customer
),

recency_ranks as (
    -- rank() by last order date, from the few distinct dates instead of sorting every customer
    select
        last_order_date,
        1 + coalesce(
            sum(count(*)) over (order by last_order_date rows between unbounded preceding and 1 preceding),
            0
        ) as r_rank
    from per_customer
    group by last_order_date
),

frequency_ranks as (
    select
        frequency,
        1 + coalesce(
            sum(count(*)) over (order by frequency rows between unbounded preceding and 1 preceding),
            0
        ) as f_rank
    from per_customer
    group by frequency
),

by_monetary as (
    -- one sort, largest first: n_at_least = customers with monetary >= this one (ties included),
    -- revenue_at_least = their positive revenue
    select
        *,
        count(*) over (order by monetary desc) as n_at_least,
        sum(greatest(monetary, 0)) over (order by monetary desc) as revenue_at_least,
        sum(greatest(monetary, 0)) over () as positive_total
    from per_customer
),

scored as (
    select
        b.customer_id,
        b.first_order_date,
        b.last_order_date,
        ($as_of::date - b.last_order_date)::integer as recency_days,
        b.frequency::integer as frequency,
        b.monetary,
        (1 + floor(5 * (r.r_rank - 1) / n.n))::integer as r_score,
        (1 + floor(5 * (f.f_rank - 1) / n.n))::integer as f_score,
        (1 + floor(5 * (n.n - b.n_at_least) / n.n))::integer as m_score,
        b.revenue_at_least - greatest(b.monetary, 0) as revenue_before,
        b.positive_total
    from by_monetary as b
    inner join recency_ranks as r on b.last_order_date = r.last_order_date
    inner join frequency_ranks as f on b.frequency = f.frequency
    cross join n_customers as n
),

final as (
    select
        customer_id,
        first_order_date,
        last_order_date,
        recency_days,
        frequency,
        monetary,
        r_score,
        f_score,
        m_score,
        case
            when monetary <= 0 then 'C'
            when revenue_before < $tier_a_share * positive_total then 'A'
            when revenue_before < $tier_b_share * positive_total then 'B'
            else 'C'
        end as value_tier
    from scored
)

select * from final
