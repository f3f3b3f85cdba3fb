"""Sales KPIs of a scope and its comparison periods, and the revenue trend.

Definitions (DESIGN.md, one meaning everywhere): revenue = Σ revenue (returns are negative);
orders = distinct order_id; aov = revenue / orders; active customers = distinct customers with an
order in the period; new customers = first order ever in the period; repeat rate = share of active
customers with an earlier order; win rate = won / (won + lost) among deals closed in the period.

The numbers come from rollups maintained at ingest (``sql/rollups/sales_*.sql``); a scope that
filters categories or products is answered from the order lines, which are the reference the
rollup path is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from salesdash.db import run_sql
from salesdash.scope import Scope

GRAINS = ("day", "week", "month", "quarter")
# Up to two months a day is readable; up to ~13 months weeks; beyond that months.
DAY_GRAIN_MAX_DAYS = 62
WEEK_GRAIN_MAX_DAYS = 400


@dataclass(frozen=True)
class Kpis:
    """The KPIs of one period; ratios are None when their denominator is zero."""

    start_date: date | None
    end_date: date | None
    revenue: float
    orders: int
    aov: float | None
    active_customers: int
    new_customers: int
    returning_customers: int
    repeat_rate: float | None
    win_rate: float | None
    n_won: int
    n_lost: int

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class KpiSummary:
    """A period's KPIs with the previous period and the same period last year (None: open range).

    ``previous_label`` names the previous-period comparison by the period's length
    (WoW, MoM, QoQ, else PoP); the last-year comparison is always YoY.
    """

    current: Kpis
    previous: Kpis | None
    last_year: Kpis | None
    previous_label: str

    def as_dict(self) -> dict:
        return {
            "current": self.current.as_dict(),
            "previous": self.previous.as_dict() if self.previous else None,
            "last_year": self.last_year.as_dict() if self.last_year else None,
            "previous_label": self.previous_label,
        }


def ratio(num: Any, den: Any) -> Any:
    """num / den, NaN where den is not positive, for numbers and arrays alike: the one way every
    rate and average is taken, so that a count of nothing gives no rate (not 0, not an error)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return out if out.ndim else float(out)


def ratio_or_none(num: float, den: float) -> float | None:
    """``ratio`` of two numbers, None where it is NaN (dataclass fields, JSON)."""
    value = ratio(num, den)
    return None if np.isnan(value) else value


def _kpis_from_row(row: pd.Series, opps: pd.Series | None, scope: Scope) -> Kpis:
    revenue, orders = float(row["revenue"]), int(row["n_orders"])
    active, returning = int(row["active_customers"]), int(row["returning_customers"])
    won = int(opps["n_won"]) if opps is not None else 0
    lost = int(opps["n_lost"]) if opps is not None else 0
    return Kpis(
        start_date=scope.start_date,
        end_date=scope.end_date,
        revenue=revenue,
        orders=orders,
        aov=ratio_or_none(revenue, orders),
        active_customers=active,
        new_customers=int(row["new_customers"]),
        returning_customers=returning,
        repeat_rate=ratio_or_none(returning, active),
        win_rate=ratio_or_none(won, won + lost),
        n_won=won,
        n_lost=lost,
    )


def kpis(con: duckdb.DuckDBPyConnection, scope: Scope) -> Kpis:
    """The KPIs of one scope (rollup path unless categories/products are filtered)."""
    name = "reference/kpis" if scope.categories or scope.products else "sales/kpis"
    row = run_sql(con, name, **scope.params()).iloc[0]
    return _kpis_from_row(row, _opportunity_totals(con, scope), scope)


def kpis_plain(con: duckdb.DuckDBPyConnection, scope: Scope) -> Kpis:
    """The same KPIs computed straight from the order lines (the reference for the rollups)."""
    row = run_sql(con, "reference/kpis", **scope.params()).iloc[0]
    return _kpis_from_row(row, _opportunity_totals(con, scope), scope)


