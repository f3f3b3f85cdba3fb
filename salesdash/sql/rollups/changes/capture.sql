-- What one batch of orders changes in the rollups, taken while its rows are in the table (after a
-- load, before an undo deletes them). Each rollup is recomputed over a superset of what the batch
-- touched, and that superset is exactly what sql/rollups/changes/forget.sql deletes first:
--   rollup_changed_days       every day with a line of an order the batch has lines of (an
--                             order's head row, which counts it once, may move to another line);
--   rollup_changed_customers  the batch's customers (first order, totals);
--   rollup_changed_months     the months of the batch's lines (customer × month rows).
create or replace temp table rollup_changed_days as
select distinct order_date
from orders
where order_id in (select order_id from orders where batch_id = $batch_id);

create or replace temp table rollup_changed_customers as
select distinct customer_id
from orders
where batch_id = $batch_id and customer_id is not null;

create or replace temp table rollup_changed_months as
select distinct date_trunc('month', order_date)::date as month
from orders
where batch_id = $batch_id;
