-- grain: one row per $by (sales_rep | manager) with sales in the scope: revenue, orders,
-- distinct and new customers (first order ever in the period); region and manager from teams
-- (else the region where the rep sold most). Orders without a rep (the online shop) are left
-- out. Customers are bitstrings over customer_key per rep, OR-ed per manager, so a customer
-- shared by two reps of one team counts once.
with per_rep_region as (
    select
        sales_rep,
        region,
        sum(revenue) as revenue,
        sum(n_orders) as n_orders,
        bitstring_agg(customer_key) as customers,
        bitstring_agg(customer_key) filter (where first_order_date >= $start_date) as new_customers
    from scoped_customer_days($start_date, $end_date, $regions, $channels, $sales_reps)
    where sales_rep is not null
    group by sales_rep, region
),

team as (
    select sales_rep, any_value(manager) as manager, any_value(region) as region
    from teams
    group by sales_rep
),

per_rep as (
    select
        r.sales_rep,
        coalesce(any_value(t.region), arg_max(r.region, r.revenue)) as region,
        any_value(t.manager) as manager,
        sum(r.revenue) as revenue,
        sum(r.n_orders) as n_orders,
        bit_or(r.customers) as customers,
        bit_or(r.new_customers) as new_customers
    from per_rep_region as r
    left join team as t on t.sales_rep = r.sales_rep
    group by r.sales_rep
)

select
    case $by when 'manager' then manager else sales_rep end as member,
    arg_max(region, revenue) as region,
    any_value(manager) as manager,
    count(*) as n_reps,
    sum(revenue) as revenue,
    sum(n_orders) as n_orders,
    coalesce(bit_count(bit_or(customers)), 0) as n_customers,
    coalesce(bit_count(bit_or(new_customers)), 0) as n_new_customers
from per_rep
group by 1
order by revenue desc
