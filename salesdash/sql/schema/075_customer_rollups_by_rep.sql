-- grain: the customer rollups (sql/rollups/customer_month.sql, customer_totals.sql) are kept per
-- sales rep as well, so that a scope restricted to one rep reads only that rep's sales. A
-- database rolled up before holds no rep in them: its next refresh rebuilds every rollup whole.
alter table rollup_customer_month add column if not exists sales_rep varchar;
alter table rollup_customer_totals add column if not exists sales_rep varchar;
insert into rollup_changed_whole
select 0 where exists (select 1 from rollup_customer_month);
