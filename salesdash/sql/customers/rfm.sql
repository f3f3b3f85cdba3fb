-- grain: one row per customer with an order on or before $as_of in the scope's regions and channels.
-- All history up to $as_of counts (the date range's start does not): whole months before the as-of
-- month come from rollup_customer_month, the as-of month itself from the order lines up to $as_of.
-- Scores 1–5 by quintile of the rank: score = 1 + floor(5 × (rank − 1) / n), rank = SQL rank()
-- (ties share the lowest rank), so equal values always get equal scores and a tie that straddles a
-- quintile edge takes the lower score. Recency ranks most days first (fewest days = score 5).
-- Value tier: customers by monetary, largest first; a customer is A while the revenue of the
-- customers before them is under $tier_a_share of the positive total, B under $tier_b_share, else
-- C; customers with no positive revenue are C.
with history as (
    select customer_id, n_orders, revenue, first_order_date, last_order_date
    from rollup_customer_month
    where month < date_trunc('month', $as_of::date)::date
        and in_list($regions, region)
        and in_list($channels, channel)

    union all

    select
        customer_id,
        count(distinct order_id) as n_orders,
        sum(revenue) as revenue,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from orders
    where order_date between date_trunc('month', $as_of::date)::date and $as_of::date
        and customer_id is not null
        and in_list($regions, region)
        and in_list($channels, channel)
    group by customer_id, region, channel
),

per_customer as (
    select
        customer_id,
        min(first_order_date) as first_order_date,
        max(last_order_date) as last_order_date,
        ($as_of::date - max(last_order_date))::integer as recency_days,
        sum(n_orders)::integer as frequency,
        sum(revenue) as monetary
    from history
    group by customer_id
),

scored as (
    select
        *,
        (1 + floor(5 * (rank() over (order by recency_days desc) - 1) / count(*) over ()))::integer
            as r_score,
        (1 + floor(5 * (rank() over (order by frequency) - 1) / count(*) over ()))::integer
            as f_score,
        (1 + floor(5 * (rank() over (order by monetary) - 1) / count(*) over ()))::integer
            as m_score,
        coalesce(
            sum(greatest(monetary, 0)) over (
                order by monetary desc, customer_id
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as revenue_before,
        sum(greatest(monetary, 0)) over () as positive_total
    from per_customer
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
order by customer_id
