"""Cohort retention: customers grouped by the month of their first order, followed month by month.

A customer's cohort is the month of their first order ever in the scope's regions and channels (the
date range picks which cohorts are shown and where activity stops, not where history starts).
Month offset 0 is the first month itself, so its customer retention is 1 by construction; revenue
retention compares each month's revenue with that first month's.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from salesdash.db import run_sql
from salesdash.scope import Scope


def cohort_retention(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Customer and revenue retention of the cohorts whose first month falls in the scope's range.

    Args:
        con: the database.
        scope: dates choose the cohorts (first month in the range) and the last month followed;
            regions and channels filter the orders.

    Returns:
        One row per (cohort_month, month_offset) with activity: cohort_month, month_offset,
        cohort_size, n_customers, retention_rate (n_customers / cohort_size), revenue,
        revenue_retention_rate (revenue / the cohort's revenue in its first month).
    """
    frame = run_sql(con, "customers/cohort_activity", **scope.params())
    first = frame[frame["month_offset"] == 0].set_index("cohort_month")
    frame["cohort_size"] = frame["cohort_month"].map(first["n_customers"]).astype(int)
    frame["retention_rate"] = frame["n_customers"] / frame["cohort_size"]
    base_revenue = frame["cohort_month"].map(first["revenue"])
    frame["revenue_retention_rate"] = (frame["revenue"] / base_revenue).where(base_revenue > 0)
    frame["cohort_month"] = frame["cohort_month"].dt.date
    return frame[
        [
            "cohort_month",
            "month_offset",
            "cohort_size",
            "n_customers",
            "retention_rate",
            "revenue",
            "revenue_retention_rate",
        ]
    ]


def cohort_grid(retention: pd.DataFrame, value: str = "retention_rate") -> pd.DataFrame:
    """``retention`` as a grid: one row per cohort_month, one column per month_offset (0, 1, …).

    Months a cohort has not reached yet are missing (NaN); months it reached with no order are 0.
    """
    if retention.empty:
        return pd.DataFrame()
    grid = retention.pivot(index="cohort_month", columns="month_offset", values=value)
    grid = grid.reindex(columns=range(int(retention["month_offset"].max()) + 1))
    last = max(
        _months_between(date(1, 1, 1), c) + o
        for c, o in zip(retention["cohort_month"], retention["month_offset"], strict=True)
    )
    reached = np.array([last - _months_between(date(1, 1, 1), c) for c in grid.index])
    within = grid.columns.to_numpy()[None, :] <= reached[:, None]
    return grid.mask(within & grid.isna(), 0.0)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month
