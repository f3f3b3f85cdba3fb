"""Loading exports into the canonical tables: one file is one batch, all good rows or nothing.

The public surface (used by the CLI, the Data page and the demo seeding):

- ``preview_file(con, path, kind) -> FilePreview``: encoding, header, first rows, proposed mapping
- ``guess_kind(header) -> str | None``: the kind a header looks like
- ``ingest_file(con, path, kind, ...) -> BatchResult``
- ``preview_values(con, path, kind, ...) -> DataFrame``: the first rows as they will be stored
- ``file_period(con, path, kind, ...)``: the file's first and last date (what a replace replaces)
- ``list_batches(con) -> DataFrame``, ``undo_batch`` / ``redo_batch(con, batch_id) -> int``
- ``seed_demo(con, load_day=…)``: load the bundled demo CSVs into an empty database.

Modules: ``reading`` (encodings, Excel, counting records), ``mapping`` (synonyms, remembered
mappings), ``parsing`` (the SQL that types rows; macros in sql/ingest/macros.sql), ``batches``
(load, dedupe, log, region inheritance), ``history`` (undo, redo, replacing the months a file
covers).
"""

from salesdash.ingest.batches import (
    BATCH_COLUMNS,
    KINDS,
    batch_coverage,
    file_period,
    ingest_file,
    list_batches,
    preview_file,
    preview_values,
    seed_demo,
)
from salesdash.ingest.history import (
    REPLACEABLE,
    Replacement,
    months_covering,
    redo_batch,
    rows_in_period,
    undo_batch,
)
from salesdash.ingest.mapping import guess_kind
from salesdash.ingest.results import BatchResult, Coverage, FilePreview

__all__ = [
    "BATCH_COLUMNS",
    "KINDS",
    "REPLACEABLE",
    "BatchResult",
    "Coverage",
    "FilePreview",
    "Replacement",
    "batch_coverage",
    "file_period",
    "guess_kind",
    "ingest_file",
    "list_batches",
    "months_covering",
    "preview_file",
    "preview_values",
    "redo_batch",
    "rows_in_period",
    "seed_demo",
    "undo_batch",
]
