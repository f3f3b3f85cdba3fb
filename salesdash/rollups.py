"""Rollup tables maintained at ingest so pages answer from small aggregates, not 10M order lines.

Each file ``salesdash/sql/rollups/<name>.sql`` rebuilds one rollup from the canonical tables
(``create or replace table rollup_<name> as …``). ``refresh(con)`` runs them all, in name order,
inside the import (and undo) transaction, so a rollup never disagrees with the rows it summarises.
"""

from __future__ import annotations

import duckdb

from salesdash import config
from salesdash.db import execute_sql

ROLLUP_DIR = config.SQL_DIR / "rollups"
# The tables the rollups are built from: orders, and teams (a teams batch lends regions to orders).
# A batch of any other kind leaves every rollup as it was, so it skips the rebuild — at 10M order
# lines that rebuild costs minutes (docs/benchmarks.md, Ingest).
SOURCE_KINDS = frozenset({"orders", "teams"})


def names() -> list[str]:
    """The rollups, in the order they are rebuilt."""
    return sorted(p.stem for p in ROLLUP_DIR.glob("*.sql"))


def refresh(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> None:
    """Rebuild every rollup from the canonical tables (inside the caller's transaction).

    Args:
        kind: the kind of batch that changed the data; None rebuilds whatever changed.
    """
    if kind is not None and kind not in SOURCE_KINDS:
        return
    for name in names():
        execute_sql(con, f"rollups/{name}")
