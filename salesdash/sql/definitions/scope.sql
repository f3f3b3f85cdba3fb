-- The scoped reads: every query reads the rows a user may see through one of the table macros
-- below, never from the table itself (tests/test_sql.py fails on a query that does). Each takes
-- the Scope's parameters (salesdash/scope.py: the user's rights are folded into $regions and
-- $sales_reps there) as arguments without defaults, so DuckDB refuses a call that leaves one out:
--   from scoped_product_days(
--       $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
--   )
-- A list argument that is empty keeps every row (in_list); a user's rights never make one empty.

-- 0 = all, else list_contains: lets one query serve "no filter" and "these values".
create or replace macro in_list(vals, x) as (len(vals) = 0 or list_contains(vals, x));

-- The Scope's predicate over a row with sales columns: the date range, then each list.
create or replace macro in_sales_scope(
    order_date, region, channel, sales_rep, category, product,
    start_date, end_date, regions, channels, sales_reps, categories, products
) as (
    order_date between start_date and end_date
    and in_list(regions, region)
    and in_list(channels, channel)
    and in_list(sales_reps, sales_rep)
    and in_list(categories, category)
    and in_list(products, product)
);

-- Whether a customer-cube row belongs to the question's customers: all of them, or the keys of
-- a set (salesdash/breakdowns.py customer_params). The key range comes first so that DuckDB can
-- skip the row groups of other customers (the cube is stored in key order); macros are inlined,
-- so the range filter reaches the scan as if written out.
create or replace macro in_customer_set(
    customer_key, all_customers, key_min, key_max, customer_keys
) as (
    all_customers
    or (
        customer_key between key_min and key_max
        and list_contains(customer_keys, customer_key)
    )
);

-- The order lines of the scope (any filter): the reference queries and the forecast's series.
create or replace macro scoped_order_lines(
    start_date, end_date, regions, channels, sales_reps, categories, products
) as table
    select *
    from orders
    where in_sales_scope(
        order_date, region, channel, sales_rep, category, product,
        start_date, end_date, regions, channels, sales_reps, categories, products
    );

-- Day × item rows of the scope (rollups/sales_product_day.sql): trends, item breakdowns.
create or replace macro scoped_product_days(
    start_date, end_date, regions, channels, sales_reps, categories, products
) as table
    select *
    from rollup_sales_product_day
    where in_sales_scope(
        order_date, region, channel, sales_rep, category, product,
        start_date, end_date, regions, channels, sales_reps, categories, products
    );

-- Day × customer rows of the scope (rollups/sales_customer_day.sql): customer counts. The rollup
-- has no items, so no item filter (callers take the cube or the order lines for one).
create or replace macro scoped_customer_days(
    start_date, end_date, regions, channels, sales_reps
) as table
    select *
    from rollup_sales_customer_day
    where
        order_date between start_date and end_date
        and in_list(regions, region)
        and in_list(channels, channel)
        and in_list(sales_reps, sales_rep);

-- One row per customer key with sales in the scope (null: orders without a customer): revenue,
-- orders, lines and the customer's first order ever.
create or replace macro scoped_customer_revenue(
    start_date, end_date, regions, channels, sales_reps
) as table
    select
        customer_key,
        any_value(first_order_date) as first_order_date,
        sum(revenue) as revenue,
        sum(n_orders) as n_orders,
        sum(n_lines) as n_lines
    from scoped_customer_days(start_date, end_date, regions, channels, sales_reps)
    group by customer_key;

-- Customer × day × item rows of the scope and of a set of customers (rollups/
-- sales_customer_cube.sql): the drill-down, and customers under an item filter.
create or replace macro scoped_customer_cube(
    start_date, end_date, regions, channels, sales_reps, categories, products,
    all_customers, key_min, key_max, customer_keys
) as table
    select *
    from rollup_sales_customer_cube
    where
        in_customer_set(customer_key, all_customers, key_min, key_max, customer_keys)
        and in_sales_scope(
            order_date, region, channel, sales_rep, category, product,
            start_date, end_date, regions, channels, sales_reps, categories, products
        );

-- Customer × month rows of the scope (rollups/customer_month.sql): RFM, cohorts.
create or replace macro scoped_customer_months(regions, channels, sales_reps) as table
    select *
    from rollup_customer_month
    where in_list(regions, region) and in_list(channels, channel) and in_list(sales_reps, sales_rep);

-- All-time customer totals of the scope (rollups/customer_totals.sql): RFM, cohorts.
create or replace macro scoped_customer_totals(regions, channels, sales_reps) as table
    select *
    from rollup_customer_totals
    where in_list(regions, region) and in_list(channels, channel) and in_list(sales_reps, sales_rep);

-- The opportunities of the scope. Opportunities have no sales channel (their source is the lead's
-- channel) and no category.
create or replace macro scoped_opportunities(regions, sales_reps, products) as table
    select *
    from opportunities
    where in_list(regions, region) and in_list(sales_reps, sales_rep) and in_list(products, product);

-- The customer records of the scope: registered in its regions to its reps, or buying there.
create or replace macro scoped_customers(regions, sales_reps) as table
    select *
    from customers
    where
        (in_list(regions, region) and in_list(sales_reps, sales_rep))
        or customer_id in (
            select customer_id from scoped_customer_totals(regions, [], sales_reps)
        );
