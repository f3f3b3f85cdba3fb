-- What taking out or putting back the orders dated $date_from … $date_to changes in the rollups
-- (a batch that replaces the months it covers, its undo and redo), taken while those rows are in
-- the table; the same marks as capture.sql makes for one batch.
insert into rollup_changed_days
select distinct order_date
from orders
where order_id in (select order_id from orders where order_date between $date_from and $date_to)
except
select order_date from rollup_changed_days;

insert into rollup_changed_customers
select distinct customer_id
from orders
where order_date between $date_from and $date_to and customer_id is not null
except
select customer_id from rollup_changed_customers;

insert into rollup_changed_months
select distinct date_trunc('month', order_date)::date as month
from orders
where order_date between $date_from and $date_to
except
select month from rollup_changed_months;
