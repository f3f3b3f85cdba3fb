"""Rollup tables maintained at ingest so pages answer from small aggregates, not 10M order lines.

``refresh(con)`` runs inside the import (and undo) transaction, after the canonical tables
changed. The sales-performance work defines the rollups themselves.
"""

from __future__ import annotations

import duckdb


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the rollup tables from the canonical tables (inside the caller's transaction)."""
