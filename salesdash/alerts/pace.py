"""Target pace: a running target whose chance of being hit fell below 50%, or fell by 20 points or
more since the previous data version.

The chance is the Targets page's P(hit) (``forecasts.TargetOutlook``). Money at stake = target −
projection (the median total), when the projection falls short.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from salesdash.alerts.context import Context
from salesdash.alerts.forecasts import TargetOutlook
from salesdash.alerts.model import Alert, Link, alert_key

KIND = "target_pace"


@dataclass(frozen=True)
class PaceSettings:
    # Below 50% missing is the likelier outcome: the owner should know while there is time.
    p_hit_below: float = 0.50
    # A fall of 20 points between two loads is news even where the odds are still good: one
    # load moved the outlook a lot.
    drop_points: float = 0.20
    # Below 20% the target is all but lost without a change of plan.
    critical_below: float = 0.20


def _severity(p_hit: float, settings: PaceSettings) -> str:
    if p_hit < settings.critical_below:
        return "critical"
    return "warning" if p_hit < settings.p_hit_below else "info"


def owner_of(outlook: TargetOutlook) -> tuple[str, str]:
    """(owner_kind, owner) of a target: its scope and scope value ("" for the company)."""
    return outlook.scope, outlook.scope_value


def _link(outlook: TargetOutlook, as_of: date) -> Link:
    filters = {"region": outlook.scope_value} if outlook.scope == "region" else {}
    return Link.for_period("targets", outlook.period_start, as_of, **filters)


def check(
    con: duckdb.DuckDBPyConnection, as_of: date, settings: PaceSettings, context: Context
) -> list[Alert]:
    """Every running target off pace (see the module docstring)."""
    alerts = []
    for outlook in context.outlooks:
        p_hit = outlook.p_hit
        before = context.previous_p_hit.get(outlook.key)
        change = None if before is None else p_hit - before
        # rounded to the reported precision: 1.0 − 0.8 is 0.19999… in floating point
        fell = change is not None and round(-change, 4) >= settings.drop_points
        if p_hit >= settings.p_hit_below and not fell:
            continue
        owner_kind, owner = owner_of(outlook)
        unit = "amount" if outlook.metric == "revenue" else "value"
        alerts.append(
            Alert(
                kind=KIND,
                key=alert_key(KIND, outlook.key),
                severity=_severity(p_hit, settings),
                owner_kind=owner_kind,
                owner=owner,
                subject=outlook.scope_value,
                as_of=as_of,
                region=outlook.scope_value if outlook.scope == "region" else None,
                sales_rep=outlook.scope_value if outlook.scope == "sales_rep" else None,
                facts={
                    "scope": outlook.scope,
                    "metric": outlook.metric,
                    "period_start_date": outlook.period_start.isoformat(),
                    "period_end_date": outlook.period_end.isoformat(),
                    f"target_{unit}": round(outlook.target, 2),
                    f"actual_{unit}": round(outlook.actual, 2),
                    f"projection_{unit}": round(outlook.projection, 2),
                    "p_hit": round(p_hit, 4),
                    "p_hit_before": None if before is None else round(before, 4),
                    "n_days_left": outlook.days_left,
                },
                money_at_stake=round(max(outlook.target - outlook.projection, 0.0), 2)
                if outlook.metric == "revenue"
                else 0.0,
                response="pace_behind" if p_hit < settings.p_hit_below else "pace_fell",
                link=_link(outlook, as_of),
                target_label=outlook.label,
                p_hit=round(p_hit, 4),
                p_hit_change=None if change is None else round(change, 4),
            )
        )
    return alerts
