"""The pipeline-aware near term: stage win rates, slippage and the expected close, on planted data."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from salesdash.forecast import pipeline
from salesdash.scope import Scope

AS_OF = date(2026, 6, 30)
WIN_RATE = 0.35
# close age in days: won deals 20 days + Gamma(3, 15) (mean 65), lost deals Gamma(2, 12) (mean 24)
WON_AGE = stats.gamma(3, loc=20, scale=15)
LOST_AGE = stats.gamma(2, scale=12)


def planted_deals(n: int = 40_000, seed: int = 7) -> pd.DataFrame:
    """Deals created evenly over the 700 days before AS_OF in three regions; each is won with
    WIN_RATE and closes at an age drawn from its outcome's distribution; deals whose close lies
    after AS_OF are seen open (stage 'qualified', no close date), as an export shows them."""
    rng = np.random.default_rng(seed)
    created = pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    won = rng.random(n) < WIN_RATE
    age = np.where(won, WON_AGE.rvs(n, random_state=rng), LOST_AGE.rvs(n, random_state=rng))
    close = created + pd.to_timedelta(np.ceil(age), unit="D")
    is_open = close > pd.Timestamp(AS_OF)
    return pd.DataFrame(
        {
            "opportunity_id": [f"D{i}" for i in range(n)],
            "created_date": created.date,
            "close_date": np.where(is_open, None, close.date),
            "stage": np.where(is_open, "qualified", np.where(won, "won", "lost")),
            "lost_stage": None,
            "amount": rng.uniform(1_000, 5_000, n).round(2),
            "region": rng.choice(["East", "North", "South"], n),
        }
    )


def planted_expectation(deals: pd.DataFrame, start: date, end: date) -> pd.Series:
    """Per region, Σ amount × P(won within [start, end] | open at its age on AS_OF), from the
    planted distributions: WIN_RATE × ΔF_won / (WIN_RATE S_won(a) + (1 − WIN_RATE) S_lost(a))."""
    open_deals = deals[deals["stage"] == "qualified"]
    created = pd.to_datetime(open_deals["created_date"])
    age = (pd.Timestamp(AS_OF) - created).dt.days.to_numpy()
    lo = (pd.Timestamp(start) - pd.Timedelta(days=1) - created).dt.days.to_numpy()
    hi = (pd.Timestamp(end) - created).dt.days.to_numpy()
    # closes fall on whole days (ceil): "closed by day d" is "age <= d"
    gained = WON_AGE.cdf(hi) - WON_AGE.cdf(np.maximum(lo, age))
    still = WIN_RATE * WON_AGE.sf(age) + (1 - WIN_RATE) * LOST_AGE.sf(age)
    chance = WIN_RATE * gained / still
    return (open_deals["amount"] * chance).groupby(open_deals["region"]).sum()


def test_the_pipeline_recovers_the_planted_expectation_within_five_percent():
    deals = planted_deals()
    periods = pipeline.near_term_periods(AS_OF)
    assert periods == [
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
    ]
    model = pipeline.pipeline_model(deals, as_of=AS_OF)
    # the win rate learnt from closed and still-open deals alike (open ones censored)
    assert model.curves["qualified"].win_rate == pytest.approx(WIN_RATE, abs=0.01)
    expected = pipeline.expected_close(pipeline.win_chances(model, deals, periods), periods)
    for start, end in periods:
        truth = planted_expectation(deals, start, end)
        got = expected[expected["period_start"] == start].set_index("region")["expected"]
        assert truth.min() > 0
        np.testing.assert_allclose(got[truth.index], truth, rtol=0.05)


def test_a_deal_open_longer_than_any_won_deal_was_is_expected_to_bring_nothing():
    deals = planted_deals(5_000)
    stale = {
        "opportunity_id": "STALE",
        "created_date": date(2025, 9, 1),  # 302 days open: no won deal took longer than ~200
        "close_date": None,
        "stage": "qualified",
        "lost_stage": None,
        "amount": 1e6,
        "region": "West",
    }
    deals = pd.concat([deals, pd.DataFrame([stale])], ignore_index=True)
    periods = pipeline.near_term_periods(AS_OF)
    model = pipeline.pipeline_model(deals, as_of=AS_OF)
    chances = pipeline.win_chances(model, deals, periods)
    row = chances[chances["opportunity_id"] == "STALE"].iloc[0]
    assert row["p_2026-07-01"] == 0.0 and row["p_2026-10-01"] == 0.0


def test_stage_win_rates_count_a_lost_deal_at_the_stages_it_reached():
    # ×10 so every stage has the deals a curve needs: 3 won, 2 lost at lead, 1 lost at demo
    rows = []
    for copy in range(10):
        for i, (stage, lost_stage) in enumerate(
            [("won", None)] * 3 + [("lost", "lead")] * 2 + [("lost", "demo")]
        ):
            rows.append(
                {
                    "opportunity_id": f"{copy}-{i}",
                    "created_date": date(2026, 1, 1),
                    "close_date": date(2026, 2, 1),
                    "stage": stage,
                    "lost_stage": lost_stage,
                    "amount": 100.0,
                }
            )
    model = pipeline.pipeline_model(pd.DataFrame(rows), as_of=AS_OF)
    rates = {stage: round(curves.win_rate, 3) for stage, curves in model.curves.items()}
    # lead: 3 of 6; qualified and demo: 3 of 4 (the demo loss reached both); proposal: only the
    # won deals reached it
    assert rates == {"lead": 0.5, "qualified": 0.75, "demo": 0.75, "proposal": 1.0}


def test_pipeline_paths_average_to_the_expected_close():
    deals = planted_deals(5_000)
    periods = pipeline.near_term_periods(AS_OF)
    chances = pipeline.win_chances(pipeline.pipeline_model(deals, as_of=AS_OF), deals, periods)
    paths = pipeline.pipeline_paths(chances, periods, n_paths=4000, seed=1)
    expected = pipeline.expected_close(chances, periods).groupby("period_start")["expected"].sum()
    np.testing.assert_allclose(paths.mean(axis=0), expected.to_numpy(), rtol=0.03)


def test_a_store_without_orders_forecasts_its_won_amounts(con, insert):
    # a CRM-only company (like the Maven export): its revenue is what its deals won
    insert(
        con,
        "opportunities",
        [
            {
                "opportunity_id": "A",
                "created_date": date(2026, 1, 5),
                "close_date": date(2026, 2, 3),
                "stage": "won",
                "amount": 500.0,
                "region": "East",
            },
            {
                "opportunity_id": "B",
                "created_date": date(2026, 1, 9),
                "close_date": date(2026, 2, 20),
                "stage": "won",
                "amount": 250.0,
                "region": "East",
            },
            {
                "opportunity_id": "C",
                "created_date": date(2026, 2, 1),
                "close_date": None,
                "stage": "demo",
                "amount": 900.0,
                "region": "West",
            },
            {
                "opportunity_id": "D",
                "created_date": date(2026, 7, 1),
                "close_date": None,
                "stage": "lead",
                "amount": 100.0,
                "region": "West",
            },
        ],
    )
    revenue, won, deals = pipeline.pipeline_inputs(con, Scope(), as_of=date(2026, 3, 31))
    assert revenue.to_dict("records") == [
        {"region": "East", "ds": pd.Timestamp("2026-02-01"), "y": 750.0}
    ]
    assert revenue.equals(won)
    assert sorted(deals["opportunity_id"]) == ["A", "B", "C"]  # D was created after as_of


def test_the_blend_becomes_the_default_only_when_it_wins_beyond_the_backtests_noise():
    rng = np.random.default_rng(3)
    actual = rng.uniform(900, 1100, 60)
    history_errors = rng.normal(0, 100, 60)
    backtest = pd.DataFrame(
        {"actual": actual, "history_only": actual + history_errors, "blend": actual}
    )
    # errors a third smaller on every region-quarter: a clear win
    clear = backtest.assign(blend=actual + history_errors * 2 / 3)
    verdict = pipeline.blend_verdict(clear)
    assert verdict.default == "blend" and verdict.n_quarters == 60
    assert verdict.mae_blend == pytest.approx(verdict.mae_history_only * 2 / 3)
    # a hair better on average, by luck of the draw: history alone stays
    noisy = backtest.assign(blend=actual + rng.normal(0, 100, 60))
    noisy_verdict = pipeline.blend_verdict(noisy)
    difference = noisy_verdict.mae_blend - noisy_verdict.mae_history_only
    assert -pipeline.CLEAR_WIN_Z * noisy_verdict.se_difference < difference < 0
    assert noisy_verdict.default == "history_only"
    assert pipeline.blend_verdict(backtest.iloc[:0]).default == "history_only"
