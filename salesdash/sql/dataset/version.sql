-- grain: one row: a value that changes whenever a batch is loaded or undone (a cache key).
select coalesce(max(batch_id), 0) || ':' || count(undone_at) as data_version
from ingest_log
