-- grain: one row per (row_value, col_value) of two dimensions $rows × $cols (customer too),
-- under any filter including a set of customers (see customer_cube_breakdown.sql).
with grouped as (
    select
        case $rows
            when 'region' then region
            when 'channel' then channel
            when 'sales_rep' then sales_rep
            when 'category' then category
            when 'product' then product
        end as row_dim,
        case $cols
            when 'region' then region
            when 'channel' then channel
            when 'sales_rep' then sales_rep
            when 'category' then category
            when 'product' then product
        end as col_dim,
        customer_key,
        sum(revenue) as revenue,
        sum(n_lines) as n_lines
    from rollup_sales_customer_cube
    where
        (
            $all_customers
            or (
                customer_key between $key_min and $key_max
                and list_contains($customer_keys, customer_key)
            )
        )
        and in_sales_scope(
            order_date, region, channel, sales_rep, category, product,
            $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
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
