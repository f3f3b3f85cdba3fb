-- grain: macros shared by the sales queries (no tables).
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
