"""The SMART check of a target — Specific, Measurable, Achievable, Relevant, Time-bound — each
with a pass/fail and the reason in plain words (a catalogue key, so it reads in both languages).

``assess_targets`` is the one call behind the Targets page and ``python -m salesdash targets``:
every current target's progress (``targets.track``) with its five checks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd

from salesdash import i18n, periods, targets
from salesdash.db import run_sql
from salesdash.scope import Scope

RULES = ("specific", "measurable", "achievable", "relevant", "time_bound")
# The traffic light a verdict is drawn with (passed, failed, cannot judge).
VERDICT_LIGHTS = {True: "green", False: "red", None: None}
# A target the forecast gives less than a 10% chance is a wish, one it gives more than 90% is
# already in the bag: neither steers effort. Both ends can be passed to the checks.
P_UNREALISTIC = 0.10
P_NOT_AMBITIOUS = 0.90
# "Has activity": some order (or closed deal) in the year before the period starts, or in it.
ACTIVITY_LOOKBACK_DAYS = 365
# Opportunities carry no category, so a category's win rate cannot be computed.
_DEAL_SCOPES = ("company", "region", "channel", "sales_rep", "product")
# (scope, scope_value) → its first and last order and closed-deal dates (known_scope_values)
Known = dict[tuple[str, str], dict]


@dataclass(frozen=True)
class SmartCheck:
    """One rule's verdict: ``passed`` is None when it cannot be judged (e.g. no forecast)."""

    rule: str
    passed: bool | None
    code: str
    params: dict = field(default_factory=dict)

    def reason(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The reason in plain words."""
        return i18n.t(f"targets.smart.{self.code}", lang, **self.params)

    def as_dict(self, lang: str = i18n.DEFAULT_LANGUAGE) -> dict:
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason(lang)}


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and pd.isna(value))
        and (str(value).strip() != "")
    )


def check_specific(row: dict, known: Known) -> SmartCheck:
    """Scope and metric are named, and the scope value exists in the data."""
    scope, value, metric = row.get("scope"), row.get("scope_value") or "", row.get("metric")
    if scope not in targets.SCOPES:
        return SmartCheck("specific", False, "unknown_scope", {"scope": scope})
    if metric not in targets.METRICS:
        return SmartCheck("specific", False, "unknown_metric", {"metric": metric})
    if scope != "company" and not _present(value):
        return SmartCheck("specific", False, "no_scope_value", {"scope": scope})
    if _known_row(known, scope, value) is None:
        return SmartCheck("specific", False, "value_not_in_data", {"scope": scope, "value": value})
    return SmartCheck("specific", True, "specific_ok", {"scope": scope, "metric": metric})


def check_measurable(row: dict, known: Known) -> SmartCheck:
    """The metric can be computed from the loaded data for this scope."""
    scope, value, metric = row.get("scope"), row.get("scope_value") or "", row.get("metric")
    if metric not in targets.METRICS:
        return SmartCheck("measurable", False, "unknown_metric", {"metric": metric})
    found = _known_row(known, scope, value)
    if metric == "win_rate":
        if scope not in _DEAL_SCOPES:
            return SmartCheck("measurable", False, "no_deals_for_scope", {"scope": scope})
        if found is None or pd.isna(found["first_deal_date"]):
            return SmartCheck("measurable", False, "no_deals", {})
        return SmartCheck("measurable", True, "measurable_deals", {})
    if found is None or pd.isna(found["first_date"]):
        return SmartCheck("measurable", False, "no_orders", {"metric": metric})
    return SmartCheck("measurable", True, "measurable_orders", {"metric": metric})


def check_achievable(
    progress: targets.TargetProgress | None,
    *,
    p_low: float = P_UNREALISTIC,
    p_high: float = P_NOT_AMBITIOUS,
) -> SmartCheck:
    """P(reaching the target) from the forecast lies between ``p_low`` and ``p_high``."""
    limits = {"low": f"{p_low:.0%}", "high": f"{p_high:.0%}"}
    if progress is None or progress.p_hit is None:
        return SmartCheck("achievable", None, "no_forecast", {})
    if progress.status == "closed":
        code = "closed_reached" if progress.actual >= progress.target else "closed_missed"
        return SmartCheck("achievable", None, code, {})
    p = {"p": f"{progress.p_hit:.1%}", **limits}
    if progress.p_hit < p_low:
        return SmartCheck("achievable", False, "unrealistic", p)
    if progress.p_hit > p_high:
        return SmartCheck("achievable", False, "not_ambitious", p)
    return SmartCheck("achievable", True, "achievable_ok", p)


def check_relevant(row: dict, known: Known) -> SmartCheck:
    """The scope has recent activity and an owner or a note says why the target matters."""
    found = _known_row(known, row.get("scope"), row.get("scope_value") or "")
    start = row.get("period_start")
    since = start - timedelta(days=ACTIVITY_LOOKBACK_DAYS) if start else None
    last = None
    if found is not None:
        dates = [d for d in (found["last_date"], found["last_deal_date"]) if not pd.isna(d)]
        last = max(pd.Timestamp(d).date() for d in dates) if dates else None
    if last is None or (since is not None and last < since):
        return SmartCheck("relevant", False, "no_activity", {"days": ACTIVITY_LOOKBACK_DAYS})
    if not (_present(row.get("owner")) or _present(row.get("note"))):
        return SmartCheck("relevant", False, "no_why", {})
    return SmartCheck("relevant", True, "relevant_ok", {})


def check_time_bound(row: dict) -> SmartCheck:
    """A start and an end, the end after the start."""
    start, end = row.get("period_start"), row.get("period_end")
    if not isinstance(start, date) or not isinstance(end, date):
        return SmartCheck("time_bound", False, "no_dates", {})
    if end <= start:
        return SmartCheck("time_bound", False, "end_not_after_start", {"start": start, "end": end})
    return SmartCheck("time_bound", True, "time_bound_ok", {"start": start, "end": end})


def smart_checks(
    row: dict,
    progress: targets.TargetProgress | None,
    known: Known,
    *,
    p_low: float = P_UNREALISTIC,
    p_high: float = P_NOT_AMBITIOUS,
) -> tuple[SmartCheck, ...]:
    """The five checks of one target, in SMART order.

    Args:
        row: the target (period_start, period_end, scope, scope_value, metric, target, owner, note).
        progress: its progress (for P(hit)); None when it could not be tracked.
        known: ``known_scope_values(con)``.
    """
    return (
        check_specific(row, known),
        check_measurable(row, known),
        check_achievable(progress, p_low=p_low, p_high=p_high),
        check_relevant(row, known),
        check_time_bound(row),
    )


def known_scope_values(con: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> Known:
    """Every (scope, scope_value) in the scope's data → its first/last order and closed-deal
    dates (``first_date``, ``last_date``, ``first_deal_date``, ``last_deal_date``)."""
    frame = run_sql(con, "targets/scope_values", **(scope or Scope()).params())
    return {
        (row.pop("scope"), row.pop("scope_value")): row for row in frame.to_dict(orient="records")
    }


def _known_row(known: Known, scope: str | None, value: str) -> dict | None:
    # a dict, not a frame filtered per check: 702 filters cost 1.8 s for the demo's 234 targets
    return known.get((scope, value))


def assess_targets(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    as_of: date,
    p_low: float = P_UNREALISTIC,
    p_high: float = P_NOT_AMBITIOUS,
    simulate: targets.Simulator | None = None,
) -> pd.DataFrame:
    """Every current target ``scope`` shows on ``as_of``: its progress and its SMART checks.

    Returns:
        one row per target: the ``TargetProgress`` fields, then ``smart`` (tuple of five
        ``SmartCheck``), ``smart_passed`` (how many passed) and ``period_kind``. The scope
        chooses which targets are listed (``targets.current_targets``); every actual is
        computed on all the data of its own target scope.
    """
    current = targets.current_targets(con, scope)
    progress = targets.track(con, current, as_of=as_of, scope=scope, simulate=simulate)
    frame = targets.progress_frame(progress)
    known = known_scope_values(con)
    checks = [smart_checks(asdict(p), p, known, p_low=p_low, p_high=p_high) for p in progress]
    frame["smart"] = pd.Series(checks, index=frame.index, dtype=object)
    frame["smart_passed"] = [sum(c.passed is True for c in cs) for cs in checks]
    frame["period_kind"] = [
        periods.period_kind(s, e)
        for s, e in zip(frame["period_start"], frame["period_end"], strict=True)
    ]
    return frame
