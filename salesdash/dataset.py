"""What the database holds right now: how fresh it is, its version, the values to filter by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from salesdash.db import run_sql
from salesdash.scope import Scope


@dataclass(frozen=True)
class Freshness:
    """The data freshness line: last order date, last load time, rows in the database.

    ``last_order_date`` is the data's real last day (``order_date_range``)."""

    first_order_date: date | None
    last_order_date: date | None
    last_loaded_at: datetime | None
    n_rows: int


def order_date_range(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and last order date in the whole database, (None, None) without orders.

    The last one is where the dashboard, the command line and every as-of default stand unless
    told otherwise: the data's real last day, the last order date that had come when its batch
    was loaded (sql/app/order_dates.sql), never a pre-dated order or a typo years ahead.
    """
    row = run_sql(con, "dataset/order_date_range").iloc[0]
    first, last = row["first_order_date"], row["last_order_date"]
    if pd.isna(last):
        return None, None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def last_order_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The last order date in the database (the default as-of date), None without orders."""
    return order_date_range(con)[1]


def data_freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    """How fresh the loaded data is."""
    first, last = order_date_range(con)
    row = run_sql(con, "dataset/freshness").iloc[0]
    loaded = row["last_loaded_at"]
    return Freshness(
        first_order_date=first,
        last_order_date=last,
        last_loaded_at=None if pd.isna(loaded) else pd.Timestamp(loaded).to_pydatetime(),
        n_rows=int(row["n_rows"]),
    )


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A key that changes with every load and undo; cached results are keyed on it."""
    return str(run_sql(con, "dataset/version").iloc[0]["data_version"])


def filter_choices(
    con: duckdb.DuckDBPyConnection, scope: Scope | None = None
) -> dict[str, list[str]]:
    """The regions and channels present in the orders ``scope`` may see: {"region": [...],
    "channel": [...]}. Pass the user's rights alone, without the filter bar's choices and dates
    (a chosen region would leave only itself to choose); channels and items are not applied."""
    frame = run_sql(con, "dataset/filter_choices", **(scope or Scope()).params())
    return {
        dim: frame.loc[frame["dimension"] == dim, "value"].tolist() for dim in ("region", "channel")
    }
