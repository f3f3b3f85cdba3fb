-- grain: one ingest-log line for a batch (a loaded file, or targets edited on the Targets page),
-- written in the batch's own transaction so it can be listed and undone like any load.
insert into ingest_log (
    batch_id, kind, file_name, file_sha256, encoding, mapping_json, rows_loaded, rows_rejected,
    rows_duplicate, user_name, loaded_at, undone_at
)
values (
    $batch_id, $kind, $file_name, $file_sha256, $encoding, $mapping_json, $rows_loaded,
    $rows_rejected, $rows_duplicate, $user_name, $loaded_at, null
);
