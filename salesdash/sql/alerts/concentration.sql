-- grain: one row per (measure, region, sales_rep, window_name): revenue in the year up to $as_of
-- ('current') and in the year before it ('previous'), of
--   measure 'top_customers': the $top_n biggest customers of the window (region, sales_rep '');
--   measure 'rep': each rep in each region;
-- with base_revenue, the revenue of the whole company ('top_customers') or region ('rep').
-- Reads the day rollups (customer × day, product × day), not the order lines.
-- scope: whole store — the refresh's alerts step, for everyone; pages read alerts/stored.sql.
with customer_days as (
    select
        customer_key,
        revenue,
        case when order_date > $as_of::date - 365 then 'current' else 'previous' end as window_name
    from rollup_sales_customer_day
    where order_date > $as_of::date - 730 and order_date <= $as_of
),

product_days as (
    select
        region,
        sales_rep,
        revenue,
        case when order_date > $as_of::date - 365 then 'current' else 'previous' end as window_name
    from rollup_sales_product_day
    where order_date > $as_of::date - 730 and order_date <= $as_of
),

customer_revenue as (
    select
        window_name,
        sum(revenue) as revenue,
        row_number() over (partition by window_name order by sum(revenue) desc) as rank_in_window
    from customer_days
    where customer_key is not null
    group by window_name, customer_key
),

company as (
    select window_name, sum(revenue) as base_revenue
    from product_days
    group by window_name
),

top_customers as (
    select
        'top_customers' as measure,
        '' as region,
        '' as sales_rep,
        c.window_name,
        sum(c.revenue) as revenue,
        any_value(t.base_revenue) as base_revenue
    from customer_revenue as c
    join company as t on c.window_name = t.window_name
    where c.rank_in_window <= $top_n
    group by c.window_name
),

rep_revenue as (
    select
        'rep' as measure,
        region,
        sales_rep,
        window_name,
        sum(revenue) as revenue,
        sum(sum(revenue)) over (partition by region, window_name) as base_revenue
    from product_days
    where region is not null
    group by region, sales_rep, window_name
)

select * from top_customers
union all
select * from rep_revenue
where sales_rep is not null
