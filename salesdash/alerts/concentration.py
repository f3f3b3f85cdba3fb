"""Concentration: the top 10 customers' share of the company's revenue, or one rep's share of a
region's, above a threshold or rising fast (over the last 365 days against the 365 before).

Money at stake = the concentrated revenue (the top customers', the rep's) of the last 365 days.
Severity: info when above the threshold or rising fast, warning when both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from salesdash.alerts.context import Context
from salesdash.alerts.model import Alert, Link, alert_key
from salesdash.db import run_sql, scalar

KIND = "concentration"
# The year compared against, in days: a whole year, so the season cancels out.
WINDOW_DAYS = 365


@dataclass(frozen=True)
class ConcentrationSettings:
    # Top-N customers: ten is what a manager can name, and the usual Pareto check.
    top_n: int = 10
    # Half the revenue from ten customers: losing one or two of them shows in the totals.
    top_share_above: float = 0.50
    # Ten points more in a year is a shift in the business, not noise of a few orders.
    top_rising_points: float = 0.10
    # Half a region's revenue through one rep: the region depends on one person.
    rep_share_above: float = 0.50
    # Fifteen points more in a year: accounts are piling up on one rep.
    rep_rising_points: float = 0.15


def shares(frame: pd.DataFrame) -> pd.DataFrame:
    """``alerts/concentration.sql`` rows as one row per (measure, region, sales_rep): ``revenue``
    and ``share`` of the current window, ``share_before`` of the previous (NaN if absent)."""
    frame = frame.assign(
        share=frame["revenue"] / frame["base_revenue"].where(frame["base_revenue"] > 0)
    )
    keys = ["measure", "region", "sales_rep"]
    current = frame[frame["window_name"] == "current"][keys + ["revenue", "share"]]
    before = frame[frame["window_name"] == "previous"][keys + ["share"]]
    return current.merge(before.rename(columns={"share": "share_before"}), on=keys, how="left")


def check(
    con: duckdb.DuckDBPyConnection, as_of: date, settings: ConcentrationSettings, context: Context
) -> list[Alert]:
    """The top customers' share and every rep's share of their region (see the docstring)."""
    first = scalar(con, "select min(order_date) from orders")
    if first is None:
        return []
    frame = shares(run_sql(con, "alerts/concentration", as_of=as_of, top_n=settings.top_n))
    # a year before the first order is no year: a share cannot rise from a window without data
    if first > as_of - timedelta(days=2 * WINDOW_DAYS - 1):
        frame["share_before"] = float("nan")
    start = as_of - timedelta(days=WINDOW_DAYS - 1)
    alerts = []
    for row in frame.itertuples():
        top = row.measure == "top_customers"
        above_at = settings.top_share_above if top else settings.rep_share_above
        rising_by = settings.top_rising_points if top else settings.rep_rising_points
        above = row.share > above_at
        rising = pd.notna(row.share_before) and row.share - row.share_before >= rising_by
        if not (above or rising):
            continue
        region = None if top else row.region
        link = Link.for_period("explore", start, as_of, region=region)
        if top:  # the customers' Pareto view
            link = link.plus(("dim", "customer"), ("view", "pareto"))
        alerts.append(
            Alert(
                kind=KIND,
                key=alert_key(KIND, row.measure, row.region, row.sales_rep),
                severity="warning" if above and rising else "info",
                owner_kind="company" if top else "region",
                owner="" if top else row.region,
                subject="" if top else row.sales_rep,
                as_of=as_of,
                region=region,
                sales_rep=None if top else row.sales_rep,
                facts={
                    "measure": row.measure,
                    "n_top": settings.top_n,
                    "revenue_share": round(row.share, 4),
                    "before_share": None
                    if pd.isna(row.share_before)
                    else round(row.share_before, 4),
                    "threshold_share": above_at,
                    "revenue_amount": round(row.revenue, 2),
                },
                money_at_stake=round(row.revenue, 2),
                response="spread_customers" if top else "spread_accounts",
                link=link,
            )
        )
    return alerts
