-- After a batch's rows went in or out, by parts: bring rollup_sales_customer up to date in place
-- (existing customers keep their key, new ones get the next keys, customers without orders go),
-- so that the keys the other rollups hold stay valid (salesdash/rollups.py, ROLLUPS).
create or replace temp table rollup_changed_firsts as
select customer_id, min(order_date) as first_order_date
from orders
where customer_id in (select customer_id from rollup_changed_customers)
group by customer_id;

delete from rollup_sales_customer
where
    customer_id in (select customer_id from rollup_changed_customers)
    and customer_id not in (select customer_id from rollup_changed_firsts);

update rollup_sales_customer as s
set first_order_date = f.first_order_date
from rollup_changed_firsts as f
where s.customer_id = f.customer_id and s.first_order_date is distinct from f.first_order_date;

insert into rollup_sales_customer
select
    (select coalesce(max(customer_key), 0) from rollup_sales_customer)
    + row_number() over (order by customer_id) as customer_key,
    customer_id,
    first_order_date
from rollup_changed_firsts
where customer_id not in (select customer_id from rollup_sales_customer);

-- a changed first order reaches the customer's rows of rollup_sales_customer_day on days the
-- batch did not touch (it keeps the date on each row so "new in the period" needs no join)
update rollup_sales_customer_day as d
set first_order_date = s.first_order_date
from rollup_sales_customer as s
where
    d.customer_key = s.customer_key
    and s.customer_id in (select customer_id from rollup_changed_customers)
    and d.first_order_date is distinct from s.first_order_date;
