-- grain: one row per $by (sales_rep | manager) with sales in the scope: revenue, orders,
-- distinct and new customers (first order ever in the period); region and manager from teams
-- (else the region the rep sold in). Orders without a rep (the online shop) are left out.
with scoped as (
    select d.*, t.manager, t.region as team_region
    from rollup_sales_customer_day as d
    left join (
        select sales_rep, any_value(manager) as manager, any_value(region) as region
        from teams
        group by sales_rep
    ) as t on t.sales_rep = d.sales_rep
    where
        d.order_date between $start_date and $end_date
        and d.sales_rep is not null
        and in_list($regions, d.region)
        and in_list($channels, d.channel)
        and in_list($sales_reps, d.sales_rep)
),

members as (
    select
        case $by when 'manager' then manager else sales_rep end as member,
        count(distinct sales_rep) as n_reps
    from scoped
    group by 1
),

per_customer as (
    select
        case $by when 'manager' then manager else sales_rep end as member,
        customer_key,
        any_value(coalesce(team_region, region)) as region,
        any_value(manager) as manager,
        sum(revenue) as revenue,
        sum(n_orders) as n_orders
    from scoped
    group by 1, 2
)

select
    p.member,
    mode(p.region) as region,
    any_value(p.manager) as manager,
    any_value(m.n_reps) as n_reps,
    sum(p.revenue) as revenue,
    sum(p.n_orders) as n_orders,
    count(p.customer_key) as n_customers,
    count(p.customer_key) filter (where c.first_order_date >= $start_date) as n_new_customers
from per_customer as p
left join rollup_sales_customer as c on c.customer_key = p.customer_key
left join members as m on m.member is not distinct from p.member
group by p.member
order by revenue desc
