-- Macros shared by the sales queries (breakdowns.py, kpis.py, scorecards.py); the scoped reads
-- they start from are in scope.sql.

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

-- Distinct customers among rollup rows (those `among` picks), counted as the bits set in a
-- bitstring over customer_key: about four times cheaper than count(distinct) on millions of rows
-- (keys are dense after a whole rebuild; a rebuild by parts appends new customers' keys). An
-- aggregate, over a rollup's customer_key column (bitstring_agg needs the column's statistics):
--   distinct_customers(customer_key, among := first_order_date >= $start_date) as n_new_customers
create or replace macro distinct_customers(customer_key, among := true) as
    coalesce(bit_count(bitstring_agg(customer_key) filter (where among)), 0);

-- Each customer's first order ever, straight from the order lines: "new" means new to the
-- company, whatever the scope (the rollups keep the same date in rollup_sales_customer).
create or replace macro first_orders() as table
    select customer_id, min(order_date) as first_order_date
    from orders
    where customer_id is not null
    group by customer_id;
