-- grain: one row per (scope, scope_value) present in the scope's data, with its first and last
-- activity (orders, and for win rate closed deals) and whether deals can be counted for it.
-- Read from the day × item rollup, first narrowed to each combination of the five columns: an
-- unpivot of the order lines themselves took 6 s of the Executive page's first visit on 10M lines.
with combos as (
    select
        region,
        channel,
        sales_rep,
        category,
        product,
        min(order_date) as first_date,
        max(order_date) as last_date
    from scoped_product_days(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )
    group by all
),

closed_deals as (
    select close_date, region, source as channel, sales_rep, product
    from scoped_opportunities($regions, $sales_reps, $products)
    where stage in ('won', 'lost') and close_date is not null
),

order_values as (
    unpivot combos
    on region, channel, sales_rep, category, product into name scope value scope_value
),

deal_values as (
    unpivot closed_deals
    on region, channel, sales_rep, product into name scope value scope_value
),

orders_by_value as (
    select scope, scope_value, min(first_date) as first_date, max(last_date) as last_date
    from order_values
    group by scope, scope_value
    union all
    select 'company', '', min(first_date), max(last_date) from combos having count(*) > 0
),

deals_by_value as (
    select scope, scope_value, min(close_date) as first_deal_date, max(close_date) as last_deal_date
    from deal_values
    group by scope, scope_value
    union all
    select 'company', '', min(close_date), max(close_date) from closed_deals having count(*) > 0
)

select
    coalesce(o.scope, d.scope) as scope,
    coalesce(o.scope_value, d.scope_value) as scope_value,
    o.first_date,
    o.last_date,
    d.first_deal_date,
    d.last_deal_date
from orders_by_value as o
full outer join deals_by_value as d on o.scope = d.scope and o.scope_value = d.scope_value
order by scope, scope_value
