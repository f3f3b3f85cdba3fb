-- grain: one row per (cohort_month, month_offset) — customers/cohort_activity.sql read from the
-- order lines, for a scope that names reps (the customer rollups have no rep column; one rep's
-- orders are few). Same columns, same rules.
with scoped as (
    select customer_id, order_date, revenue
    from orders
    where order_date <= $end_date::date
        and customer_id is not null
        and in_list($regions, region)
        and in_list($channels, channel)
        and in_list($sales_reps, sales_rep)
),

firsts as (
    select customer_id, date_trunc('month', min(order_date))::date as cohort_month
    from scoped
    group by customer_id
    having min(order_date) between $start_date::date and $end_date::date
),

monthly as (
    select
        s.customer_id,
        f.cohort_month,
        date_trunc('month', s.order_date)::date as month,
        sum(s.revenue) as revenue
    from scoped as s
    inner join firsts as f on s.customer_id = f.customer_id
    group by s.customer_id, f.cohort_month, month
),

final as (
    select
        cohort_month,
        datediff('month', cohort_month, month)::integer as month_offset,
        count(*)::integer as n_customers,
        sum(revenue) as revenue
    from monthly
    group by cohort_month, month_offset
)

select * from final
order by cohort_month, month_offset
