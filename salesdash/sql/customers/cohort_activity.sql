-- grain: one row per (cohort_month, month_offset): customers by the month of their first order in
-- the scope's regions, channels and reps (first ever, not first in the range), how many of them ordered
-- and what they spent month_offset months later. Cohorts whose first order falls in
-- [$start_date, $end_date]; activity up to $end_date (whole months from rollup_customer_month, the
-- end month from the order lines up to $end_date).
with bounds as (
    select
        date_trunc('month', $start_date::date)::date as first_month,
        date_trunc('month', $end_date::date)::date as end_month
),

firsts as (
    select customer_id, date_trunc('month', min(first_order_date))::date as cohort_month
    from scoped_customer_totals($regions, $channels, $sales_reps)
    group by customer_id
    having min(first_order_date) between $start_date::date and $end_date::date
),

monthly_parts as (
    select customer_id, month, revenue
    from scoped_customer_months($regions, $channels, $sales_reps), bounds
    where month >= first_month and month < end_month

    union all

    select customer_id, end_month as month, revenue
    from
        scoped_order_lines(
            date_trunc('month', $end_date::date)::date, $end_date,
            $regions, $channels, $sales_reps, [], []
        ),
        bounds
    where customer_id is not null
),

monthly as (
    select p.customer_id, f.cohort_month, p.month, sum(p.revenue) as revenue
    from monthly_parts as p
    inner join firsts as f on p.customer_id = f.customer_id
    group by p.customer_id, f.cohort_month, p.month
),

final as (
    select
        cohort_month,
        datediff('month', cohort_month, month)::integer as month_offset,
        count(*)::integer as n_customers,
        sum(revenue) as revenue
    from monthly
    where month >= cohort_month
    group by cohort_month, month_offset
)

select * from final
order by cohort_month, month_offset
