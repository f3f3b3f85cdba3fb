-- grain: one row per period ($grain) in which the store holds any order, within
-- [$start_date, $end_date], dates moved $shift_years forward: a trend's period without a row here
-- is a gap in the data (drawn as a gap), one with a row but no sales in the scope is a true zero.
-- scope: whole store — whether any data exists for a period, not a figure of it.
select distinct date_trunc($grain, order_date + to_years(cast($shift_years as integer)))::date as ds
from rollup_sales_customer_day
where order_date between $start_date and $end_date
order by ds
