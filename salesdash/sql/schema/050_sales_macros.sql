-- grain: macros shared by the sales queries (no tables), next to those of 020_sales_scope.sql.
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
