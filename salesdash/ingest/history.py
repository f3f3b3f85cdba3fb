"""Undo, redo, and a batch that replaces the months it covers: rows leave their table for its
holding table (``held_<kind>``, sql/schema/096) and come back from it, so every change is reverted
whole and nothing is lost on the way.

- undo B: B's rows are held (``replaced_by`` null); the rows B replaced come back (those whose own
  batch is still loaded; the others stay held for their own batch's redo).
- redo B: B's held rows come back, and B replaces its months again, as when it was loaded.
- replace (a load with ``replace=True``): before the file's rows go in, the rows of that kind
  dated in the months the file covers, of other batches, are held with ``replaced_by`` = B.

Each runs inside its batch's transaction (the caller's ``transaction``), under the writer lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from salesdash import access, periods, rollups
from salesdash.db import execute_sql, params_for, scalar, transaction
from salesdash.errors import InputError

# The kinds whose rows can be replaced by period, with the date that places a row in one.
REPLACEABLE = {"orders": "order_date", "opportunities": "created_date"}
# Natural keys: loading a row whose key is already present is a duplicate and changes nothing.
KEYS: dict[str, tuple[str, ...]] = {
    "orders": ("order_id", "line_no"),
    "customers": ("customer_id",),
    "opportunities": ("opportunity_id",),
    "targets": ("period_start", "period_end", "scope", "scope_value", "metric"),
    "teams": ("sales_rep",),
    "products": ("product",),
}
INHERITS_REGION = ("orders", "opportunities")


@dataclass(frozen=True)
class Replacement:
    """The months a batch replaced: their first and last day, and how many rows it replaced."""

    date_from: date
    date_to: date
    rows_replaced: int


def date_column(kind: str) -> str:
    """The date that places a row of ``kind`` in a period, for a replacing load.

    Raises:
        InputError: rows of ``kind`` cannot be replaced by period (customers, targets …).
    """
    if kind not in REPLACEABLE:
        raise InputError(
            f"only {' and '.join(REPLACEABLE)} can replace the months a file covers, not {kind}"
        )
    return REPLACEABLE[kind]


def months_covering(first: date, last: date) -> tuple[date, date]:
    """The first day of ``first``'s month and the last day of ``last``'s: what "replace the
    months this file covers" replaces (a monthly re-export's rows dated the 2nd to the 30th
    replace the whole month, so an order cancelled since, dated the 31st, goes too)."""
    return periods.month_start(first), periods.month_end(last)


def rows_in_period(
    con: duckdb.DuckDBPyConnection, kind: str, date_from: date, date_to: date
) -> int:
    """How many rows of ``kind`` (a replaceable one) are dated ``date_from`` … ``date_to``."""
    column = date_column(kind)
    return int(
        scalar(
            con,
            f"select count(*) from {kind} where {column} between ? and ?",  # noqa: S608
            [date_from, date_to],
        )
    )


def replace_period(
    con: duckdb.DuckDBPyConnection, kind: str, batch_id: int, date_from: date, date_to: date
) -> Replacement:
    """Hold the rows of other batches dated ``date_from`` … ``date_to`` as replaced by
    ``batch_id`` (inside its transaction), and record the replacement."""
    column = REPLACEABLE.get(kind)
    if column is None:
        raise InputError(
            f"only {' and '.join(REPLACEABLE)} can replace the months a file covers, not {kind}"
        )
    rollups.capture_period(con, kind, date_from, date_to)
    where = f"r.{column} between $date_from and $date_to and r.batch_id <> $batch_id"
    moved = _hold(
        con, kind, where, {"date_from": date_from, "date_to": date_to}, batch_id, batch_id
    )
    con.execute(
        "insert or replace into batch_replacements values (?, ?, ?, ?)",
        [batch_id, date_from, date_to, moved],
    )
    return Replacement(date_from, date_to, moved)


def replacement(con: duckdb.DuckDBPyConnection, batch_id: int) -> Replacement | None:
    """The months ``batch_id`` replaced, None for an ordinary batch."""
    rows = con.execute(
        "select replaced_from, replaced_to, rows_replaced from batch_replacements "
        "where batch_id = ?",
        [batch_id],
    ).fetchall()
    return Replacement(*rows[0]) if rows else None


def _log_line(con: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[str, datetime | None]:
    rows = con.execute(
        "select kind, undone_at from ingest_log where batch_id = ?", [batch_id]
    ).fetchall()
    if not rows:
        raise InputError(f"no batch {batch_id} (see `python -m salesdash batches`)")
    return rows[0]


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Take back what a batch did: its rows (held, for a redo), the regions a teams batch lent,
    and the rows it replaced put back; return how many of its rows were removed.

    The ingest log records when, and who undid it (the user the writer ``con`` acts for).

    Raises:
        InputError: no such batch, it was undone already, or putting back the rows it replaced
            would load a key twice (a batch loaded since holds it: undo that one first).
        AccessDenied: the writer ``con`` acts for may not change data.
    """
    user = access.require_on(con, "change_data")
    kind, undone_at = _log_line(con, batch_id)
    if undone_at is not None:
        raise InputError(f"batch {batch_id} was already undone at {undone_at:%Y-%m-%d %H:%M}")
    replaced = replacement(con, batch_id)
    with transaction(con):
        rollups.capture(con, kind, batch_id)
        removed = _hold(con, kind, "r.batch_id = $batch_id", {}, batch_id, None)
        if kind == "teams":
            for target in INHERITS_REGION:
                execute_sql(con, f"ingest/unfill_region_{target}", batch_id=batch_id)
                con.execute(
                    f"update held_{target} set region = null, region_from_batch = null "  # noqa: S608
                    "where region_from_batch = ?",
                    [batch_id],
                )
        if replaced is not None:
            live = (
                "h.replaced_by = $by and h.batch_id in "
                "(select batch_id from ingest_log where undone_at is null)"
            )
            _release(con, kind, live, {"by": batch_id}, f"undo of batch {batch_id}")
            # rows of batches undone since stay held, for their own batch's redo
            con.execute(
                f"update held_{kind} set replaced_by = null where replaced_by = ?",  # noqa: S608
                [batch_id],
            )
            rollups.capture_period(con, kind, replaced.date_from, replaced.date_to)
        con.execute(
            "update ingest_log set undone_at = ?, undone_by = ? where batch_id = ?",
            [datetime.now(), user.email, batch_id],
        )
    return removed


