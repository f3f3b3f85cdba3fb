-- grain: one row per $by (sales_rep | manager) with sales in the scope: revenue, orders,
-- distinct and new customers (first order ever in the period); region and manager from teams
-- (else the region the rep sold in). Orders without a rep (the online shop) are left out.
with team as (
    select sales_rep, any_value(manager) as manager, any_value(region) as region
    from teams
    group by sales_rep
),

scoped as (
    select
        d.*,
        t.manager,
        coalesce(t.region, d.region) as member_region,
        case $by when 'manager' then t.manager else d.sales_rep end as member
    from rollup_sales_customer_day as d
    left join team as t on t.sales_rep = d.sales_rep
    where
        d.order_date between $start_date and $end_date
        and d.sales_rep is not null
        and in_list($regions, d.region)
        and in_list($channels, d.channel)
        and in_list($sales_reps, d.sales_rep)
)

select
    member,
    mode(member_region) as region,
    any_value(manager) as manager,
    count(distinct sales_rep) as n_reps,
    sum(revenue) as revenue,
    sum(n_orders) as n_orders,
    coalesce(bit_count(bitstring_agg(customer_key)), 0) as n_customers,
    coalesce(
        bit_count(
            bitstring_agg(customer_key) filter (where first_order_date >= $start_date)
        ),
        0
    ) as n_new_customers
from scoped
group by member
order by revenue desc
