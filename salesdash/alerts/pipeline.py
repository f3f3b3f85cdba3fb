"""Pipeline: a quarter the open pipeline cannot carry, deals stuck, close dates passed.

- ``pipeline_gap``: for a running quarter revenue target (company or region), the part of the gap
  (target − actual to date) that deals must bring — the gap × the share of revenue won through
  deals in the last 365 days — against what deals are expected to bring by the quarter's end:
  the open deals expected to close by then, each weighted by the historical win rate from its
  stage (the funnel's weighted pipeline), plus the deals not yet created that history says will
  be created and won in time (won amount per day × Σ over the days left of the share of won
  deals whose cycle fits). Money at stake = what is not covered. Severity by coverage =
  expected / needed: info below 1, warning below ``warning_coverage``, critical below
  ``critical_coverage``.
- ``deal_stuck``: an open deal older than 90% of the won deals' whole cycles. Exports carry no
  date of entering a stage, so the time in the current stage cannot be seen; the deal's age is
  its upper bound and the won deals' whole cycles the yardstick (a deal open longer than nine
  won deals in ten took from lead to contract is stuck somewhere). Warning past twice that.
- ``deal_overdue``: an open deal whose close date has passed; warning past ``overdue_days``.

An open deal's expected close is its close date, else its creation plus the median won cycle
(never before tomorrow). Opportunities are read as loaded (the state of the latest export).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash.alerts.context import Context
from salesdash.alerts.model import Alert, Link, alert_key
from salesdash.db import run_sql
from salesdash.periods import period_kind

GAP, STUCK, OVERDUE = "pipeline_gap", "deal_stuck", "deal_overdue"
# The year of won deals and revenue the deal share and the win pace are taken from.
WINDOW_DAYS = 365


@dataclass(frozen=True)
class PipelineSettings:
    # Deals expected to bring less than the gap needs: the quarter depends on luck.
    warning_coverage: float = 0.75
    # Half the needed amount or less in sight: the target is out of reach without new deals.
    critical_coverage: float = 0.50
    # Stuck: older than 90% of won deals' cycles (the issue's yardstick).
    stuck_quantile: float = 0.90
    # Twice that age is a deal nobody is working on.
    stuck_warning_factor: float = 2.0
    # A month past its close date and still open: the forecast counts a deal that is not coming.
    overdue_days: int = 30
    # A cycle yardstick needs enough won deals to mean anything.
    min_won_deals: int = 20


def new_deal_factor(cycle_days: np.ndarray, days_left: int) -> float:
    """Σ_{u=1..days_left} F(u), F the share of won cycles of at most u days: multiplied by the
    won amount per day it is what deals created from tomorrow on bring by ``days_left``."""
    if days_left <= 0 or len(cycle_days) == 0:
        return 0.0
    ordered = np.sort(cycle_days)
    u = np.arange(1, days_left + 1)
    return float(np.searchsorted(ordered, u, side="right").sum() / len(ordered))


def expected_close(deals: pd.DataFrame, as_of: date, median_cycle: float) -> pd.Series:
    """Each open deal's expected close date (see the module docstring)."""
    created = pd.to_datetime(deals["created_date"])
    guess = created + pd.to_timedelta(round(median_cycle), unit="D")
    planned = pd.to_datetime(deals["close_date"]).fillna(guess)
    return planned.clip(lower=pd.Timestamp(as_of + timedelta(days=1)))


def _deal_alert(
    kind: str, deal, as_of: date, severity: str, facts: dict, *key_parts: object
) -> Alert:
    return Alert(
        kind=kind,
        key=alert_key(kind, deal.opportunity_id, *key_parts),
        severity=severity,
        owner_kind="sales_rep" if isinstance(deal.sales_rep, str) else "region",
        owner=deal.sales_rep if isinstance(deal.sales_rep, str) else (deal.region or ""),
        subject=deal.opportunity_id,
        as_of=as_of,
        region=deal.region if isinstance(deal.region, str) else None,
        sales_rep=deal.sales_rep if isinstance(deal.sales_rep, str) else None,
        customer_id=deal.customer_id if isinstance(deal.customer_id, str) else None,
        facts={
            "stage": deal.stage,
            "created_date": deal.created_date.date().isoformat(),
            "deal_amount": round(deal.amount, 2),
            "weighted_amount": round(deal.weighted_amount, 2),
            **facts,
        },
        money_at_stake=round(deal.weighted_amount, 2),
        response="review_deal",
        link=Link.for_period(
            "funnel",
            deal.created_date.date(),
            as_of,
            region=deal.region if isinstance(deal.region, str) else None,
        ),
    )


