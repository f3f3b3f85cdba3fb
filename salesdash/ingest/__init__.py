"""Loading exports into the canonical tables: one file is one batch, all good rows or nothing.

The public surface (used by the CLI, the Data page and the demo seeding):

- ``preview_file(con, path, kind) -> FilePreview``: encoding, header, first rows, proposed mapping
- ``guess_kind(header) -> str | None``: the kind a header looks like
- ``ingest_file(con, path, kind, ...) -> BatchResult``
- ``list_batches(con) -> DataFrame`` and ``undo_batch(con, batch_id) -> int``
- ``seed_demo(con, load_day=…)``: load the bundled demo CSVs into an empty database.

Modules: ``reading`` (encodings, Excel, counting records), ``mapping`` (synonyms, remembered
mappings), ``parsing`` (the SQL that types rows; macros in sql/ingest/macros.sql), ``batches``
(load, dedupe, log, undo, region inheritance).
"""

from salesdash.ingest.batches import (
    BATCH_COLUMNS,
    KINDS,
    ingest_file,
    list_batches,
    preview_file,
    seed_demo,
    undo_batch,
)
from salesdash.ingest.mapping import guess_kind
from salesdash.ingest.results import BatchResult, FilePreview

__all__ = [
    "BATCH_COLUMNS",
    "KINDS",
    "BatchResult",
    "FilePreview",
    "guess_kind",
    "ingest_file",
    "list_batches",
    "preview_file",
    "seed_demo",
    "undo_batch",
]
