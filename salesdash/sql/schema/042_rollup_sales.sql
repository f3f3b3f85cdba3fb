-- grain: the sales rollups (see sql/rollups/sales_*.sql, which rebuild them on every load and
-- undo), created empty here with the types their queries give, so that every question a new or
-- partly loaded database is asked (no orders yet) finds no sales instead of a missing table.
create table if not exists rollup_sales_customer (
    customer_key bigint,
    customer_id varchar,
    first_order_date date
);

create table if not exists rollup_sales_customer_cube (
    customer_key bigint,
    order_date date,
    region varchar,
    channel varchar,
    sales_rep varchar,
    category varchar,
    product varchar,
    revenue double,
    quantity double,
    n_lines hugeint,
    n_orders bigint,
    n_category_orders bigint,
    n_orders_total bigint
);

create table if not exists rollup_sales_customer_day (
    order_date date,
    customer_key bigint,
    first_order_date date,
    region varchar,
    channel varchar,
    sales_rep varchar,
    revenue double,
    n_orders hugeint,
    n_lines hugeint
);

create table if not exists rollup_sales_product_day (
    order_date date,
    region varchar,
    channel varchar,
    sales_rep varchar,
    category varchar,
    product varchar,
    revenue double,
    quantity double,
    n_lines hugeint,
    n_orders hugeint,
    n_category_orders hugeint,
    n_orders_total hugeint
);
