-- grain: one row per (customer_id, region, channel) with an order (see
-- sql/rollups/customer_totals.sql, rebuilt on every load and undo); created empty for new databases.
create table if not exists rollup_customer_totals (
    customer_id varchar,
    region varchar,
    channel varchar,
    n_orders bigint,
    revenue double,
    first_order_date date,
    last_order_date date
);
