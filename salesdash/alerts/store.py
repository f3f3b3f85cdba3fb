"""The Watch tables (sql/schema/080_alerts.sql): the open alerts, what people did with them, what
was sent, and each target's P(hit) per data version.

Writes here are the refresh step's (``save``) and people's (``set_state``, ``mark_sent``), each one
transaction on the working database under the writer lock, marked as a change to publish
(``db.mark_changed``); reads (``stored_alerts``) only read, from any snapshot. Alert state is
keyed by the alert's stable key and lives apart from the data, so loads and undo leave it as it
is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from salesdash import access
from salesdash.alerts.forecasts import TargetOutlook
from salesdash.alerts.model import SEVERITY_RANK, Alert
from salesdash.db import mark_changed, run_sql, transaction
from salesdash.errors import InputError
from salesdash.scope import Scope

# A snoozed or acknowledged alert comes back when it gets worse: a higher severity, or a quarter
# more money at stake than when it was put aside (less is the week-to-week drift of the figure).
WORSE_SHARE = 0.25
# P(hit) history kept per target: enough versions to look back over a few weeks of daily loads.
KEEP_VERSIONS = 30
ACTIONS = ("acknowledge", "snooze", "reopen")

COLUMNS = [
    "alert_key",
    "kind",
    "severity",
    "severity_rank",
    "owner_kind",
    "owner",
    "region",
    "sales_rep",
    "customer_id",
    "subject",
    "as_of",
    "facts_json",
    "money_at_stake",
    "money_per_day",
    "response",
    "link_page",
    "link_params_json",
    "target_label",
    "p_hit",
    "p_hit_if_lost",
    "p_hit_change",
]


# The columns an Alert holds as they are.
_FIELDS = [c for c in COLUMNS if c in Alert.__dataclass_fields__ or c == "severity_rank"]


def alerts_frame(alerts: Iterable[Alert]) -> pd.DataFrame:
    """Alerts as rows of the ``alerts`` table (without version and times)."""
    rows = [
        {
            **{c: getattr(a, c) for c in _FIELDS},
            "alert_key": a.key,
            "facts_json": json.dumps(a.facts, ensure_ascii=False, sort_keys=True),
            "link_page": a.link.page,
            "link_params_json": json.dumps(a.link.params, ensure_ascii=False),
        }
        for a in alerts
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"as_of": "datetime64[us]"}) if rows else frame


def _replace(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    where: str = "false",
    params: list | None = None,
) -> None:
    """Delete the rows of ``table`` matching ``where``, then insert ``frame`` (by column name)."""
    con.execute(f"delete from {table} where {where}", params)  # noqa: S608 (our table, predicate)
    if frame.empty:
        return
    con.register("_rows", frame)
    try:
        con.execute(f"insert into {table} by name select * from _rows")  # noqa: S608
    finally:
        con.unregister("_rows")


def save(
    con: duckdb.DuckDBPyConnection,
    alerts: list[Alert],
    outlooks: Iterable[TargetOutlook],
    *,
    data_version: str,
    as_of: date,
    now: datetime,
    kinds: tuple[str, ...] | None = None,
) -> None:
    """Replace the stored alerts (of ``kinds`` only, when given) and record each running target's
    P(hit) for ``data_version``, in one transaction. An alert seen before keeps its first_seen_at.
    """
    frame = alerts_frame(alerts)
    seen = con.execute("select alert_key, first_seen_at from alerts").df()
    frame = frame.merge(seen, on="alert_key", how="left")
    frame["first_seen_at"] = frame["first_seen_at"].fillna(pd.Timestamp(now))
    frame = frame.assign(data_version=data_version, computed_at=pd.Timestamp(now))
    history = pd.DataFrame(
        [(data_version, o.key, o.p_hit, as_of, now) for o in outlooks],
        columns=["data_version", "target_key", "p_hit", "as_of", "computed_at"],
    )
    with transaction(con):
        if kinds is None:
            _replace(con, "alerts", frame, "true")
            _replace(con, "alert_target_history", history, "data_version = ?", [data_version])
            con.execute(
                "delete from alert_target_history where data_version not in ("
                " select data_version from alert_target_history group by data_version"
                " order by max(computed_at) desc limit ?)",
                [KEEP_VERSIONS],
            )
        else:
            _replace(con, "alerts", frame, "list_contains(?, kind)", [list(kinds)])
        con.execute(
            "insert into alert_runs values (?, ?, ?, ?)",
            [now, data_version, as_of, len(frame)],
        )
        mark_changed(con)


def previous_p_hit(con: duckdb.DuckDBPyConnection, data_version: str) -> dict[str, float]:
    """Target key → P(hit) at the data version computed last before ``data_version``."""
    frame = run_sql(con, "alerts/previous_p_hit", data_version=data_version)
    return dict(zip(frame["target_key"], frame["p_hit"], strict=True))


def stored_alerts(
    con: duckdb.DuckDBPyConnection, *, on: date, scope: Scope | None = None
) -> pd.DataFrame:
    """The stored alerts a person may see, most costly first, with their state on ``on``.

    Args:
        on: the day snoozes are judged on (a snooze until ``on`` still holds).
        scope: its regions and reps (chosen ∩ allowed) limit the alerts; with none chosen and
            every region allowed, company-wide alerts are included (a rep sees the alerts that
            name them).

    Returns:
        one row per alert: the ``alerts`` table's columns, ``facts`` and ``link_params`` (decoded),
        ``state`` (open | acknowledged | snoozed), ``state_user``, ``state_changed_at``,
        ``snoozed_until``, ``is_worse`` (since it was put aside), ``is_shown`` (open or worse).
    """
    rights = (scope or Scope()).params()
    frame = run_sql(con, "alerts/stored", on=on, worse_share=WORSE_SHARE, **rights)
    return decoded(frame).drop(columns="state_status")


def decoded(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the ``alerts`` table with ``facts`` and ``link_params`` decoded from their JSON."""
    frame = frame.assign(
        facts=[json.loads(f) for f in frame["facts_json"]],
        link_params=[tuple(tuple(p) for p in json.loads(f)) for f in frame["link_params_json"]],
    )
    return frame.drop(columns=["facts_json", "link_params_json"])


