"""Rollup tables so pages answer from small aggregates, not 10M order lines.

``ROLLUPS`` lists them in the order they are built: each ``rollup_<name>`` is the query
``salesdash/sql/rollups/<name>.sql`` over the canonical tables and the rollups before it. A batch
only marks what it changes (``capture``, inside the batch's transaction); the refresh step after
the batch commits (salesdash/refresh.py) brings the rollups up to date (``refresh``) in its own
transaction, in one of two ways:

- whole (``$full`` true): ``create or replace table rollup_<name> as <query>``; for a first load,
  a teams batch (it lends regions to orders of any batch) or batches that touch many days;
- by parts (``$full`` false): ``sql/rollups/changes/capture.sql`` has marked the days, customers
  and months of every orders batch since the last refresh while its rows were in the table; each
  rollup deletes its rows whose key the marks hold and inserts them again from its query
  (``insert into rollup_<name> by name <query>``), except the customer keys, which
  ``changes/sales_customer.sql`` updates in place so the other rollups' keys stay valid. A
  month's export into a 10M-line database spends 2.9 s in the rollups instead of 38 s for a
  whole rebuild (docs/benchmarks.md).

The marks are tables of the database, so a refresh killed half-way leaves them in place and the
next refresh (the next writer, or ``python -m salesdash refresh``) does the work again.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from datetime import date

import duckdb

from salesdash.db import execute_sql, params_for, scalar, sql_text

# The tables the rollups are built from: orders, and teams (a teams batch lends regions to orders).
# A batch of any other kind leaves every rollup as it was, so it skips the rebuild.
SOURCE_KINDS = frozenset({"orders", "teams"})
# A batch touching more than this share of the days with orders is rebuilt whole: deleting and
# re-inserting most of every rollup costs more than building it again.
MAX_CHANGED_DAYS_SHARE = 0.3
# The marks capture() leaves until refresh() empties them (sql/schema/070): for each column a
# rollup can be keyed by, the table of its changed values (a column of the same name).
MARKS = {
    "order_date": "rollup_changed_days",
    "customer_id": "rollup_changed_customers",
    "month": "rollup_changed_months",
}
# A row here: rebuild every rollup whole.
WHOLE_MARK = "rollup_changed_whole"


@dataclass(frozen=True)
class Rollup:
    """One rollup table, ``rollup_<name>``, built by ``sql/rollups/<name>.sql``.

    Attributes:
        name: the table's name without ``rollup_``, and its query's file name.
        reads: the tables its query reads: canonical ones, or rollups listed before it.
        key: the columns whose marked values (``MARKS``) say which of its rows a batch changed:
            by parts, exactly those rows are deleted and computed again.
        in_place: brought up to date by ``sql/rollups/changes/<name>.sql`` instead (by parts).
    """

    name: str
    reads: tuple[str, ...]
    key: tuple[str, ...]
    in_place: bool = False

    @property
    def table(self) -> str:
        return f"rollup_{self.name}"

    def changed_rows(self) -> str:
        """The predicate over the table's rows that the marks say changed."""
        return " and ".join(f"{c} in (select {c} from {MARKS[c]})" for c in self.key)


# In build order: keys, then the cube, then what sums it; the customer months, then their totals.
ROLLUPS = (
    Rollup("sales_customer", reads=("orders",), key=("customer_id",), in_place=True),
    Rollup("sales_customer_cube", reads=("orders", "rollup_sales_customer"), key=("order_date",)),
    Rollup(
        "sales_customer_day",
        reads=("rollup_sales_customer_cube", "rollup_sales_customer"),
        key=("order_date",),
    ),
    Rollup("sales_product_day", reads=("rollup_sales_customer_cube",), key=("order_date",)),
    Rollup("customer_month", reads=("orders",), key=("customer_id", "month")),
    Rollup("customer_totals", reads=("rollup_customer_month",), key=("customer_id",)),
)


class Change(enum.Enum):
    """How a batch reaches the rollups."""

    NONE = "none"
    WHOLE = "whole"
    PARTS = "parts"


def names() -> list[str]:
    """The rollups, in the order they are built."""
    return [rollup.name for rollup in ROLLUPS]


def capture(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> Change:
    """Mark what a batch changes in the rollups (call while its rows are in the table: after it
    is loaded, before it is undone, inside the batch's transaction); return how it will reach
    them."""
    if kind not in SOURCE_KINDS:
        return Change.NONE
    if kind != "orders" or not _built(con):
        con.execute(f"insert into {WHOLE_MARK} values (?)", [batch_id])
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
        con.execute(f"insert into {WHOLE_MARK} values (null)")
        return Change.WHOLE
    execute_sql(con, "rollups/changes/capture_period", date_from=date_from, date_to=date_to)
    return pending(con)


def pending(con: duckdb.DuckDBPyConnection) -> Change:
    """How the rollups must be brought up to date for the batches marked since the last refresh."""
    if scalar(con, f"select count(*) from {WHOLE_MARK}"):
        return Change.WHOLE
    changed = scalar(con, "select count(*) from rollup_changed_days")
    if not changed and not scalar(con, "select count(*) from rollup_changed_customers"):
        return Change.NONE
    if not _built(con):
        return Change.WHOLE
    days = scalar(con, "select count(distinct order_date) from orders")
    return Change.WHOLE if changed > MAX_CHANGED_DAYS_SHARE * days else Change.PARTS


def refresh(con: duckdb.DuckDBPyConnection, change: Change = Change.WHOLE) -> dict[str, float]:
    """Bring every rollup up to date with the canonical tables (inside the caller's transaction),
    in ``ROLLUPS`` order, and clear the marks; return the seconds each rollup took."""
    seconds: dict[str, float] = {}
    if change is not Change.NONE:
        whole = change is Change.WHOLE
        for rollup in ROLLUPS:
            start = time.perf_counter()
            if whole:
                _build(con, rollup, f"create or replace table {rollup.table} as", full=True)
            elif rollup.in_place:
                execute_sql(con, f"rollups/changes/{rollup.name}")
            else:
                con.execute(f"delete from {rollup.table} where {rollup.changed_rows()}")
                _build(con, rollup, f"insert into {rollup.table} by name", full=False)
            seconds[rollup.name] = time.perf_counter() - start
    for table in (*MARKS.values(), WHOLE_MARK):
        con.execute(f"delete from {table}")  # noqa: S608
    return seconds


def _build(con: duckdb.DuckDBPyConnection, rollup: Rollup, into: str, *, full: bool) -> None:
    sql = f"{into}\n{sql_text(f'rollups/{rollup.name}')}"
    con.execute(sql, params_for(sql, {"full": full}) or None)


def _built(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the rollups hold the orders already in the database (then a batch can be added by
    parts). The tables exist from the migrations, empty until the first build; a database whose
    orders were never rolled up is built whole."""
    return bool(scalar(con, "select exists (select 1 from rollup_sales_customer_cube)"))
