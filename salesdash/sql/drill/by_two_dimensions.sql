-- grain: one row per (row_value, col_value) of two dimensions $rows × $cols (customer too),
-- under any filter including a set of customers (see by_dimension.sql).
with grouped as (
    select
        sales_dimension($rows, region, channel, sales_rep, category, product) as row_dim,
        sales_dimension($cols, region, channel, sales_rep, category, product) as col_dim,
        customer_key,
        sum(revenue) as revenue,
        sum(n_lines) as n_lines
    from scoped_customer_cube(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products,
        $all_customers, $key_min, $key_max, $customer_keys
    )
    group by 1, 2, 3
)

select
    coalesce(g.row_dim, case when $rows = 'customer' then c.customer_id end) as row_value,
    coalesce(g.col_dim, case when $cols = 'customer' then c.customer_id end) as col_value,
    sum(g.revenue) as revenue,
    sum(g.n_lines) as n_lines
from grouped as g
left join rollup_sales_customer as c on c.customer_key = g.customer_key
group by 1, 2
order by 1, 2