def set_state(
    con: duckdb.DuckDBPyConnection,
    alert_key: str,
    action: str,
    *,
    user: str | None,
    now: datetime,
    until: date | None = None,
) -> None:
    """Acknowledge an alert, snooze it until a day, or reopen it (the one way people write here).

    Raises:
        InputError: unknown action or alert, or a snooze without a day after ``now``.
        AccessDenied: the user the writer ``con`` acts for may not acknowledge alerts (what
            they put aside is put aside for every viewer: admins and analysts only).
    """
    access.require_on(con, "acknowledge_alerts")
    if action not in ACTIONS:
        raise InputError(f"unknown action '{action}' (expected one of: {', '.join(ACTIONS)})")
    row = con.execute(
        "select severity, money_at_stake from alerts where alert_key = ?", [alert_key]
    ).fetchall()
    if not row:
        raise InputError(f"no open alert {alert_key} (see `python -m salesdash alerts`)")
    if action == "snooze" and (until is None or until <= now.date()):
        raise InputError("a snooze needs a day after today to end on")
    with transaction(con):
        con.execute("delete from alert_state where alert_key = ?", [alert_key])
        if action != "reopen":
            con.execute(
                "insert into alert_state values (?, ?, ?, ?, ?, ?, ?)",
                [
                    alert_key,
                    "acknowledged" if action == "acknowledge" else "snoozed",
                    user,
                    now,
                    until if action == "snooze" else None,
                    SEVERITY_RANK[row[0][0]],
                    row[0][1],
                ],
            )
        mark_changed(con)


def sent_before(con: duckdb.DuckDBPyConnection, recipient: str) -> pd.DataFrame:
    """What was last sent to ``recipient``: alert_key, severity_rank, money_at_stake."""
    return con.execute(
        "select alert_key, severity_rank, money_at_stake from alert_sends where recipient = ?",
        [recipient],
    ).df()


def mark_sent(
    con: duckdb.DuckDBPyConnection, recipient: str, alerts: pd.DataFrame, *, now: datetime
) -> None:
    """Record that ``alerts`` (rows of ``stored_alerts``) went to ``recipient``."""
    frame = alerts[["alert_key", "severity_rank", "money_at_stake"]].assign(
        recipient=recipient, sent_at=pd.Timestamp(now)
    )
    keys = list(frame["alert_key"])
    with transaction(con):
        con.execute(
            "delete from alert_sends where recipient = ? and list_contains(?, alert_key)",
            [recipient, keys],
        )
        _replace(con, "alert_sends", frame)
        mark_changed(con)


@dataclass(frozen=True)
class Run:
    """One refresh of the stored alerts: when, for which data, up to which day, how many."""

    computed_at: datetime
    data_version: str
    as_of: date | None
    n_alerts: int


def last_run(con: duckdb.DuckDBPyConnection) -> Run | None:
    """The last refresh (None before the first)."""
    rows = con.execute(
        "select computed_at, data_version, as_of, n_alerts from alert_runs"
        " order by computed_at desc limit 1"
    ).fetchall()
    return Run(*rows[0]) if rows else None
