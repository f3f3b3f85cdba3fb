-- The tables sql/rollups/changes/capture.sql fills, declared (empty) for a whole rebuild: the
-- rollup queries name them even when they read every row.
create temp table if not exists rollup_changed_days (order_date date);
create temp table if not exists rollup_changed_customers (customer_id varchar);
create temp table if not exists rollup_changed_months (month date);
