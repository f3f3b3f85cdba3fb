-- grain: one row: a value that changes whenever a batch is loaded, undone or redone (a cache
-- key). Loads raise the largest batch id and undos the count of undone batches; a redo lowers
-- that count, so the time of the latest redo is part of the key from the first redo on.
select
    coalesce(max(batch_id), 0) || ':' || count(undone_at)
    || coalesce(
        ':' || strftime((select max(redone_at) from batch_redos), '%Y%m%d%H%M%S%f'), ''
    ) as data_version
from ingest_log
