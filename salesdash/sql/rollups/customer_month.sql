-- grain: one row per (customer_id, month, region, channel, sales_rep) with an order: the customer ×
-- month rollup. Orders without a customer are left out (nobody to attribute them to). An order is
-- counted in the (region, channel, sales_rep) of its lines; exports give an order one of each, so
-- summing n_orders over them counts each order once. The rep is kept so that a rep's scope reads
-- only their own sales (scoped_customer_months, sql/definitions/scope.sql). Sorted by month so a query that
-- reads months before an as-of date skips the rest (DuckDB zone maps).
-- With $full false only the part a batch changed is computed (rollups.py, sql/rollups/changes/):
-- the changed customers' rows in the changed months.
with source as (
    select customer_id, order_id, order_date, region, channel, sales_rep, revenue
    from orders
    where
        customer_id is not null
        and (
            $full
            or (
                customer_id in (select customer_id from rollup_changed_customers)
                and date_trunc('month', order_date)::date in (select month from rollup_changed_months)
            )
        )
),

-- One row per order first, then plain counts: a count(distinct) over millions of groups cannot
-- spill to disk and runs out of memory under the ingest command's memory cap; this form can.
order_level as (
    select
        customer_id,
        order_id,
        date_trunc('month', order_date)::date as month,
        region,
        channel,
        sales_rep,
        sum(revenue) as revenue,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from source
    group by customer_id, order_id, month, region, channel, sales_rep
),

final as (
    select
        customer_id,
        month,
        region,
        channel,
        sales_rep,
        count(*) as n_orders,
        sum(revenue) as revenue,
        min(first_order_date) as first_order_date,
        max(last_order_date) as last_order_date
    from order_level
    group by customer_id, month, region, channel, sales_rep
)

select * from final
order by month, customer_id;
