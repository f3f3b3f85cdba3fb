-- grain: one row: the first and last order date in the whole database (not the scope): where the
-- dashboard stands unless told otherwise, and which periods are complete.
-- scope: whole store — the dates every user's as-of defaults to; dates, no figures.
select min(order_date) as first_order_date, max(order_date) as last_order_date
from orders