def deal_alerts(
    deals: pd.DataFrame, cycles: np.ndarray, as_of: date, settings: PipelineSettings
) -> list[Alert]:
    """Stuck and overdue deals among the open ``deals`` (``alerts/open_deals.sql``)."""
    alerts = []
    if len(cycles) >= settings.min_won_deals:
        limit = float(np.quantile(cycles, settings.stuck_quantile))
        for deal in deals[deals["age_days"] > limit].itertuples():
            warn = deal.age_days > settings.stuck_warning_factor * limit
            facts = {"age_days": int(deal.age_days), "quantile_cycle_days": round(limit)}
            severity = "warning" if warn else "info"
            alerts.append(_deal_alert(STUCK, deal, as_of, severity, facts, deal.stage))
    closes = pd.to_datetime(deals["close_date"])
    for deal, close in zip(deals.itertuples(), closes, strict=True):
        if pd.isna(close) or close.date() >= as_of:
            continue
        late = (as_of - close.date()).days
        facts = {"close_date": close.date().isoformat(), "overdue_days": late}
        severity = "warning" if late > settings.overdue_days else "info"
        alerts.append(_deal_alert(OVERDUE, deal, as_of, severity, facts, close.date()))
    return alerts


def _gap_severity(coverage: float, settings: PipelineSettings) -> str:
    if coverage < settings.critical_coverage:
        return "critical"
    return "warning" if coverage < settings.warning_coverage else "info"


def gap_alerts(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    settings: PipelineSettings,
    context: Context,
    deals: pd.DataFrame,
    won: pd.DataFrame,
) -> list[Alert]:
    """Quarters whose expected deals cannot cover the part of the gap deals must bring."""
    quarters = [
        o
        for o in context.outlooks
        if o.metric == "revenue"
        and o.scope in ("company", "region")
        and period_kind(o.period_start, o.period_end) == "quarter"
    ]
    if not quarters or won.empty:
        return []
    start = as_of - timedelta(days=WINDOW_DAYS)
    revenue = run_sql(con, "alerts/region_revenue", start_date=start, end_date=as_of)
    revenue = revenue.set_index(["scope", "scope_value"])["revenue"]
    recent = won[pd.to_datetime(won["close_date"]) > pd.Timestamp(start)]
    cycles = won["cycle_days"].to_numpy()
    deals = deals.assign(expected=expected_close(deals, as_of, float(np.median(cycles))))
    alerts = []
    for o in quarters:
        region = o.scope_value if o.scope == "region" else None
        mine = recent if region is None else recent[recent["region"] == region]
        sold = float(revenue.get((o.scope, o.scope_value), 0.0))
        won_amount = float(mine["amount"].sum())
        if won_amount <= 0 or sold <= 0:
            continue
        deal_share = min(won_amount / sold, 1.0)
        need = max(o.target - o.actual, 0.0) * deal_share
        in_scope = deals if region is None else deals[deals["region"] == region]
        due = in_scope[in_scope["expected"] <= pd.Timestamp(o.period_end)]
        from_open = float(due["weighted_amount"].sum())
        from_new = won_amount / WINDOW_DAYS * new_deal_factor(cycles, o.days_left)
        coverage = (from_open + from_new) / need if need > 0 else float("inf")
        if coverage >= 1.0:
            continue
        alerts.append(
            Alert(
                kind=GAP,
                key=alert_key(GAP, o.key),
                severity=_gap_severity(coverage, settings),
                owner_kind=o.scope,
                owner=o.scope_value,
                subject=o.scope_value,
                as_of=as_of,
                region=region,
                facts={
                    "period_start_date": o.period_start.isoformat(),
                    "period_end_date": o.period_end.isoformat(),
                    "target_amount": round(o.target, 2),
                    "actual_amount": round(o.actual, 2),
                    "deal_share": round(deal_share, 4),
                    "need_amount": round(need, 2),
                    "open_amount": round(from_open, 2),
                    "new_amount": round(from_new, 2),
                    "coverage_rate": round(coverage, 4),
                    "n_open_deals": len(due),
                },
                money_at_stake=round(need - from_open - from_new, 2),
                response="fill_pipeline",
                target_label=o.label,
                p_hit=round(o.p_hit, 4),
                p_hit_if_lost=round(o.p_hit_without(need - from_open - from_new), 4),
                link=Link.for_period("funnel", o.period_start, as_of, region=region),
            )
        )
    return alerts


def check(
    con: duckdb.DuckDBPyConnection, as_of: date, settings: PipelineSettings, context: Context
) -> list[Alert]:
    """Pipeline gaps of running quarters, stuck deals and passed close dates."""
    deals = run_sql(con, "alerts/open_deals", as_of=as_of)
    won = run_sql(con, "alerts/won_deals", as_of=as_of)
    deals["created_date"] = pd.to_datetime(deals["created_date"])
    cycles = won["cycle_days"].to_numpy()
    return deal_alerts(deals, cycles, as_of, settings) + gap_alerts(
        con, as_of, settings, context, deals, won
    )
