"""Revenue out of range: the last complete month or week of the total, a region, a channel or a
category fell outside the 95% interval of the forecast made before that period.

How far outside is measured in interval widths: ``distance`` = (median − actual) / (median −
lo95), so 1 is the interval's edge and 2 twice as far from the median (below the range; above it
the same with hi95). Money at stake = the forecast's median − actual (what the period missed),
and per day the same spread over the period's days (what it costs if it lasts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from salesdash.alerts.context import Context
from salesdash.alerts.model import Alert, Link, alert_key
from salesdash.db import run_sql
from salesdash.periods import month_start
from salesdash.scope import Scope

KIND = "revenue_out_of_range"
_GRAIN_NAME = {"M": "month", "W": "week"}
_OWNER_KIND = {"total": "company", "region": "region", "channel": "channel", "category": "category"}


@dataclass(frozen=True)
class RevenueSettings:
    # Months show a lasting change; weeks show it a month sooner, with more noise.
    grains: tuple[str, ...] = ("M", "W")
    # A fall twice as far from the median as the 95% edge is, by the forecast's own account a
    # chance of about 1 in 20,000 (3.9 sigma): a warning, not noise.
    warning_distance: float = 2.0
    # A warning that also lost 30% of the period's forecast is critical: a third of a region's
    # month gone is a problem for this quarter's target whatever its cause.
    critical_shortfall_share: float = 0.30
    # Misses under 5% of the forecast are not reported: a steady series' interval can be so
    # narrow that its edge is crossed by a rounding of a few orders.
    min_shortfall_share: float = 0.05


def last_complete_period(as_of: date, freq: str) -> tuple[date, date]:
    """The last month or (Monday–Sunday) week that ended on or before ``as_of``."""
    if freq == "M":
        end = (
            as_of
            if (as_of + timedelta(days=1)).day == 1
            else month_start(as_of) - timedelta(days=1)
        )
        return month_start(end), end
    end = as_of - timedelta(days=(as_of.weekday() + 1) % 7)
    return end - timedelta(days=6), end


def out_of_range(
    intervals: pd.DataFrame, actuals: pd.DataFrame, settings: RevenueSettings
) -> pd.DataFrame:
    """The series whose actual lies outside [lo95, hi95], with how far and by how much.

    Args:
        intervals: level, unique_id, median, lo95, hi95 (``forecasts.interval_before``).
        actuals: level, unique_id, revenue of the same period (a series absent sold nothing).

    Returns:
        the rows of ``intervals`` outside, with ``actual``, ``direction`` ("below" | "above"),
        ``distance`` and ``shortfall_share`` (= (median − actual) / median; negative above).
    """
    frame = intervals.merge(actuals, on=["level", "unique_id"], how="left")
    frame["actual"] = frame["revenue"].fillna(0.0)
    below = frame["actual"] < frame["lo95"]
    above = frame["actual"] > frame["hi95"]
    frame["direction"] = [("below" if b else "above") for b in below]
    edge = (frame["median"] - frame["lo95"]).where(below, frame["hi95"] - frame["median"])
    frame["distance"] = (frame["median"] - frame["actual"]).abs() / edge.where(edge > 0)
    frame["shortfall_share"] = (frame["median"] - frame["actual"]) / frame["median"].where(
        frame["median"] > 0
    )
    big = frame["shortfall_share"].abs() >= settings.min_shortfall_share
    return frame[(below | above) & big].drop(columns="revenue").reset_index(drop=True)


def _severity(row, settings: RevenueSettings) -> str:
    if row.direction == "above" or not row.distance >= settings.warning_distance:
        return "info"
    return "critical" if row.shortfall_share >= settings.critical_shortfall_share else "warning"


def _link(level: str, uid: str, start: date, end: date) -> Link:
    if level == "category":
        return Link.for_period("explore", start, end).plus(("drill", f"category:{uid}"))
    if level == "total":
        return Link.for_period("overview", start, end)
    return Link.for_period("explore", start, end, **{level: uid})


def check(
    con: duckdb.DuckDBPyConnection, as_of: date, settings: RevenueSettings, context: Context
) -> list[Alert]:
    """Every series whose last complete month or week fell outside its forecast's 95% range."""
    alerts = []
    for freq in settings.grains:
        start, end = last_complete_period(as_of, freq)
        intervals = context.forecasts.interval_before(con, freq, start)
        if intervals.empty:
            continue
        # the forecast's own query over just the period: one row per series, its revenue
        scope = Scope(start_date=start, end_date=end).params()
        actuals = run_sql(con, "forecast/hierarchy_sales", grain=_GRAIN_NAME[freq], **scope)
        actuals = actuals.rename(columns={"y": "revenue"})
        days = (end - start).days + 1
        for row in out_of_range(intervals, actuals, settings).itertuples():
            missed = max(row.median - row.actual, 0.0)
            alerts.append(
                Alert(
                    kind=KIND,
                    key=alert_key(KIND, freq, row.level, row.unique_id, start),
                    severity=_severity(row, settings),
                    owner_kind=_OWNER_KIND[row.level],
                    owner="" if row.level == "total" else row.unique_id,
                    subject="" if row.level == "total" else row.unique_id,
                    as_of=as_of,
                    region=row.unique_id if row.level == "region" else None,
                    facts={
                        "grain": _GRAIN_NAME[freq],
                        "direction": row.direction,
                        "period_start_date": start.isoformat(),
                        "period_end_date": end.isoformat(),
                        "actual_amount": round(row.actual, 2),
                        "median_amount": round(row.median, 2),
                        "lo95_amount": round(row.lo95, 2),
                        "hi95_amount": round(row.hi95, 2),
                        "shortfall_share": round(row.shortfall_share, 4),
                        "distance": round(float(row.distance), 2),
                    },
                    money_at_stake=round(missed, 2),
                    money_per_day=round(missed / days, 2),
                    response=f"revenue_{row.direction}",
                    link=_link(row.level, row.unique_id, start, end),
                )
            )
    return alerts
