"""Target tracking on tiny hand-checked data: attainment, seasonal pacing, projection, P(hit)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from salesdash import targets
from salesdash.cli import main
from salesdash.scope import Scope
from salesdash.store import Store

# March sells 30% in its first ten days and 70% after, in 2023 and 2024 alike (pooled: 90 / 300).
MARCH_ORDERS = [
    ("2023-02-01", 10.0),
    ("2023-03-03", 30.0),
    ("2023-03-20", 70.0),
    ("2024-03-03", 60.0),
    ("2024-03-20", 140.0),
    ("2025-03-05", 400.0),
]
MARCH_2025 = {
    "period_start": date(2025, 3, 1),
    "period_end": date(2025, 3, 31),
    "scope": "company",
    "scope_value": "",
    "metric": "revenue",
    "target": 1000.0,
    "owner": "CEO",
    "note": "spring push",
}


def _orders(rows):
    return [
        {
            "order_id": f"o{i}",
            "line_no": 1,
            "order_date": date.fromisoformat(day),
            "region": "North",
            "channel": "direct",
            "sales_rep": "Ann",
            "customer_id": f"c{i}",
            "revenue": revenue,
        }
        for i, (day, revenue) in enumerate(rows)
    ]


@pytest.fixture
def march(con, insert):
    insert(con, "orders", _orders(MARCH_ORDERS))
    insert(con, "targets", [MARCH_2025])
    return con


def _one(con, as_of, simulate=None, row=MARCH_2025):
    frame = pd.DataFrame([row])
    (progress,) = targets.track(
        con, frame, as_of=as_of, scope=Scope(), simulate=simulate, n_paths=1000
    )
    return progress


def two_outcomes(y, horizon, *, freq, n_paths=1000, seed=0):
    """Every month sells 200 on half of the paths and 900 on the other half."""
    values = np.where(np.arange(n_paths) % 2 == 0, 200.0, 900.0)
    return np.repeat(values[:, None], horizon, axis=1)


def test_pacing_follows_the_seasonal_profile_of_earlier_years_not_a_straight_line(march):
    p = _one(march, date(2025, 3, 15), simulate=two_outcomes)
    assert p.status == "running"
    assert p.actual == 400.0
    assert p.attainment == pytest.approx(0.4)
    assert p.pacing_years == 2
    assert p.pacing_share == pytest.approx(0.3)  # a straight line would say 15/31 = 0.48
    assert p.expected_to_date == pytest.approx(300.0)
    assert p.ahead_amount == pytest.approx(100.0)
    # the seasonal pace reaches 400 (40%) only with the big day on 20 March: 5 days ahead
    assert p.ahead_days == 5
    assert p.days_left == 16
    assert p.required_daily_rate == pytest.approx(600 / 16)


def test_projection_adds_the_seasonal_rest_of_the_month_to_the_actual(march):
    # rest of March = 70% of the month's path: 140 or 630, so totals 540 or 1,030
    p = _one(march, date(2025, 3, 15), simulate=two_outcomes)
    assert p.p_hit == pytest.approx(0.5)
    assert (p.projection_lo80, p.projection_hi80) == (pytest.approx(540.0), pytest.approx(1030.0))
    assert p.projection == pytest.approx((540.0 + 1030.0) / 2)


def test_without_an_earlier_year_the_pacing_is_a_straight_line(con, insert):
    insert(con, "orders", _orders(MARCH_ORDERS[:3]))
    row = {**MARCH_2025, "period_start": date(2023, 3, 1), "period_end": date(2023, 3, 31)}
    p = _one(con, date(2023, 3, 15), row=row)
    assert p.pacing_years == 0
    assert p.pacing_share == pytest.approx(15 / 31)
    assert p.actual == 30.0
    # too little history for a forecast: no projection, no odds
    assert p.projection is None and p.p_hit is None


def test_before_the_period_nothing_is_expected_yet(march):
    p = _one(march, date(2025, 2, 15), simulate=two_outcomes)
    assert p.status == "upcoming"
    assert (p.actual, p.expected_to_date, p.ahead_days) == (0.0, 0.0, None)
    assert p.days_left == 31
    # the whole of March is still to come: 200 or 900
    assert (p.projection_lo80, p.projection_hi80) == (pytest.approx(200.0), pytest.approx(900.0))
    assert p.p_hit == pytest.approx(0.0)


def test_after_the_period_the_actual_is_final(march):
    p = _one(march, date(2025, 4, 30))
    assert p.status == "closed"
    assert (p.actual, p.attainment, p.expected_to_date) == (400.0, 0.4, 1000.0)
    assert (p.projection, p.projection_lo80, p.projection_hi80, p.p_hit) == (400, 400, 400, 0.0)
    assert p.days_left == 0 and p.required_daily_rate is None


def test_the_as_of_date_hides_later_orders(march):
    p = _one(march, date(2025, 3, 4), simulate=two_outcomes)
    assert p.actual == 0.0  # the 400 came on 5 March


def test_orders_and_new_customers_are_counted_per_scope(con, insert):
    rows = _orders([("2025-03-02", 10.0), ("2025-03-03", 5.0), ("2025-03-09", 7.0)])
    rows[1]["customer_id"] = rows[0]["customer_id"]  # a repeat order: not a new customer
    rows[2]["region"] = "South"
    insert(con, "orders", rows)
    base = {**MARCH_2025, "scope": "region", "scope_value": "North", "target": 4.0}
    orders = _one(con, date(2025, 3, 31), row={**base, "metric": "orders"})
    new = _one(con, date(2025, 3, 31), row={**base, "metric": "new_customers"})
    assert (orders.actual, new.actual) == (2.0, 1.0)
    assert orders.attainment == 0.5


def test_win_rate_counts_deals_closed_in_the_period(con, insert):
    insert(con, "orders", _orders([("2025-03-02", 10.0)]))
    insert(
        con,
        "opportunities",
        [
            {"opportunity_id": "d1", "stage": "won", "close_date": date(2025, 3, 3)},
            {"opportunity_id": "d2", "stage": "lost", "close_date": date(2025, 3, 4)},
            {"opportunity_id": "d3", "stage": "lost", "close_date": date(2025, 3, 5)},
            {"opportunity_id": "d4", "stage": "won", "close_date": date(2025, 2, 5)},
            {"opportunity_id": "d5", "stage": "proposal", "close_date": None},
        ],
    )
    row = {**MARCH_2025, "metric": "win_rate", "target": 0.5}
    p = _one(con, date(2025, 3, 31), row=row)
    assert p.actual == pytest.approx(1 / 3)
    assert p.attainment == pytest.approx(2 / 3)
    assert p.p_hit is None


def test_rollups_show_the_gap_between_the_parts_and_the_whole(con, insert):
    def t(start, end, scope, value, target):
        return {
            "period_start": date.fromisoformat(start),
            "period_end": date.fromisoformat(end),
            "scope": scope,
            "scope_value": value,
            "metric": "revenue",
            "target": target,
        }

    quarters = [("01-01", "03-31"), ("04-01", "06-30"), ("07-01", "09-30"), ("10-01", "12-31")]
    rows = [t("2025-01-01", "2025-12-31", "company", "", 1000.0)]
    for region, amount in (("North", 100.0), ("South", 120.0)):
        rows += [t(f"2025-{a}", f"2025-{b}", "region", region, amount) for a, b in quarters]
    rows.append(t("2025-01-01", "2025-01-31", "region", "North", 999.0))  # shorter: not summed
    rows += [
        t("2025-01-01", "2025-03-31", "sales_rep", "Ann", 60.0),
        t("2025-01-01", "2025-03-31", "sales_rep", "Bob", 30.0),
    ]
    insert(con, "targets", rows)
    insert(
        con,
        "teams",
        [{"sales_rep": "Ann", "region": "North"}, {"sales_rep": "Bob", "region": "North"}],
    )
    gaps = targets.rollup_gaps(con, Scope())
    company = gaps[gaps["scope"] == "company"].iloc[0]
    assert (company["n_children"], company["children_target"], company["gap"]) == (8, 880.0, -120.0)
    north_q1 = gaps[(gaps["scope"] == "region") & (gaps["scope_value"] == "North")].iloc[0]
    assert (north_q1["parent_target"], north_q1["children_target"], north_q1["gap"]) == (
        100.0,
        90.0,
        -10.0,
    )
    assert len(gaps) == 2


def test_an_edit_is_a_new_batch_that_replaces_the_target_until_undone(march):
    from salesdash import ingest

    current = targets.current_targets(march, Scope())
    edited = current.copy()
    edited.loc[0, "target"] = 1500.0
    changes = targets.changed_targets(current, edited)
    assert len(changes) == 1
    batch = targets.save_edits(march, changes)
    assert targets.current_targets(march, Scope())["target"].tolist() == [1500.0]
    ingest.undo_batch(march, batch)
    assert targets.current_targets(march, Scope())["target"].tolist() == [1000.0]


def test_an_edit_with_an_unknown_metric_is_refused_with_the_row_number(march):
    current = targets.current_targets(march, Scope())
    edited = current.assign(metric="happiness")
    with pytest.raises(ValueError, match="row 1: metric 'happiness'"):
        targets.changed_targets(current, edited)


def test_cli_prints_every_target_with_its_smart_verdicts(tmp_path, capsys, insert):
    path = tmp_path / "t.duckdb"
    with Store(path).writing("test data") as con:
        insert(con, "orders", _orders(MARCH_ORDERS))
        insert(con, "targets", [MARCH_2025])
    assert main(["--db", str(path), "targets", "--as-of", "2025-04-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (row,) = out["targets"]
    assert (row["actual"], row["attainment"], row["expected_to_date"], row["p_hit"]) == (
        400.0,
        0.4,
        1000.0,
        0.0,
    )
    assert set(row["smart"]) == {"specific", "measurable", "achievable", "relevant", "time_bound"}
    assert row["smart"]["time_bound"] == {
        "passed": True,
        "reason": "Runs from 2025-03-01 to 2025-03-31.",
    }


# --- P(hit) calibration ------------------------------------------------------------------------

MU, SIGMA = 1000.0, 200.0
TRIALS = 400
# 400 periods: the hit count is binomial, s.e. sqrt(0.3 × 0.7 / 400) = 0.023; ±0.07 is 3 s.e.
TOLERANCE = 0.07


def known_noise(y, horizon, *, freq, n_paths=1000, seed=0):
    """The true process: every month independent N(1000, 200)."""
    return np.random.default_rng(seed).normal(MU, SIGMA, (n_paths, horizon))


def test_targets_given_a_30_percent_chance_are_hit_about_30_percent_of_the_time():
    """Quarterly targets set where our P(hit) says 30%, on synthetic months of known noise,
    standing at the end of the quarter's first month (the whole-month case)."""
    rng = np.random.default_rng(7)
    data_start, quarter_start, as_of = date(2023, 10, 1), date(2025, 4, 1), date(2025, 4, 30)
    quarter_end = date(2025, 6, 30)
    months = pd.date_range(data_start, quarter_end, freq="MS")
    hits, p_values = 0, []
    for trial in range(TRIALS):
        totals = rng.normal(MU, SIGMA, len(months))
        days = pd.date_range(data_start, quarter_end, freq="D")
        per_day = pd.Series(totals, index=months).reindex(days, method="ffill")
        per_day = per_day / per_day.index.days_in_month
        known = per_day[: pd.Timestamp(as_of)]
        history = targets.monthly_history(known, data_start, as_of)
        paths = targets.simulate_months(
            history, date(2025, 5, 1), date(2025, 6, 1), known_noise, seed=trial
        )
        row = {
            "period_start": quarter_start,
            "period_end": quarter_end,
            "scope": "company",
            "scope_value": "",
            "metric": "revenue",
            "target": 1.0,
            "owner": None,
            "note": None,
        }
        probe = targets.target_progress(
            row, known, as_of=as_of, data_start=data_start, month_paths=paths
        )
        # the target our forecast gives a 30% chance: the 70th percentile of its totals
        rest = targets.rest_of_period(
            paths,
            known,
            first=as_of + timedelta(days=1),
            last=quarter_end,
            data_start=data_start,
            data_end=as_of,
        )
        quantile_70 = float(np.quantile(probe.actual + rest, 0.7))
        progress = targets.target_progress(
            {**row, "target": quantile_70},
            known,
            as_of=as_of,
            data_start=data_start,
            month_paths=paths,
        )
        p_values.append(progress.p_hit)
        hits += per_day[pd.Timestamp(quarter_start) :].sum() >= quantile_70
    assert np.mean(p_values) == pytest.approx(0.3, abs=0.01)
    assert hits / TRIALS == pytest.approx(0.3, abs=TOLERANCE)
