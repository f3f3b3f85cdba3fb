-- grain: one ingest-log line for a batch of targets edited on the Targets page (so it can be
-- undone like any load).
insert into ingest_log (
    batch_id, kind, file_name, file_sha256, encoding, mapping_json, rows_loaded, rows_rejected,
    rows_duplicate, user_name, loaded_at, undone_at
)
values (
    $batch_id, 'targets', $file_name, $file_sha256, null, null,
    (select count(*) from edited_targets), 0, 0, $user_name, $loaded_at, null
);
