"""What the database holds right now: how fresh it is, its version, the values to filter by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from salesdash.db import run_sql


@dataclass(frozen=True)
class Freshness:
    """The data freshness line: last order date, last load time, rows in the database.

    ``last_order_date`` is the data's real last day (no order dated after the day it was loaded:
    see sql/app/freshness.sql), where views stand by default."""

    first_order_date: date | None
    last_order_date: date | None
    last_loaded_at: datetime | None
    n_rows: int


def _value(x):
    return None if x is None or pd.isna(x) else x


def data_freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    """How fresh the loaded data is."""
    row = run_sql(con, "app/freshness").iloc[0]
    first, last, loaded = (
        _value(row[c]) for c in ("first_order_date", "last_order_date", "last_loaded_at")
    )
    return Freshness(
        first_order_date=pd.Timestamp(first).date() if first is not None else None,
        last_order_date=pd.Timestamp(last).date() if last is not None else None,
        last_loaded_at=pd.Timestamp(loaded).to_pydatetime() if loaded is not None else None,
        n_rows=int(row["n_rows"]),
    )


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A key that changes with every load and undo; cached results are keyed on it."""
    return str(run_sql(con, "app/data_version").iloc[0]["data_version"])


def filter_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The regions and channels present in orders: {"region": [...], "channel": [...]}."""
    frame = run_sql(con, "app/filter_values")
    return {
        dim: frame.loc[frame["dimension"] == dim, "value"].tolist() for dim in ("region", "channel")
    }
