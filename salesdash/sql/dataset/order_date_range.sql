-- grain: one row: the first and last order date in the whole database (not the scope): where the
-- dashboard stands unless told otherwise, and which periods are complete.
-- scope: whole store — the dates every user's as-of defaults to; dates, no figures.
-- The last is the data's real last day: the last order date that had already come when its batch
-- was loaded. A pre-dated order, or a typo a year ahead that got past the plausible window, must
-- not move every default view past the data (rows without a logged batch count as they are).
select
    min(o.order_date) as first_order_date,
    max(o.order_date) filter (
        where l.loaded_at is null or o.order_date <= l.loaded_at::date
    ) as last_order_date
from orders as o
left join ingest_log as l on l.batch_id = o.batch_id
