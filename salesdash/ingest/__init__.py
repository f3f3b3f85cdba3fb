"""Loading exports into the canonical tables: one file is one batch, all good rows or nothing.

The public surface (used by the CLI, the Data page and the demo seeding):

- ``preview_file(con, path, kind) -> FilePreview``: encoding, header, first rows, proposed mapping
- ``ingest_file(con, path, kind, ...) -> BatchResult``
- ``list_batches(con) -> DataFrame`` and ``undo_batch(con, batch_id) -> int``
- ``seed_demo(con)``: load the bundled demo CSVs into an empty database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from salesdash import config, rollups
from salesdash.db import scalar
from salesdash.errors import InputError


@dataclass(frozen=True)
class BatchResult:
    """What one file did to the database.

    ``rejects`` has one row per rejected row: line (1-based line in the file, header = 1),
    column (canonical name, or None for the whole row), value and reason.
    """

    batch_id: int
    kind: str
    file_name: str
    file_sha256: str
    encoding: str
    rows_loaded: int
    rows_rejected: int
    rows_duplicate: int
    mapping: dict[str, str]
    rejects: pd.DataFrame = field(repr=False)

    def summary(self) -> dict:
        """JSON-ready summary (first 100 rejects)."""
        return {
            "batch_id": self.batch_id,
            "kind": self.kind,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            "encoding": self.encoding,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rows_duplicate": self.rows_duplicate,
            "mapping": self.mapping,
            "rejects": self.rejects.head(100).to_dict(orient="records"),
        }


@dataclass(frozen=True)
class FilePreview:
    """What a file looks like before loading: for the analyst to confirm or correct the mapping.

    ``mapping`` maps every canonical column of the kind to the proposed source column (None when
    no source column was recognised); ``missing_required`` lists required canonical columns with
    no source column; ``remembered`` is True when the mapping was saved for this exact header.
    """

    file_name: str
    kind: str
    encoding: str
    header: list[str]
    rows: pd.DataFrame = field(repr=False)
    mapping: dict[str, str | None]
    missing_required: list[str]
    remembered: bool


def preview_file(
    con: duckdb.DuckDBPyConnection, path: str | Path, kind: str, *, n_rows: int = 20
) -> FilePreview:
    """The first rows of a file and the proposed mapping (canonical headers only, for now)."""
    path = Path(path)
    rows = pd.read_csv(path, nrows=n_rows, dtype=str, keep_default_na=False)
    header = list(rows.columns)
    mapping = {c: (c if c in header else None) for c in _columns(con, kind)}
    return FilePreview(path.name, kind, "utf-8", header, rows, mapping, [], False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _columns(con: duckdb.DuckDBPyConnection, kind: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_name = ? and column_name <> 'batch_id' order by ordinal_position",
        [kind],
    ).fetchall()
    return dict(rows)


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    kind: str,
    *,
    user_name: str | None = None,
    file_name: str | None = None,
) -> BatchResult:
    """Load one file of canonical columns as one batch.

    Raises:
        InputError: the file cannot be loaded; the database is unchanged.
    """
    path = Path(path)
    if kind not in config.KINDS:
        raise InputError(f"unknown kind '{kind}' (expected one of: {', '.join(config.KINDS)})")
    columns = _columns(con, kind)
    con.execute("begin transaction")
    try:
        batch_id = scalar(con, "select nextval('batch_id_seq')")
        names = ", ".join(columns)
        con.execute(
            f"insert into {kind} (batch_id, {names}) select $batch_id, {names} "  # noqa: S608
            "from read_csv($path, header = true, columns = $columns)",
            {"batch_id": batch_id, "path": str(path), "columns": columns},
        )
        loaded = scalar(con, f"select count(*) from {kind} where batch_id = ?", [batch_id])
        sha = _sha256(path)
        mapping = {c: c for c in columns}
        con.execute(
            "insert into ingest_log values (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, null)",
            [
                batch_id,
                kind,
                file_name or path.name,
                sha,
                "utf-8",
                json.dumps(mapping),
                loaded,
                user_name,
                datetime.now(),
            ],
        )
        rollups.refresh(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return BatchResult(
        batch_id,
        kind,
        file_name or path.name,
        sha,
        "utf-8",
        loaded,
        0,
        0,
        mapping,
        pd.DataFrame(columns=["line", "column", "value", "reason"]),
    )


def list_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per batch, newest first: the ingest log."""
    return con.execute("select * from ingest_log order by batch_id desc").df()


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Remove the rows a batch loaded; return how many. Raises InputError for an unknown batch."""
    rows = con.execute(
        "select kind, undone_at from ingest_log where batch_id = ?", [batch_id]
    ).fetchall()
    row = rows[0] if rows else None
    if row is None:
        raise InputError(f"no batch {batch_id} (see `python -m salesdash batches`)")
    kind, undone_at = row
    if undone_at is not None:
        raise InputError(f"batch {batch_id} was already undone at {undone_at:%Y-%m-%d %H:%M}")
    con.execute("begin transaction")
    try:
        removed = scalar(con, f"delete from {kind} where batch_id = ?", [batch_id])
        con.execute(
            "update ingest_log set undone_at = ? where batch_id = ?", [datetime.now(), batch_id]
        )
        rollups.refresh(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return removed


def seed_demo(
    con: duckdb.DuckDBPyConnection, demo_dir: Path = config.DEMO_DIR
) -> list[BatchResult]:
    """Load the bundled demo CSVs (teams first, so regions can be inherited) as ordinary batches."""
    return [
        ingest_file(con, demo_dir / f"{kind}.csv", kind, user_name="demo")
        for kind in ("teams", "customers", "orders", "opportunities", "targets")
    ]
