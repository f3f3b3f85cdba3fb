-- grain: one row per distinct order date in the whole store (not the scope): n_rows, and two
-- facts about the last 92 days of data that tell order lines from daily totals: n_with_customer
-- (lines naming a customer) and max_lines_per_key (most lines sharing one date, region, channel,
-- rep, category and product; a daily-totals export has one).
-- scope: whole store — the grain of the data (forecast.series.data_grain), the same for everyone.
with dates as (
    select order_date, count(*) as n_rows
    from orders
    group by order_date
),

recent as (
    select *
    from orders
    where order_date > (select max(order_date) from orders) - 92
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
