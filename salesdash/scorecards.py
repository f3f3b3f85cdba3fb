"""Team scorecards: one row per sales rep (performance evaluation) with their attainment of
their targets, and the manager roll-up.

Orders without a rep (the online shop) are not part of any rep's card. A rep's region and
manager come from the teams table, else the region the rep sold in.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from salesdash import dataset, periods, targets
from salesdash.db import run_sql
from salesdash.kpis import opportunity_stats, with_previous_revenue
from salesdash.scope import Scope


def _team_frame(con: duckdb.DuckDBPyConnection, scope: Scope, by: str) -> pd.DataFrame:
    frame = run_sql(con, "team/scorecards", by=by, **scope.params())
    for col in ("n_reps", "n_orders", "n_customers", "n_new_customers"):
        frame[col] = frame[col].astype("int64")
    return frame


def _with_previous(
    con: duckdb.DuckDBPyConnection, scope: Scope, frame: pd.DataFrame, by: str
) -> pd.DataFrame:
    if scope.start_date is None or scope.end_date is None:
        return frame.assign(revenue_previous=np.nan, revenue_change=np.nan)
    before = run_sql(con, "team/revenue", by=by, **scope.previous_period().params())
    return with_previous_revenue(frame, before, on="member", change_column="revenue_change")


def rep_scorecards(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per sales rep with sales in the scope, best first.

    Returns:
        sales_rep, region, manager, revenue, n_orders, aov, n_customers, n_new_customers,
        win_rate (NaN without closed deals), median_cycle_days, attainment (NaN without targets),
        rank_in_region (1 = highest revenue in the rep's region), revenue_previous,
        revenue_change (vs the previous period, 0-based ratio).
    """
    frame = _with_previous(con, scope, _team_frame(con, scope, "sales_rep"), "sales_rep")
    frame = frame.rename(columns={"member": "sales_rep"})
    opps = opportunity_stats(con, scope)[["sales_rep", "win_rate", "median_cycle_days"]]
    frame = frame.merge(opps, on="sales_rep", how="left")
    attainment = rep_attainment(con, scope)
    if attainment is not None and not attainment.empty:
        frame = frame.merge(attainment[["sales_rep", "attainment"]], on="sales_rep", how="left")
    else:
        frame["attainment"] = np.nan
    frame["aov"] = frame["revenue"] / frame["n_orders"].where(frame["n_orders"] != 0)
    frame["rank_in_region"] = (
        frame.groupby(frame["region"].fillna(""))["revenue"]
        .rank(ascending=False, method="min")
        .astype("int64")
    )
    cols = [
        "sales_rep",
        "region",
        "manager",
        "revenue",
        "n_orders",
        "aov",
        "n_customers",
        "n_new_customers",
        "win_rate",
        "median_cycle_days",
        "attainment",
        "rank_in_region",
        "revenue_previous",
        "revenue_change",
    ]
    for col in ("win_rate", "median_cycle_days", "attainment"):
        frame[col] = frame[col].astype(float)
    return frame[cols].sort_values("revenue", ascending=False).reset_index(drop=True)


def manager_rollup(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per manager (teams table): the team's sales, customers counted once per team.

    Returns:
        manager (None: reps not in the teams table), region, n_reps, revenue, n_orders, aov,
        n_customers, n_new_customers, revenue_previous, revenue_change.
    """
    frame = _with_previous(con, scope, _team_frame(con, scope, "manager"), "manager")
    frame = frame.drop(columns="manager").rename(columns={"member": "manager"})
    frame["aov"] = frame["revenue"] / frame["n_orders"].where(frame["n_orders"] != 0)
    cols = [
        "manager",
        "region",
        "n_reps",
        "revenue",
        "n_orders",
        "aov",
        "n_customers",
        "n_new_customers",
        "revenue_previous",
        "revenue_change",
    ]
    return frame[cols].sort_values("revenue", ascending=False).reset_index(drop=True)


def attainment_by(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    scope_kind: str = "sales_rep",
    as_of: date,
    metric: str = "revenue",
    period: str | None = None,
) -> pd.DataFrame:
    """Attainment of the targets of one scope kind whose period contains ``as_of`` (no forecast).

    Args:
        period: "month", "quarter" or "year"; None takes each value's shortest period.

    Returns:
        one row per scope_value (scope_value, period_start, period_end, metric, target, actual,
        attainment, expected_to_date, ahead_amount): the targets ``scope`` shows
        (``targets.current_targets``: its regions, reps by their team's region, its reps).
    """
    current = targets.current_targets(con, scope)
    current = current[
        (current["scope"] == scope_kind)
        & (current["metric"] == metric)
        & (current["period_start"] <= as_of)
        & (current["period_end"] >= as_of)
    ]
    kinds = [
        periods.period_kind(a, b)
        for a, b in zip(current["period_start"], current["period_end"], strict=True)
    ]
    if period is not None:
        current = current[[k == period for k in kinds]]
    current = (
        current.assign(
            _days=[
                (b - a).days
                for a, b in zip(current["period_start"], current["period_end"], strict=True)
            ]
        )
        .sort_values(["scope_value", "_days"])
        .drop_duplicates("scope_value")
        .drop(columns="_days")
    )
    columns = [
        "scope_value",
        "period_start",
        "period_end",
        "metric",
        "target",
        "actual",
        "attainment",
        "expected_to_date",
        "ahead_amount",
    ]
    progress = targets.track(con, current, as_of=as_of, scope=scope, with_forecast=False)
    frame = targets.progress_frame(progress)
    return frame[columns] if not frame.empty else pd.DataFrame(columns=columns)


def rep_attainment(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame | None:
    """Each rep's attainment of the shortest revenue target containing the scope's last day (or
    the data's, if earlier).

    Returns:
        sales_rep, attainment, target, actual, period_start, period_end; None without targets.
    """
    last = dataset.last_order_date(con)
    if last is None:
        return None
    as_of = min(scope.end_date or last, last)
    frame = attainment_by(con, scope, scope_kind="sales_rep", as_of=as_of)
    if frame.empty:
        return None
    frame = frame.rename(columns={"scope_value": "sales_rep"})
    return frame[["sales_rep", "attainment", "target", "actual", "period_start", "period_end"]]
