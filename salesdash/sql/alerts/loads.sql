-- grain: one row per batch loaded on or before $now and not undone, oldest first, target edits of
-- the Targets page left out (they are no export): kind, when and by whom, reject rate, and for
-- orders batches their revenue per order day.
-- scope: whole store — the refresh's alerts step, for everyone; pages read alerts/stored.sql.
with order_batches as (
    select batch_id, sum(revenue) / count(distinct order_date) as revenue_per_day
    from orders
    group by batch_id
)

select
    l.batch_id,
    l.kind,
    l.file_name,
    l.user_name,
    l.loaded_at,
    l.rows_loaded,
    l.rows_rejected,
    l.rows_rejected / nullif(l.rows_loaded + l.rows_rejected, 0) as reject_rate,
    o.revenue_per_day
from ingest_log as l
left join order_batches as o on l.batch_id = o.batch_id
where l.undone_at is null
    and l.loaded_at <= $now
    and l.file_name <> $edit_file_name
order by l.kind, l.loaded_at, l.batch_id
