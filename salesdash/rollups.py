"""Rollup tables so pages answer from small aggregates, not 10M order lines.

Each file ``salesdash/sql/rollups/<name>.sql`` is the query of one rollup ``rollup_<name>`` over
the canonical tables, read in name order (keys, then the cube, then what sums it). A batch only
marks what it changes (``capture``, inside the batch's transaction); the refresh step after the
batch commits (salesdash/refresh.py) brings the rollups up to date (``refresh``) in its own
transaction, in one of two ways:

- whole (``$full`` true): ``create or replace table rollup_<name> as <query>``; for a first load,
  a teams batch (it lends regions to orders of any batch) or batches that touch many days;
- by parts (``$full`` false): ``sql/rollups/changes/capture.sql`` has marked the days, customers
  and months of every orders batch since the last refresh while its rows were in the table,
  ``changes/forget.sql`` deletes those parts (and updates the customer keys in place), and
  ``insert into rollup_<name> by name <query>`` computes them again. A month's export into a
  10M-line database spends 2.9 s in the rollups instead of 38 s for a whole rebuild
  (docs/benchmarks.md).

The marks are tables of the database, so a refresh killed half-way leaves them in place and the
next refresh (the next writer, or ``python -m salesdash refresh``) does the work again.
"""

from __future__ import annotations

import enum
import time
from datetime import date

import duckdb

from salesdash import config
from salesdash.db import execute_sql, params_for, scalar, sql_text

ROLLUP_DIR = config.SQL_DIR / "rollups"
# The tables the rollups are built from: orders, and teams (a teams batch lends regions to orders).
# A batch of any other kind leaves every rollup as it was, so it skips the rebuild.
SOURCE_KINDS = frozenset({"orders", "teams"})
# Updated in place by changes/forget.sql when rebuilt by parts (its keys must stay put).
IN_PLACE = frozenset({"sales_customer"})
# A batch touching more than this share of the days with orders is rebuilt whole: deleting and
# re-inserting most of every rollup costs more than building it again.
MAX_CHANGED_DAYS_SHARE = 0.3
# Where capture() marks what batches changed, until refresh() empties them (sql/schema/070).
CHANGE_TABLES = (
    "rollup_changed_days",
    "rollup_changed_customers",
    "rollup_changed_months",
    "rollup_changed_whole",
)


class Change(enum.Enum):
    """How a batch reaches the rollups."""

    NONE = "none"
    WHOLE = "whole"
    PARTS = "parts"


def names() -> list[str]:
    """The rollups, in the order they are rebuilt."""
    return sorted(p.stem for p in ROLLUP_DIR.glob("*.sql"))


def capture(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> Change:
    """Mark what a batch changes in the rollups (call while its rows are in the table: after it
    is loaded, before it is undone, inside the batch's transaction); return how it will reach
    them."""
    if kind not in SOURCE_KINDS:
        return Change.NONE
    if kind != "orders" or not _built(con):
        con.execute("insert into rollup_changed_whole values (?)", [batch_id])
        return Change.WHOLE
    execute_sql(con, "rollups/changes/capture", batch_id=batch_id)
    return pending(con)


def capture_period(
    con: duckdb.DuckDBPyConnection, kind: str, date_from: date, date_to: date
) -> Change:
    """Mark what taking out or putting back the rows dated ``date_from`` … ``date_to`` changes
    (a batch replacing the months it covers; call while those rows are in the table)."""
    if kind not in SOURCE_KINDS:
        return Change.NONE
    if kind != "orders" or not _built(con):
        con.execute("insert into rollup_changed_whole values (null)")
        return Change.WHOLE
    execute_sql(con, "rollups/changes/capture_period", date_from=date_from, date_to=date_to)
    return pending(con)


def pending(con: duckdb.DuckDBPyConnection) -> Change:
    """How the rollups must be brought up to date for the batches marked since the last refresh."""
    if scalar(con, "select count(*) from rollup_changed_whole"):
        return Change.WHOLE
    changed = scalar(con, "select count(*) from rollup_changed_days")
    if not changed and not scalar(con, "select count(*) from rollup_changed_customers"):
        return Change.NONE
    if not _built(con):
        return Change.WHOLE
    days = scalar(con, "select count(distinct order_date) from orders")
    return Change.WHOLE if changed > MAX_CHANGED_DAYS_SHARE * days else Change.PARTS


def refresh(con: duckdb.DuckDBPyConnection, change: Change = Change.WHOLE) -> dict[str, float]:
    """Bring every rollup up to date with the canonical tables (inside the caller's transaction)
    and clear the marks; return the seconds each rollup took."""
    seconds: dict[str, float] = {}
    if change is not Change.NONE:
        whole = change is Change.WHOLE
        if not whole:
            start = time.perf_counter()
            execute_sql(con, "rollups/changes/forget")
            seconds["forget"] = time.perf_counter() - start
        for name in names():
            if not whole and name in IN_PLACE:
                continue
            start = time.perf_counter()
            table = f"rollup_{name}"
            into = (
                f"create or replace table {table} as" if whole else f"insert into {table} by name"
            )
            sql = f"{into}\n{sql_text(f'rollups/{name}')}"
            con.execute(sql, params_for(sql, {"full": whole}) or None)
            seconds[name] = time.perf_counter() - start
    for table in CHANGE_TABLES:
        con.execute(f"delete from {table}")  # noqa: S608
    return seconds


def _built(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the rollups hold the orders already in the database (then a batch can be added by
    parts). The tables exist from the migrations, empty until the first build; a database whose
    orders were never rolled up is built whole."""
    return bool(scalar(con, "select exists (select 1 from rollup_sales_customer_cube)"))