def _opportunity_totals(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.Series | None:
    frame = run_sql(con, "funnel/closed_deals", by_rep=False, **scope.params())
    return frame.iloc[0] if len(frame) else None


def opportunity_stats(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Deals closed in the scope, one row per sales_rep.

    Columns: sales_rep, n_won, n_lost, win_rate (0–1, NaN without closed deals),
    median_cycle_days (median close − created of won deals). Region and rep filters apply;
    channel does not (an opportunity's source is the lead's channel, not a sales channel).
    """
    return run_sql(con, "funnel/closed_deals", by_rep=True, **scope.params())


def previous_label(scope: Scope) -> str:
    """WoW / MoM / QoQ for periods up to a week / month / quarter long, else PoP."""
    n = scope.n_days or 0
    if n <= 7:
        return "WoW"
    if n <= 31:
        return "MoM"
    if n <= 92:
        return "QoQ"
    return "PoP"


def kpi_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> KpiSummary:
    """The scope's KPIs with its previous period and the same period last year."""
    closed = scope.start_date is not None and scope.end_date is not None
    return KpiSummary(
        current=kpis(con, scope),
        previous=kpis(con, scope.previous_period()) if closed else None,
        last_year=kpis(con, scope.same_period_last_year()) if closed else None,
        previous_label=previous_label(scope),
    )


# KPI cards in their order; ratios compare as a difference in points, amounts as a ratio.
KPI_FIELDS = (
    "revenue",
    "orders",
    "aov",
    "active_customers",
    "new_customers",
    "repeat_rate",
    "win_rate",
)
RATE_FIELDS = ("repeat_rate", "win_rate")


def kpi_change(summary: KpiSummary, field: str, against: str) -> float | None:
    """A card's change against "previous" or "last_year".

    Amounts: relative change (0.05 = +5%); rates: difference in points of the 0–1 ratio.
    None when the comparison period is missing or has no base.
    """
    base = getattr(summary, against)
    if base is None:
        return None
    now, before = getattr(summary.current, field), getattr(base, field)
    if field in RATE_FIELDS:
        return None if now is None or before is None else now - before
    return change(now, before)


def change(current: float | None, before: float | None) -> float | None:
    """Relative change current / before − 1; None when before is missing or zero."""
    if current is None or before is None or before == 0:
        return None
    return current / before - 1 if before > 0 else (current - before) / abs(before)


def with_previous_revenue(
    current: pd.DataFrame, previous: pd.DataFrame, *, on: str, change_column: str
) -> pd.DataFrame:
    """``current`` with ``revenue_previous`` (``previous``'s revenue, matched on ``on``; NaN
    where the member had none) and ``change_column``: the relative change against it."""
    out = current.merge(
        previous[[on, "revenue"]].rename(columns={"revenue": "revenue_previous"}),
        on=on,
        how="left",
    )
    out[change_column] = [
        change(c, p) if pd.notna(p) else np.nan
        for c, p in zip(out["revenue"], out["revenue_previous"], strict=True)
    ]
    out[change_column] = out[change_column].astype(float)
    return out


def default_grain(scope: Scope) -> str:
    """Day for ranges up to two months, week up to about 13 months, else month."""
    n = scope.n_days
    if n is None or n > WEEK_GRAIN_MAX_DAYS:
        return "month"
    return "day" if n <= DAY_GRAIN_MAX_DAYS else "week"


def order_count_column(scope: Scope, by: str | None = None) -> str:
    """Which exact order count of rollup_sales_cube answers a question (see its SQL)."""
    if by == "product" or scope.products:
        return "product"
    if by == "category" or scope.categories:
        return "category"
    return "total"


def revenue_trend(con: duckdb.DuckDBPyConnection, scope: Scope, grain: str) -> pd.DataFrame:
    """Revenue per period of the scope with the same periods last year drawn on this year's axis.

    Returns:
        One row per (ds, unique_id): ds (period start, date), unique_id ("current" |
        "last_year"), y (revenue), n_orders.
    """
    if grain not in GRAINS:
        raise ValueError(f"unknown grain '{grain}' (expected one of: {', '.join(GRAINS)})")
    frames = []
    periods = [("current", scope, 0)]
    if scope.start_date is not None and scope.end_date is not None:
        periods.append(("last_year", scope.same_period_last_year(), 1))
    for unique_id, sc, shift in periods:
        frame = run_sql(
            con,
            "sales/by_period",
            by="total",
            grain=grain,
            shift_years=shift,
            order_count=order_count_column(sc),
            **sc.params(),
        )
        frames.append(frame.assign(unique_id=unique_id))
    out = pd.concat(frames, ignore_index=True).rename(columns={"revenue": "y"})
    out["ds"] = pd.to_datetime(out["ds"])
    return out[["ds", "unique_id", "y", "n_orders"]].reset_index(drop=True)
