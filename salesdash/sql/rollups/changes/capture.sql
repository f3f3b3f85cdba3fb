-- What one batch of orders changes in the rollups, taken while its rows are in the table (after a
-- load, before an undo deletes them), inside the batch's transaction. The marks add up until the
-- refresh step (salesdash/refresh.py) recomputes each rollup over a superset of what the batches
-- touched, and that superset is exactly what it deletes first (each rollup's key in
-- salesdash/rollups.py ROLLUPS names the marks that select its rows):
--   rollup_changed_days       every day with a line of an order the batch has lines of (an
--                             order's head row, which counts it once, may move to another line);
--   rollup_changed_customers  the batch's customers (first order, totals);
--   rollup_changed_months     the months of the batch's lines (customer × month rows).
insert into rollup_changed_days
select distinct order_date
from orders
where order_id in (select order_id from orders where batch_id = $batch_id)
except
select order_date from rollup_changed_days;

insert into rollup_changed_customers
select distinct customer_id
from orders
where batch_id = $batch_id and customer_id is not null
except
select customer_id from rollup_changed_customers;

insert into rollup_changed_months
select distinct date_trunc('month', order_date)::date as month
from orders
where batch_id = $batch_id
except
select month from rollup_changed_months;
