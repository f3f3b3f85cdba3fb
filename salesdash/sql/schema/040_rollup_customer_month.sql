-- grain: one row per (customer_id, month, region, channel) with an order (see
-- sql/rollups/customer_month.sql, which rebuilds it on every load and undo). Created empty here so a
-- database that has not loaded anything yet answers with no customers instead of an error.
create table if not exists rollup_customer_month (
    customer_id varchar,
    month date,
    region varchar,
    channel varchar,
    n_orders bigint,
    revenue double,
    first_order_date date,
    last_order_date date
);
