"""Cohort retention, hand-checked on tiny inline data."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from salesdash import cohorts, rollups
from salesdash.scope import Scope
from tests.test_segments import order


def test_cohorts_follow_first_time_customers_month_by_month(con, insert):
    insert(
        con,
        "orders",
        [
            order("D1", "c0", date(2024, 12, 5), 500.0),  # first ordered before the range
            order("D2", "c0", date(2025, 1, 9), 500.0),
            order("A1", "c1", date(2025, 1, 3), 100.0),
            order("A2", "c1", date(2025, 2, 3), 50.0),
            order("A3", "c1", date(2025, 4, 3), 30.0),
            order("B1", "c2", date(2025, 1, 20), 100.0),
            order("C1", "c3", date(2025, 2, 14), 80.0),
            order("C2", "c3", date(2025, 3, 1), 40.0),
            order("C3", "c3", date(2025, 4, 20), 999.0),  # after the range end: not counted
        ],
    )
    rollups.refresh(con)
    frame = cohorts.cohort_retention(con, Scope(date(2025, 1, 1), date(2025, 4, 15)))
    grid = cohorts.cohort_grid(frame)
    jan, feb = date(2025, 1, 1), date(2025, 2, 1)
    assert list(grid.index) == [jan, feb]
    assert grid.loc[jan].tolist() == [1.0, 0.5, 0.0, 0.5]
    feb_row = grid.loc[feb].tolist()
    assert feb_row[:3] == [1.0, 1.0, 0.0] and math.isnan(feb_row[3])
    sizes = frame.drop_duplicates("cohort_month").set_index("cohort_month")["cohort_size"]
    assert sizes.to_dict() == {jan: 2, feb: 1}
    revenue = cohorts.cohort_grid(frame, "revenue_retention_rate")
    assert revenue.loc[jan, 1] == 0.25 and revenue.loc[jan, 3] == 0.15
    assert revenue.loc[feb, 1] == 0.5


def test_cohorts_honour_the_scope_regions(con, insert):
    insert(
        con,
        "orders",
        [
            order("A1", "c1", date(2025, 1, 3), 100.0, region="West"),
            order("A2", "c1", date(2025, 2, 3), 50.0, region="East"),
        ],
    )
    rollups.refresh(con)
    frame = cohorts.cohort_retention(
        con, Scope(date(2025, 1, 1), date(2025, 3, 31), regions=("East",))
    )
    assert frame[["cohort_month", "month_offset", "n_customers"]].values.tolist() == [
        [date(2025, 2, 1), 0, 1]
    ]


def test_no_orders_gives_an_empty_grid(con):
    frame = cohorts.cohort_retention(con, Scope(date(2025, 1, 1), date(2025, 3, 31)))
    assert frame.empty and cohorts.cohort_grid(frame).empty


def test_cohorts_agree_with_a_plain_pandas_computation_on_the_demo_data(demo_con):
    scope = Scope(date(2025, 6, 1), date(2026, 9, 17), regions=("East",))
    lines = demo_con.execute(
        "select customer_id, order_date, revenue from orders"
        " where region = 'East' and customer_id is not null and order_date <= date '2026-09-17'"
    ).df()
    lines["month"] = lines["order_date"].dt.to_period("M")
    first = lines.groupby("customer_id")["order_date"].min()
    cohort = first[first >= pd.Timestamp("2025-06-01")].dt.to_period("M").rename("cohort")
    active = lines.merge(cohort, left_on="customer_id", right_index=True)
    active["month_offset"] = (active["month"] - active["cohort"]).apply(lambda d: d.n)
    expected = active.groupby(["cohort", "month_offset"]).agg(
        n_customers=("customer_id", "nunique"), revenue=("revenue", "sum")
    )
    got = cohorts.cohort_retention(demo_con, scope)
    got.index = pd.MultiIndex.from_arrays(
        [pd.PeriodIndex(pd.to_datetime(got["cohort_month"]), freq="M"), got["month_offset"]]
    )
    assert len(got) == len(expected) > 50
    got = got.loc[expected.index]
    assert (got["n_customers"].to_numpy() == expected["n_customers"].to_numpy()).all()
    assert np.allclose(got["revenue"].to_numpy(), expected["revenue"].to_numpy())
