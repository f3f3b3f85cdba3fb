"""Data: exports that stopped arriving, and loads far off the ones before them.

- ``load_overdue``: a kind of export (orders, opportunities, …) loaded on at least ``min_loads``
  days whose last load is older than ``overdue_factor`` × its usual gap (the median gap between
  load days). Measured against the wall clock ``context.now``: a load that never comes changes
  no data, so ``alerts --send`` re-checks this rule on its own (``refresh_clock``).
- ``load_anomaly``: the latest load of a kind whose reject rate, or (orders) revenue per order
  day, is far off the median of the loads before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from salesdash.alerts.context import Context
from salesdash.alerts.model import Alert, Link, alert_key
from salesdash.db import run_sql
from salesdash.targets import EDIT_FILE_NAME

OVERDUE, ANOMALY = "load_overdue", "load_anomaly"


@dataclass(frozen=True)
class CadenceSettings:
    # A cadence needs a few loads: four load days give three gaps.
    min_loads: int = 4
    # Twice the usual gap: a weekly export a week late, a monthly one a month late.
    overdue_factor: float = 2.0
    # Four times the usual gap: the feed has stopped, not slipped.
    critical_factor: float = 4.0
    # Loads compared with at most the twelve before them: a year of monthly exports.
    history_loads: int = 12
    # Rejects: more than three times the usual rate and at least two points above it (a file
    # that usually loses 0.1% losing 0.3% is still a clean file) ...
    reject_factor: float = 3.0
    reject_points: float = 0.02
    # ... and revenue per day off by more than half or double: a partial or doubled export.
    revenue_factor: float = 2.0


def _owner(load) -> str:
    return load.user_name if isinstance(load.user_name, str) else ""


def _overdue(kind: str, loads: pd.DataFrame, now: datetime, as_of: date, s: CadenceSettings):
    days = pd.to_datetime(loads["loaded_at"]).dt.normalize().drop_duplicates()
    if len(days) < s.min_loads:
        return None
    usual = float(days.diff().dt.days.dropna().median())
    last = loads.iloc[-1]
    waited = (now - pd.Timestamp(last["loaded_at"]).to_pydatetime()).total_seconds() / 86400
    if waited <= s.overdue_factor * usual:
        return None
    return Alert(
        kind=OVERDUE,
        key=alert_key(OVERDUE, kind, int(last["batch_id"])),
        severity="critical" if waited > s.critical_factor * usual else "warning",
        owner_kind="data",
        owner=_owner(last),
        subject=kind,
        as_of=as_of,
        facts={
            "table": kind,
            "last_loaded_date": pd.Timestamp(last["loaded_at"]).date().isoformat(),
            "waited_days": round(waited, 1),
            "usual_gap_days": round(usual, 1),
            "n_loads": len(days),
        },
        response="load_data",
        link=Link("data"),
    )


def _anomalies(kind: str, loads: pd.DataFrame, as_of: date, s: CadenceSettings) -> list[Alert]:
    if len(loads) < s.min_loads:
        return []
    last = loads.iloc[-1]
    before = loads.iloc[-1 - s.history_loads : -1]
    out = []
    usual_rejects = float(before["reject_rate"].median())
    rate = float(last["reject_rate"] or 0.0)
    if rate > max(s.reject_factor * usual_rejects, usual_rejects + s.reject_points):
        out.append(("reject_rate", "rate", rate, usual_rejects))
    usual_revenue = before["revenue_per_day"].median()
    per_day = last["revenue_per_day"]
    if pd.notna(per_day) and pd.notna(usual_revenue) and usual_revenue > 0:
        ratio = per_day / usual_revenue
        if ratio > s.revenue_factor or ratio < 1 / s.revenue_factor:
            out.append(("revenue_per_day", "amount", float(per_day), float(usual_revenue)))
    return [
        Alert(
            kind=ANOMALY,
            key=alert_key(ANOMALY, int(last["batch_id"]), measure),
            severity="warning",
            owner_kind="data",
            owner=_owner(last),
            subject=str(last["file_name"]),
            as_of=as_of,
            facts={
                "table": kind,
                "measure": measure,
                "batch_id": int(last["batch_id"]),
                "file_name": str(last["file_name"]),
                f"latest_{unit}": round(value, 4),
                f"usual_{unit}": round(usual, 4),
            },
            response="check_load",
            link=Link("data"),
        )
        for measure, unit, value, usual in out
    ]


def check(
    con: duckdb.DuckDBPyConnection, as_of: date, settings: CadenceSettings, context: Context
) -> list[Alert]:
    """Overdue and anomalous loads per kind of export, as of ``context.now``."""
    loads = run_sql(con, "alerts/loads", now=context.now, edit_file_name=EDIT_FILE_NAME)
    alerts = []
    for kind, part in loads.groupby("kind", sort=True):
        part = part.reset_index(drop=True)
        overdue = _overdue(kind, part, context.now, as_of, settings)
        alerts += [overdue] if overdue else []
        alerts += _anomalies(kind, part, as_of, settings)
    return alerts
