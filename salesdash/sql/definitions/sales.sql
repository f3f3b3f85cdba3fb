-- Macros shared by the sales queries (salesdash/scope.py, breakdowns.py, kpis.py).
-- 0 = all, else list_contains: lets one query serve "no filter" and "these values".
create or replace macro in_list(vals, x) as (len(vals) = 0 or list_contains(vals, x));

-- The Scope's predicate over a row with sales columns (salesdash/scope.py): one definition, so no
-- query can drop a filter. Called with the row's columns, then the Scope's parameters:
--   where in_sales_scope(order_date, region, channel, sales_rep, category, product,
--       $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products)
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

-- The exact order count of a sales rollup row for a question (rollups/sales_customer_cube.sql):
-- 'product' → orders with a line of the product, 'category' → orders counted once per category,
-- anything else → each order once.
create or replace macro order_count(kind, n_orders, n_category_orders, n_orders_total) as (
    case kind
        when 'product' then n_orders
        when 'category' then n_category_orders
        else n_orders_total
    end
);

-- The value of the dimension a question names ('region', 'channel', 'sales_rep', 'category' or
-- 'product') in a row with sales columns: one definition, so every breakdown, series and
-- crosstab picks the same column for a name. Any other name gives `otherwise` (null unless
-- given). Called with the name, then the row's columns:
--   sales_dimension($by, region, channel, sales_rep, category, product) as value
--   sales_dimension($by, region, channel, sales_rep, category, product, otherwise := 'total')
create or replace macro sales_dimension(
    name, region, channel, sales_rep, category, product, otherwise := null
) as (
    case name
        when 'region' then region
        when 'channel' then channel
        when 'sales_rep' then sales_rep
        when 'category' then category
        when 'product' then product
        else otherwise
    end
);

-- Whether a customer-cube row belongs to the question's customers: all of them, or the keys of
-- a set (salesdash/breakdowns.py customer_params). The key range comes first so that DuckDB can
-- skip the row groups of other customers (the cube is stored in key order); a macro is inlined,
-- so the range filter reaches the scan as if written out. Called with the row's key, then the
-- parameters:
--   where in_customer_set(customer_key, $all_customers, $key_min, $key_max, $customer_keys)
create or replace macro in_customer_set(
    customer_key, all_customers, key_min, key_max, customer_keys
) as (
    all_customers
    or (
        customer_key between key_min and key_max
        and list_contains(customer_keys, customer_key)
    )
);
