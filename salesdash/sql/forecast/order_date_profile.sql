-- grain: one row per distinct order date in the whole store (not the scope): n_rows, and two
-- facts about the last 92 days of data that tell order lines from daily totals: n_with_customer
-- (lines naming a customer) and max_lines_per_key (most lines sharing one date, region, channel,
-- rep, category and product; a daily-totals export has one).
-- scope: whole store — the grain of the data (forecast.series.data_grain), the same for everyone.
-- Only orders that had come when their batch was loaded (the data's real last day, as in
-- dataset/order_date_range.sql): an old store's 9999-12-31 must not stretch the grain to it.
with arrived as (
    select o.*
    from orders as o
    left join ingest_log as l on l.batch_id = o.batch_id
    where l.loaded_at is null or o.order_date <= l.loaded_at::date
),

dates as (
    select order_date, count(*) as n_rows
    from arrived
    group by order_date
),

recent as (
    select *
    from arrived
    where order_date > (select max(order_date) from arrived) - 92
),

lines_per_key as (
    select count(*) as n_lines
    from recent
    group by order_date, region, channel, sales_rep, category, product
),

final as (
    select
        dates.order_date,
        dates.n_rows,
        (select count(customer_id) from recent) as n_with_customer,
        (select coalesce(max(n_lines), 0) from lines_per_key) as max_lines_per_key
    from dates
)

select * from final
order by order_date
