"""Customers going quiet: an A-tier customer (the Customers page's value tier) whose time since
their last order is well past their own gaps between order days: past the 90th percentile of
their gaps, and a silence a random buyer at their own mean rate would keep with a chance under
``info_chance`` (e^(−silence / mean gap); about 4.6 mean gaps for 1%).

Money at stake = the customer's revenue in the year up to their last order (a year of their
business); per day the same over 365 days. Severity: warning below ``warning_chance``, else info.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import duckdb

from salesdash import segments
from salesdash.alerts.context import Context
from salesdash.alerts.model import Alert, Link, alert_key
from salesdash.db import run_sql
from salesdash.scope import Scope

KIND = "customer_quiet"


@dataclass(frozen=True)
class QuietSettings:
    # Past the 90th percentile of their own gaps: a silence longer than nine in ten of theirs.
    gap_quantile: float = 0.90
    # ... and unlikely at their own pace: one A-tier customer in ten is past their 90th
    # percentile on any day, which is a list, not a warning; under 1% is "well past".
    info_chance: float = 0.01
    # A percentile needs a few gaps to mean anything: four gaps are five order days.
    min_gaps: int = 4
    # Never flag a silence shorter than a month: a weekly buyer three weeks quiet is more likely
    # on holiday than lost (as the care list, carelist.MIN_OVERDUE_DAYS).
    min_quiet_days: int = 30
    # After a year without an order the customer is lost: a win-back campaign, not an early
    # warning (and a long-lost big customer would otherwise stay on the list for ever).
    max_quiet_days: int = 365
    # A silence a random buyer at their own mean rate would keep with a chance under 1 in
    # 10,000 (about nine mean gaps) is a warning: with hundreds of A-tier customers checked at
    # every load, 1 in 1,000 would cry wolf every few weeks.
    warning_chance: float = 0.0001


def check(
    con: duckdb.DuckDBPyConnection, as_of: date, settings: QuietSettings, context: Context
) -> list[Alert]:
    """Every A-tier customer silent past their own usual gaps (see the module docstring)."""
    rfm = segments.rfm_table(con, Scope(), as_of)
    # The orders' mean gap is at most the order days' one, so a silence short of info_chance at
    # the orders' pace is short of it at the days' pace too: those need no look at their days.
    order_gap = (rfm["last_order_date"] - rfm["first_order_date"]).dt.days / (rfm["frequency"] - 1)
    candidates = rfm.loc[
        (rfm["value_tier"] == "A")
        & (rfm["frequency"] > settings.min_gaps)
        & rfm["recency_days"].between(settings.min_quiet_days + 1, settings.max_quiet_days)
        & (rfm["recency_days"] > order_gap * -math.log(settings.info_chance)),
        ["customer_id"],
    ]
    if candidates.empty:
        return []
    con.register("quiet_candidates", candidates)
    try:
        gaps = run_sql(con, "alerts/customer_gaps", as_of=as_of, gap_quantile=settings.gap_quantile)
    finally:
        con.unregister("quiet_candidates")
    alerts = []
    for row in gaps.itertuples():
        silence = (as_of - row.last_order_date.date()).days
        if row.n_gaps < settings.min_gaps or silence <= row.quantile_gap_days:
            continue
        chance = math.exp(-silence / row.mean_gap_days) if row.mean_gap_days > 0 else 0.0
        if chance >= settings.info_chance:
            continue
        year_revenue = float(row.year_revenue or 0.0)
        rep = row.sales_rep if isinstance(row.sales_rep, str) else ""
        region = row.region if isinstance(row.region, str) else None
        alerts.append(
            Alert(
                kind=KIND,
                key=alert_key(KIND, row.customer_id, row.last_order_date.date()),
                severity="warning" if chance < settings.warning_chance else "info",
                owner_kind="sales_rep" if rep else "customer",
                owner=rep or row.customer_id,
                subject=row.customer_id,
                as_of=as_of,
                region=region,
                sales_rep=rep or None,
                customer_id=row.customer_id,
                facts={
                    "customer_name": row.customer_name
                    if isinstance(row.customer_name, str)
                    else row.customer_id,
                    "last_order_date": row.last_order_date.date().isoformat(),
                    "silence_days": silence,
                    "quantile_gap_days": round(float(row.quantile_gap_days)),
                    "mean_gap_days": round(float(row.mean_gap_days), 1),
                    "p_silence": round(chance, 6),
                    "year_amount": round(year_revenue, 2),
                },
                money_at_stake=round(year_revenue, 2),
                money_per_day=round(year_revenue / 365, 2),
                response="call_customer",
                link=Link(
                    "explore",
                    (("period", "last_12_months"), ("drill", f"customer:{row.customer_id}")),
                ),
            )
        )
    return alerts
