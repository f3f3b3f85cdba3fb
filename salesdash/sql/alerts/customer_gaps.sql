-- grain: one row per customer in the registered relation quiet_candidates (customer_id): the gaps
-- between their distinct order days up to $as_of, their revenue in the year before their last
-- order, and who owns them (the customers table, else the rep and region of their last order).
-- Reads the customer × day rollup (rollup_sales_customer_day), half the rows of orders and keyed
-- by integers.
-- scope: whole store — the refresh's alerts step, for everyone; pages read alerts/stored.sql.
with keys as (
    select customer_key, customer_id
    from rollup_sales_customer
    where customer_id in (select customer_id from quiet_candidates)
),

days as (
    select
        customer_key,
        order_date,
        sum(revenue) as revenue,
        arg_max(sales_rep, revenue) as sales_rep,
        arg_max(region, revenue) as region
    from rollup_sales_customer_day
    where order_date <= $as_of
        and customer_key in (select customer_key from keys)
    group by customer_key, order_date
),

gaps as (
    select
        *,
        order_date - lag(order_date) over (partition by customer_key order by order_date)
            as gap_days,
        max(order_date) over (partition by customer_key) as last_order_date
    from days
),

per_customer as (
    select
        customer_key,
        max(order_date) as last_order_date,
        count(gap_days) as n_gaps,
        avg(gap_days) as mean_gap_days,
        quantile_cont(gap_days, $gap_quantile) as quantile_gap_days,
        sum(revenue) filter (where order_date > last_order_date - 365) as year_revenue,
        arg_max(sales_rep, order_date) as last_sales_rep,
        arg_max(region, order_date) as last_region
    from gaps
    group by customer_key
)

select
    k.customer_id,
    c.customer_name,
    coalesce(c.sales_rep, p.last_sales_rep) as sales_rep,
    coalesce(c.region, p.last_region) as region,
    p.last_order_date,
    p.n_gaps,
    p.mean_gap_days,
    p.quantile_gap_days,
    p.year_revenue
from per_customer as p
join keys as k on p.customer_key = k.customer_key
left join customers as c on k.customer_id = c.customer_id
