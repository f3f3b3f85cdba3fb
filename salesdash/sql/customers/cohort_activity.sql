-- grain: one row per (cohort_month, month_offset): customers by the month of their first order in
-- the scope's regions and channels (first ever, not first in the range), how many of them ordered
-- and what they spent month_offset months later. Cohorts whose first month falls in
-- [$start_date, $end_date]; activity up to $end_date (whole months from rollup_customer_month, the
-- end month from the order lines up to $end_date).
with monthly_parts as (
    select customer_id, month, revenue
    from rollup_customer_month
    where month < date_trunc('month', $end_date::date)::date
        and in_list($regions, region)
        and in_list($channels, channel)

    union all

    select customer_id, date_trunc('month', order_date)::date as month, revenue
    from orders
    where order_date between date_trunc('month', $end_date::date)::date and $end_date::date
        and customer_id is not null
        and in_list($regions, region)
        and in_list($channels, channel)
),

monthly as (
    select customer_id, month, sum(revenue) as revenue
    from monthly_parts
    group by customer_id, month
),

firsts as (
    select customer_id, min(month) as cohort_month
    from monthly
    group by customer_id
),

final as (
    select
        f.cohort_month,
        datediff('month', f.cohort_month, m.month)::integer as month_offset,
        count(*)::integer as n_customers,
        sum(m.revenue) as revenue
    from monthly as m
    inner join firsts as f on m.customer_id = f.customer_id
    where f.cohort_month >= date_trunc('month', $start_date::date)::date
    group by f.cohort_month, month_offset
)

select * from final
order by cohort_month, month_offset
