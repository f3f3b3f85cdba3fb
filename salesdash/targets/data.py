"""The targets in force, and the daily metrics they are measured on."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from salesdash.db import run_sql
from salesdash.scope import Scope

SCOPES = ("company", "region", "channel", "sales_rep", "category", "product")
# The company-level row of a user who may see only some regions (a manager): the sum of their
# regions, measured as the company under their rights; never the company's own figures. Its
# scope_value names the regions (``scope.sum_name``).
SUM_OF_REGIONS = "regions"
METRICS = ("revenue", "orders", "new_customers", "win_rate")
ADDITIVE_METRICS = ("revenue", "orders", "new_customers")
# Column of daily_orders.sql holding each additive metric.
# The columns of a target, as imported, edited and exported (the table adds its batch_id).
COLUMNS = (
    "period_start",
    "period_end",
    "scope",
    "scope_value",
    "metric",
    "target",
    "owner",
    "note",
)
_DAILY_COLUMN = {"revenue": "revenue", "orders": "n_orders", "new_customers": "n_new_customers"}


def current_targets(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per target the scope may see (the latest batch wins): period_start, period_end,
    scope, scope_value ('' for the company), metric, target, owner, note, batch_id.

    A region's targets when the scope's regions include it; a rep's when the rep is theirs (in
    their team's region); company, channel, category and product targets only for users who
    may see every region (they measure sales everywhere)."""
    frame = run_sql(con, "targets/current", **scope.params())
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def daily_metric(
    con: duckdb.DuckDBPyConnection,
    scope_kind: str,
    scope_value: str,
    metric: str,
    *,
    as_of: date,
    scope: Scope,
) -> pd.DataFrame:
    """The metric per day for one target scope, up to ``as_of``, on the sales ``scope``'s
    regions and reps may see (a company target of a manager: their regions together).

    Returns:
        one row per day with activity: ``day`` (date) and ``value`` (revenue, orders or new
        customers); for win_rate ``n_won`` and ``n_closed`` instead of ``value``.
    """
    params = {
        **scope.params(),
        "as_of": as_of,
        "scope_kind": scope_kind,
        "scope_value": scope_value,
    }
    if metric == "win_rate":
        frame = run_sql(con, "targets/daily_deals", **params)
    else:
        frame = run_sql(con, "targets/daily_orders", **params)
        frame = frame.rename(columns={_DAILY_COLUMN[metric]: "value"})[["day", "value"]]
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    return frame


def covered_range(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and last day the orders cover, read from their grain (``forecast.data_grain``):
    a month's total dated on its 1st covers the month to its last day, one dated on its last day
    covers it from the 1st. (None, None) without orders.

    Targets stand on these days, not on the first and last order date: a June total dated
    2012-06-01 makes June a complete month, as the Forecast page counts it.
    """
    from salesdash.forecast.series import data_grain  # the forecast's modules load statsmodels

    grain = data_grain(con)
    return (grain.first_day, grain.last_day) if grain else (None, None)


def last_covered_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The last day the orders cover (see ``covered_range``): where the Targets and Executive
    pages, the ``targets`` command and the refresh step stand by default."""
    return covered_range(con)[1]


def measured_kind(scope_kind: str) -> str:
    """The target scope whose daily metric measures ``scope_kind`` (a ``SUM_OF_REGIONS`` row is
    measured as the company, under the user's rights)."""
    return "company" if scope_kind == SUM_OF_REGIONS else scope_kind


def daily_series(frame: pd.DataFrame, start: date, end: date) -> pd.Series:
    """``frame`` (day, value) as a float Series with one entry per calendar day of [start, end]."""
    index = pd.date_range(start, end, freq="D")
    if frame.empty:
        return pd.Series(0.0, index=index)
    values = frame.set_index(pd.to_datetime(frame["day"]))["value"].astype(float)
    return values.groupby(level=0).sum().reindex(index, fill_value=0.0)


def rollup_gaps(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Parent targets against the sum of their children's, one row per parent and child scope,
    for the parents the scope may see (see ``current_targets``).

    Columns: scope, scope_value, metric, period_start, period_end, parent_target, child_scope,
    child_months (length of the summed children's periods), n_children, children_target,
    gap (children − parent: negative means the children do not cover the parent).
    """
    frame = run_sql(con, "targets/rollup_gaps", **scope.params())
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame
