-- grain: one row per (customer_id, region, channel, sales_rep) with an order: all-time totals
-- per customer.
-- RFM as of a recent day reads these and takes off the few months after it (from
-- rollup_customer_month) instead of adding up every month; see sql/customers/rfm.sql.
-- With $full false only the part a batch changed is computed (rollups.py, sql/rollups/changes/):
-- the changed customers' totals.
with source as (
    select
        customer_id,
        month,
        region,
        channel,
        sales_rep,
        n_orders,
        revenue,
        first_order_date,
        last_order_date
    from rollup_customer_month
    where $full or customer_id in (select customer_id from rollup_changed_customers)
),

final as (
    select
        customer_id,
        region,
        channel,
        sales_rep,
        sum(n_orders)::bigint as n_orders,
        sum(revenue) as revenue,
        min(first_order_date) as first_order_date,
        max(last_order_date) as last_order_date
    from source
    group by customer_id, region, channel, sales_rep
)

select * from final
order by customer_id;