def redo_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Bring back an undone batch: its rows, the regions they inherit, and (a batch that replaced
    the months it covers) that replacement, made again over the rows there now; return how many
    of its rows came back.

    Raises:
        InputError: no such batch, it is not undone, or a batch loaded since holds one of its
            keys (undo that one first).
        AccessDenied: the writer ``con`` acts for may not change data.
    """
    user = access.require_on(con, "change_data")
    kind, undone_at = _log_line(con, batch_id)
    if undone_at is None:
        raise InputError(f"batch {batch_id} is loaded (not undone): nothing to redo")
    replaced = replacement(con, batch_id)
    with transaction(con):
        if replaced is not None:
            replace_period(con, kind, batch_id, replaced.date_from, replaced.date_to)
        own = "h.batch_id = $batch_id and h.replaced_by is null"
        restored = _release(con, kind, own, {"batch_id": batch_id}, f"redo of batch {batch_id}")
        if kind in INHERITS_REGION:
            execute_sql(con, f"ingest/inherit_region_{kind}", batch_id=batch_id)
        if kind == "teams":
            for target in INHERITS_REGION:
                execute_sql(con, f"ingest/fill_region_{target}", batch_id=batch_id)
        rollups.capture(con, kind, batch_id)
        con.execute(
            "update ingest_log set undone_at = null, undone_by = null where batch_id = ?",
            [batch_id],
        )
        con.execute(
            "insert into batch_redos values (?, ?, ?)", [batch_id, datetime.now(), user.email]
        )
    return restored


def _hold(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    where: str,
    params: dict,
    batch_id: int,
    replaced_by: int | None,
) -> int:
    """Move the rows of ``kind`` matching ``where`` (rows aliased ``r``; parameters ``params``,
    ``$batch_id``) into its holding table, marked as replaced by ``replaced_by``; return how
    many."""
    values = {**params, "batch_id": batch_id, "by": replaced_by}
    hold = (
        f"insert into held_{kind} by name "  # noqa: S608
        f"select r.*, cast($by as bigint) as replaced_by from {kind} as r where {where}"
    )
    con.execute(hold, params_for(hold, values))
    delete = f"delete from {kind} as r where {where}"  # noqa: S608
    return int(con.execute(delete, params_for(delete, values)).fetchall()[0][0])


def _release(con: duckdb.DuckDBPyConnection, kind: str, where: str, params: dict, what: str) -> int:
    """Move the held rows of ``kind`` matching ``where`` (held rows aliased ``h``) back into its
    table; return how many.

    Raises:
        InputError: one of them has the natural key of a row in the table (then nothing moves).
    """
    match = " and ".join(f"t.{k} is not distinct from h.{k}" for k in KEYS[kind])
    clash = con.execute(
        f"select t.batch_id from held_{kind} as h join {kind} as t on {match} "  # noqa: S608
        f"where {where} limit 1",
        params,
    ).fetchall()
    if clash:
        raise InputError(
            f"{what}: batch {clash[0][0]} has loaded some of the same {kind} since; "
            f"undo batch {clash[0][0]} first"
        )
    con.execute(
        f"insert into {kind} by name select h.* exclude (replaced_by) "  # noqa: S608
        f"from held_{kind} as h where {where}",
        params,
    )
    delete = f"delete from held_{kind} as h where {where}"  # noqa: S608
    return int(con.execute(delete, params).fetchall()[0][0])
