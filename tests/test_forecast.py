"""Forecast module: synthetic series with known structure, reconciliation, guards, thin data."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from salesdash import forecast
from salesdash.cli import main
from salesdash.forecast import models
from salesdash.forecast.backtest import accuracy, cutoffs
from salesdash.forecast.hierarchy import fit_hierarchy
from salesdash.forecast.reconcile import (
    constraint_matrix,
    reconcile,
    reconcile_nonnegative,
    round_coherent,
)
from salesdash.forecast.series import cny_regressors
from salesdash.scope import Scope
from salesdash.store import Store


def trend_season(n: int, *, noise: float = 0.0, seed: int = 1) -> pd.Series:
    """(1000 + 10·t) × (1 + 0.2·sin(2πt/12)) per month from Jan 2020 — sales swing in proportion
    to their level — optionally with noise."""
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    y = (1000 + 10 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + noise * rng.standard_normal(n)
    return pd.Series(y, index=pd.date_range("2020-01-01", periods=n, freq="MS"))


def truth(start: int, h: int) -> np.ndarray:
    t = np.arange(start, start + h)
    return (1000 + 10 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12))


def test_a_trend_and_season_series_is_forecast_within_five_percent():
    y = trend_season(48, noise=10)
    result = forecast.forecast_series(y.to_numpy(), y.index, 12, freq="M")
    assert result.status == "ok"
    error = np.abs(result.mean / truth(48, 12) - 1)
    # Seasonal naive, a member, lags a steady trend by a year (9% here) and pulls the mean a little
    # below it: the price of its damping of trends that do not last (docs/benchmarks.md).
    assert error.max() < 0.05 and error.mean() < 0.04


def test_each_ensemble_member_is_named_in_the_model_used():
    y = trend_season(48, noise=10)
    model = forecast.forecast_series(y.to_numpy(), y.index, 6, freq="M").model
    assert model.startswith("ensemble[ets(")
    assert all(name in model for name in ("ets_sales(", "theta", "snaive"))


def test_the_sales_scale_ets_member_fits_sales_and_forecasts_their_log():
    y = trend_season(48, noise=10)
    member = models.fit_ets_sales(np.log(y.to_numpy()), 12, log=True)
    assert member.name.startswith("ets_sales(M,")
    np.testing.assert_allclose(np.exp(member.forecast(12)), truth(48, 12), rtol=0.03)


def test_a_level_ets_gets_a_seasonal_alternative_for_its_paths_only_with_two_seasons():
    work = np.log(trend_season(36, noise=10).to_numpy())
    level = models._FittedETS(models._ets_search(work, 12, (("A", "N", "N"),))[0], "A,N,N")
    ((alternative, mean),) = models._seasonal_alternative(work, 12, level, 6)
    assert alternative.name.endswith(",A)") and mean.shape == (6,)
    seasonal = models.fit_ets(work, 12)
    assert seasonal.name.endswith(",A)")  # on a clean season AICc picks it itself
    assert models._seasonal_alternative(work, 12, seasonal, 6) == []
    assert models._seasonal_alternative(work[:20], 12, level, 6) == []
    # the seasonal model leaves the swing out of its errors: its paths are narrower
    z = np.random.default_rng(0).standard_normal((2000, 6))
    assert np.std(alternative.paths(6, z)[:, -1]) < np.std(level.paths(6, z)[:, -1])


def test_intervals_widen_with_the_horizon():
    y = trend_season(48, noise=30)
    paths = forecast.simulate_paths(y, 12, freq="M", n_paths=2000, seed=3)
    lo, hi = np.percentile(paths, [10, 90], axis=0)
    # Sales swing in proportion to their level, so compare widths relative to it (log scale).
    width = np.log(hi) - np.log(lo)
    assert width[-1] > 1.1 * width[0]
    assert np.all(np.diff(width[::4]) > 0)


def test_simulate_paths_has_the_promised_shape_and_is_reproducible():
    y = trend_season(40, noise=20)
    a = forecast.simulate_paths(y, 5, freq="M", n_paths=300, seed=7)
    b = forecast.simulate_paths(y, 5, freq="M", n_paths=300, seed=7)
    assert a.shape == (300, 5)
    np.testing.assert_array_equal(a, b)


def test_an_exploding_series_falls_back_to_a_bounded_forecast():
    # Revenue growing 40% a month: every member extrapolates past five times the largest value.
    y = pd.Series(
        100 * np.exp(0.4 * np.arange(30)), index=pd.date_range("2022-01-01", periods=30, freq="MS")
    )
    result = forecast.forecast_series(y.to_numpy(), y.index, 12, freq="M")
    assert result.status == "fallback"
    assert result.notes
    assert np.all(np.isfinite(result.mean)) and np.all(np.isfinite(result.paths))
    assert result.mean.max() <= models.EXPLODE_FACTOR * y.max()


def test_a_member_returning_infinity_is_dropped_and_recorded(monkeypatch):
    def broken_theta(work, season_length, *, log=False):
        return models._FittedForecast(lambda h: np.full(h, np.inf), "theta")

    monkeypatch.setitem(models.MEMBERS, "theta", broken_theta)
    y = trend_season(48, noise=10)
    result = forecast.forecast_series(y.to_numpy(), y.index, 12, freq="M")
    assert result.status == "fallback"
    assert "theta" not in result.model and "ets(" in result.model
    assert any(note.startswith("theta:") for note in result.notes)
    assert np.all(np.isfinite(result.mean))


def test_eight_months_are_too_thin_to_forecast():
    y = trend_season(8)
    result = forecast.forecast_series(y.to_numpy(), y.index, 12, freq="M")
    assert result.status == "too_thin"
    assert np.isnan(result.mean).all()
    assert np.isnan(forecast.simulate_paths(y, 12, freq="M", n_paths=10)).all()


def test_under_two_seasons_uses_the_simpler_models():
    y = trend_season(18, noise=10)
    result = forecast.forecast_series(y.to_numpy(), y.index, 6, freq="M")
    assert result.status == "short"
    assert "ets(A,Ad,N)" in result.model or "ets(A,N,N)" in result.model
    assert "snaive" in result.model


def test_cny_windows_are_split_between_january_and_february_by_the_holiday_date():
    # CNY 2025 fell on 29 January: the 14 stock-up days (15–28 Jan) all in January; the 10 trough
    # days (29 Jan–7 Feb) three in January, seven in February.
    x = cny_regressors(pd.date_range("2025-01-01", periods=3, freq="MS"), "M")
    np.testing.assert_allclose(x, [[1.0, 0.3], [0.0, 0.7], [0.0, 0.0]])
    weeks = cny_regressors(pd.DatetimeIndex(["2025-01-27", "2025-02-03"]), "W")
    # Week of Mon 27 Jan: stock-up days 27–28 Jan, trough days 29 Jan–2 Feb; then 3–7 Feb.
    np.testing.assert_allclose(weeks, [[2 / 14, 0.5], [0.0, 0.5]])


def months(start: str, n: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="MS")


def test_backtest_origins_fall_on_quarter_starts_after_two_seasons_of_training():
    # Nov 2023 – Oct 2026: the last four quarter starts with two years before them
    origins = cutoffs(months("2023-11-01", 36), 12, 24, "M")
    assert [months("2023-11-01", 36)[c].strftime("%Y-%m") for c in origins] == [
        "2026-01",
        "2026-04",
        "2026-07",
        "2026-10",
    ]
    assert cutoffs(months("2023-11-01", 20), 12, 24, "M") == []


def test_a_long_history_is_backtested_from_the_last_three_januaries():
    periods = months("2010-01-01", 200)  # to Aug 2026
    assert [periods[c].strftime("%Y-%m") for c in cutoffs(periods, 12, 24, "M")] == [
        "2024-01",
        "2025-01",
        "2026-01",
    ]


def test_backtest_origins_stay_put_when_a_month_is_added():
    # so the fits at earlier origins are reused by the next refresh (same training data)
    before = months("2023-11-01", 36)
    after = months("2023-11-01", 37)
    assert cutoffs(after, 12, 24, "M") == cutoffs(before, 12, 24, "M")
    assert cutoffs(months("2023-11-01", 39), 12, 24, "M")[:-1] == cutoffs(before, 12, 24, "M")[1:]


def test_accuracy_of_a_hand_made_backtest():
    bt = pd.DataFrame(
        {
            "level": "total",
            "unique_id": "total",
            "cutoff": pd.Timestamp("2025-01-01"),
            "ds": pd.date_range("2025-02-01", periods=2, freq="MS"),
            "y": [100.0, 200.0],
            "yhat": [110.0, 180.0],
            "snaive": [90.0, 150.0],
            "scale": [20.0, 20.0],
            "status": "ok",
            "yhat-lo-80": [95.0, 190.0],
            "yhat-hi-80": [105.0, 210.0],
            "yhat-lo-95": [90.0, 150.0],
            "yhat-hi-95": [120.0, 250.0],
        }
    )
    row = accuracy(bt).iloc[0]
    assert row["mase"] == pytest.approx((10 / 20 + 20 / 20) / 2)
    assert row["mase_seasonal_naive"] == pytest.approx((10 / 20 + 50 / 20) / 2)
    assert row["mape"] == pytest.approx((0.1 + 0.1) / 2)
    assert row["coverage_80"] == 1.0 and row["coverage_95"] == 1.0


KEYS = [("total", "total"), ("region", "A"), ("region", "B"), ("channel", "x"), ("channel", "y")]


def test_wls_reconciliation_satisfies_every_constraint():
    base = np.array([[100.0, 30.0, 60.0, 50.0, 45.0], [10.0, 4.0, 5.0, 7.0, 1.0]])
    out = reconcile(base, KEYS, "wls", np.array([4.0, 1.0, 1.0, 2.0, 2.0]))
    np.testing.assert_allclose(constraint_matrix(KEYS) @ out.T, 0, atol=1e-9)


def test_bottom_up_sums_the_regions_and_scales_the_channels_to_them():
    base = np.array([[100.0, 30.0, 60.0, 50.0, 40.0]])
    out = reconcile(base, KEYS, "bottom_up")
    np.testing.assert_allclose(out, [[90.0, 30.0, 60.0, 50.0, 40.0]])


def test_wls_that_would_forecast_negative_sales_falls_back_to_bottom_up():
    keys = KEYS[:3]
    base = np.array([[10.0, 30.0, 5.0]])  # the total is trusted, region A too: B would go to -20
    weights = np.array([1e-6, 1e-6, 1.0])
    assert reconcile(base, keys, "wls", weights)[0, 2] == pytest.approx(-20.0, abs=1e-3)
    paths = np.repeat(base[None], 4, axis=0)
    mean, out_paths, used = reconcile_nonnegative(base, paths, keys, "wls", weights)
    assert used == "bottom_up"
    np.testing.assert_allclose(mean, [[35.0, 30.0, 5.0]])
    np.testing.assert_allclose(out_paths[0], [[35.0, 30.0, 5.0]])
    close = np.array([[100.0, 60.0, 45.0]])
    assert reconcile_nonnegative(close, paths, keys, "wls", np.ones(3))[2] == "wls"


def test_rounding_keeps_every_split_coherent_to_the_cent():
    values = np.array([[100.004, 33.335, 66.669, 50.0049, 50.0049]])
    out = round_coherent(values, KEYS)
    assert out[0, 0] == pytest.approx(100.0)
    assert round(out[0, 1] + out[0, 2], 2) == out[0, 0]
    assert round(out[0, 3] + out[0, 4], 2) == out[0, 0]


def _orders(start: str, end: str, regions: dict[str, float]) -> list[dict]:
    """One order a day per region, revenue = base × (1 + month of year / 20) so it has a season."""
    rows = []
    for day in pd.date_range(start, end, freq="D"):
        for i, (region, base) in enumerate(regions.items()):
            rows.append(
                {
                    "order_id": f"{region}-{day.date()}",
                    "line_no": 1,
                    "order_date": day.date(),
                    "region": region,
                    "channel": "online" if i % 2 else "store",
                    "category": "Hardware",
                    "revenue": round(base * (1 + day.month / 20), 2),
                }
            )
    return rows


@pytest.fixture
def three_region_con(con, insert):
    """Two regions from Jan 2023 and a third that opened in Jun 2026; data to 15 Nov 2026."""
    insert(con, "orders", _orders("2023-01-01", "2026-11-15", {"North": 100.0, "South": 55.5}))
    insert(con, "orders", _orders("2026-06-01", "2026-11-15", {"West": 20.0}))
    return con


def test_the_partial_month_is_left_out_of_the_series_and_reported_apart(three_region_con):
    series = forecast.sales_series(three_region_con, Scope(), by="region")
    assert series["ds"].max() == pd.Timestamp("2026-10-01")
    partial = forecast.partial_actuals(three_region_con, Scope())
    north = partial[(partial["level"] == "region") & (partial["unique_id"] == "North")]
    assert north["ds"].iloc[0] == pd.Timestamp("2026-11-01")
    assert north["y"].iloc[0] == pytest.approx(15 * round(100 * (1 + 11 / 20), 2))
    # 15 Nov 2026 is a Sunday: in weeks nothing is partial, the last week is complete.
    weekly = forecast.sales_series(three_region_con, Scope(), freq="W")
    assert weekly["ds"].max() == pd.Timestamp("2026-11-09")
    assert forecast.partial_actuals(three_region_con, Scope(), freq="W").empty


def test_a_region_that_opened_this_year_is_too_thin_but_the_rest_add_up(three_region_con):
    result = forecast.hierarchy_forecast(
        three_region_con, Scope(), horizon=6, as_of=date(2026, 11, 15)
    )
    status = result.series.set_index("unique_id")["status"]
    assert status["West"] == "too_thin"
    regions = forecast.select(result, "region")
    assert set(regions.forecast["unique_id"]) == {"North", "South"}
    total = forecast.select(result, None).forecast.set_index("ds")["yhat"]
    assert total.index[0] == pd.Timestamp("2026-11-01")
    # The total includes West's flat stand-in, so it exceeds North + South.
    shown = regions.forecast.groupby("ds")["yhat"].sum()
    assert (total > shown).all()


def test_forecasts_add_up_to_the_cent_at_every_level(demo_con):
    frame = forecast.hierarchy_series(demo_con, Scope(), freq="M")
    fit = fit_hierarchy(frame, freq="M", horizon=6, n_paths=200)
    points = round_coherent(fit.mean, fit.keys)
    total = points[:, fit.keys.index(("total", "total"))]
    for level in ("region", "channel", "category"):
        cols = [i for i, k in enumerate(fit.keys) if k[0] == level]
        np.testing.assert_array_equal(np.round(points[:, cols].sum(axis=1), 2), total)
    # Paths are reconciled too: every sampled future adds up.
    regions = [i for i, k in enumerate(fit.keys) if k[0] == "region"]
    np.testing.assert_allclose(
        fit.paths[:, :, regions].sum(axis=2),
        fit.paths[:, :, fit.keys.index(("total", "total"))],
        rtol=1e-9,
    )


def test_the_cli_prints_the_same_numbers_as_the_function_the_page_uses(
    three_region_con, tmp_path, capsys, monkeypatch
):
    path = tmp_path / "f.duckdb"
    three_region_con.execute(f"attach '{path}' as f")
    three_region_con.execute("copy from database memory to f")
    three_region_con.execute("detach f")
    with Store(path).writing("publish the test data"):
        pass
    assert main(["--db", str(path), "forecast", "--by", "region", "--horizon", "4", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)

    con = Store(path).reader()
    view = forecast.forecast_view(con, Scope(), by="region", horizon=4)
    con.close()
    north = next(s for s in printed["series"] if s["unique_id"] == "North")
    expected = view.forecast[view.forecast["unique_id"] == "North"]
    assert [row["yhat"] for row in north["forecast"]] == expected["yhat"].round(2).tolist()
    assert [row["hi95"] for row in north["forecast"]] == expected["yhat-hi-95"].round(2).tolist()
    west = next(s for s in printed["series"] if s["unique_id"] == "West")
    assert west["status"] == "too_thin" and west["forecast"] == []
    assert set(north["accuracy"]) >= {"mase", "mase_seasonal_naive", "mape"}
    # one row a day per region and no customers: daily totals, said as such
    assert printed["grain"] == {"kind": "daily", "dated": "day"}
    assert set(printed["coverage"]) == {"width", "coverage_80", "coverage_95", "n_points"}


# --- the data's grain ----------------------------------------------------------------------------


def test_the_grain_is_found_from_the_dates_alone():
    firsts = pd.Series(pd.date_range("2011-01-01", "2012-06-01", freq="MS").date)
    grain = forecast.series.grain_from_dates(firsts, lines=False)
    assert (grain.kind, grain.dated) == ("monthly", "start")
    assert grain.last_day == date(2012, 6, 30)  # the June total covers all of June
    ends = forecast.series.grain_from_dates(
        pd.Series(pd.date_range("2011-01-31", "2012-06-30", freq="ME").date), lines=False
    )
    assert (ends.kind, ends.dated, ends.first_day) == ("monthly", "end", date(2011, 1, 1))
    sundays = forecast.series.grain_from_dates(
        pd.Series(pd.date_range("2025-01-05", periods=10, freq="7D").date), lines=False
    )
    assert (sundays.kind, sundays.dated) == ("weekly", "end")
    assert sundays.first_day == date(2024, 12, 30)  # the week ending Sunday 5 January
    mondays = forecast.series.grain_from_dates(
        pd.Series(pd.date_range("2025-01-06", periods=10, freq="7D").date), lines=False
    )
    assert (mondays.kind, mondays.last_day) == ("weekly", date(2025, 3, 16))
    days = pd.Series(pd.date_range("2025-01-01", "2025-03-03", freq="D").date)
    assert forecast.series.grain_from_dates(days, lines=True).kind == "lines"
    daily = forecast.series.grain_from_dates(days, lines=False)
    assert (daily.kind, daily.last_day) == ("daily", date(2025, 3, 3))


def _monthly_totals(day: str) -> list[dict]:
    """Three years of one region's monthly totals, dated on the month's first or last day."""
    rows = []
    for i, start in enumerate(pd.date_range("2022-01-01", periods=36, freq="MS")):
        when = start if day == "first" else start + pd.offsets.MonthEnd(0)
        rows.append(
            {
                "order_id": f"M{i}",
                "line_no": 1,
                "order_date": when.date(),
                "region": "North",
                "channel": "direct",
                "category": "Hardware",
                "revenue": round(1000 * (1 + 0.2 * np.sin(i / 2)) + 10 * i, 2),
            }
        )
    return rows


def test_monthly_totals_dated_on_the_first_and_on_the_last_day_give_the_same_forecast(insert):
    from salesdash import db

    results = {}
    for day in ("first", "last"):
        con = db.connect(":memory:")
        insert(con, "orders", _monthly_totals(day))
        results[day] = forecast.hierarchy_forecast(con, Scope(), horizon=3)
        con.close()
    first, last = results["first"], results["last"]
    # The June-style total dated on the 1st is a whole month: nothing partial, none lost.
    assert first.partial.empty and last.partial.empty
    assert first.history["ds"].max() == pd.Timestamp("2024-12-01")
    pd.testing.assert_frame_equal(first.history, last.history)
    assert first.as_of == date(2024, 12, 31) == last.as_of
    pd.testing.assert_frame_equal(first.forecast, last.forecast)
    assert first.forecast["ds"].min() == pd.Timestamp("2025-01-01")
    assert (first.grain.kind, first.grain.dated) == ("monthly", "start")
    assert (last.grain.kind, last.grain.dated) == ("monthly", "end")


def test_weekly_totals_dated_on_sundays_make_complete_weeks_and_months(con, insert):
    sundays = pd.date_range("2024-01-07", "2026-03-29", freq="7D")  # 29 March 2026: a Sunday
    insert(
        con,
        "orders",
        [
            {
                "order_id": f"W{i}",
                "line_no": 1,
                "order_date": d.date(),
                "region": "North",
                "revenue": 700.0 + (i % 52),
            }
            for i, d in enumerate(sundays)
        ],
    )
    weekly, partial, as_of, grain = forecast.series.hierarchy_sales(con, Scope(), freq="W")
    assert (grain.kind, grain.dated, as_of) == ("weekly", "end", date(2026, 3, 29))
    total = weekly[weekly["level"] == "total"]
    # the first week (ending Sunday 7 January 2024) counts: it is a whole week, not a day
    assert total["ds"].min() == pd.Timestamp("2024-01-01")
    assert total["ds"].max() == pd.Timestamp("2026-03-23") and partial.empty
    assert total["y"].iloc[0] == 700.0
    # in months, March is partial: its last week ends on the 29th
    monthly, partial_m, _, _ = forecast.series.hierarchy_sales(con, Scope(), freq="M")
    assert monthly["ds"].max() == pd.Timestamp("2026-02-01")
    assert set(partial_m["ds"]) == {pd.Timestamp("2026-03-01")}


def test_a_daily_file_whose_last_month_has_three_days_marks_it_partial(con, insert):
    days = pd.date_range("2024-01-01", "2026-03-03", freq="D")
    insert(
        con,
        "orders",
        [
            {
                "order_id": f"D{i}",
                "line_no": 1,
                "order_date": d.date(),
                "region": "North",
                "revenue": 100.0,
            }
            for i, d in enumerate(days)
        ],
    )
    history, partial, as_of, grain = forecast.series.hierarchy_sales(con, Scope())
    assert (grain.kind, as_of) == ("daily", date(2026, 3, 3))
    assert history["ds"].max() == pd.Timestamp("2026-02-01")
    total = partial[partial["level"] == "total"]
    assert total["ds"].tolist() == [pd.Timestamp("2026-03-01")]
    assert total["y"].iloc[0] == 300.0


# --- calibrated ranges and what-if on the demo's stored forecast ---------------------------------


@pytest.fixture(scope="module")
def demo_forecast(demo_reader):
    """The demo hierarchy's monthly forecast, as the refresh step stored it (read, not fitted)."""
    return forecast.hierarchy_forecast(demo_reader, Scope())


def test_the_demo_backtests_80_percent_ranges_hold_75_to_85_percent_at_every_level(demo_forecast):
    coverage = demo_forecast.coverage.set_index("level")
    assert set(coverage.index) == {"total", "region", "channel", "category"}
    assert coverage["coverage_80"].between(0.75, 0.85).all(), coverage
    # the total's ranges were the widest (96% held): they were narrowed, and paths still add up
    assert coverage.loc["total", "width"] < 1
    paths = demo_forecast.paths
    keys = list(demo_forecast.keys)
    for level in ("region", "channel", "category"):
        cols = [i for i, key in enumerate(keys) if key[0] == level]
        np.testing.assert_allclose(
            paths[:, :, cols].sum(axis=2), paths[:, :, keys.index(("total", "total"))], rtol=1e-9
        )


def test_scaling_the_spread_per_level_keeps_every_split_summing_to_the_total():
    from salesdash.forecast.reconcile import scale_spread

    rng = np.random.default_rng(0)
    regions = rng.gamma(5, 20, size=(300, 4, 2))
    channels = regions.sum(axis=2, keepdims=True) * np.array([0.3, 0.7])
    paths = np.concatenate([regions.sum(axis=2, keepdims=True), regions, channels], axis=2)
    mean = paths.mean(axis=0)
    widths = {"total": 0.5, "region": 1.8, "channel": 1.2}
    out = scale_spread(mean, paths, KEYS, widths)
    np.testing.assert_allclose(out[:, :, 1] + out[:, :, 2], out[:, :, 0])
    np.testing.assert_allclose(out[:, :, 3] + out[:, :, 4], out[:, :, 0])
    # the total's spread is exactly halved
    np.testing.assert_allclose(out[:, :, 0] - mean[:, 0], 0.5 * (paths[:, :, 0] - mean[:, 0]))


def test_a_what_if_of_ten_percent_on_one_region_moves_it_alone_and_the_total_by_as_much(
    demo_forecast,
):
    base = demo_forecast.forecast.set_index(["level", "unique_id", "ds"])["yhat"]
    ds = sorted(demo_forecast.forecast["ds"].unique())
    start = pd.Timestamp(ds[3]).date()
    moved = forecast.what_if(demo_forecast, [forecast.Change("region", "East", start, factor=1.1)])
    new = moved.forecast.set_index(["level", "unique_id", "ds"])["yhat"]
    east_before, east_after = base.loc[("region", "East")], new.loc[("region", "East")]
    np.testing.assert_allclose(east_after[:3], east_before[:3])
    np.testing.assert_allclose(east_after[3:], 1.1 * east_before[3:], rtol=1e-4)
    for region in {uid for lvl, uid, _ in base.index if lvl == "region"} - {"East"}:
        np.testing.assert_array_equal(new.loc[("region", region)], base.loc[("region", region)])
    gain = (east_after - east_before).to_numpy()
    np.testing.assert_allclose(
        new.loc[("total", "total")] - base.loc[("total", "total")], gain, atol=0.02
    )
    regions = new.loc["region"].groupby(level="ds").sum()
    np.testing.assert_allclose(regions, new.loc[("total", "total")], atol=0.01)
    # every path moved: the range and the chance of reaching a target move with the projection
    keys = list(demo_forecast.keys)
    east, total = keys.index(("region", "East")), keys.index(("total", "total"))
    np.testing.assert_allclose(
        moved.paths[:, 3:, east], 1.1 * demo_forecast.paths[:, 3:, east], rtol=1e-9
    )
    np.testing.assert_allclose(
        moved.paths[:, :, total],
        moved.paths[:, :, [i for i, k in enumerate(keys) if k[0] == "channel"]].sum(axis=2),
    )
    assert demo_forecast.forecast.set_index(["level", "unique_id", "ds"])["yhat"].equals(base)


def test_a_lost_customer_takes_its_expected_revenue_off_its_region_and_the_total(demo_forecast):
    ds = sorted(demo_forecast.forecast["ds"].unique())
    lost = forecast.Change("region", "North", pd.Timestamp(ds[0]).date(), amount=-10_000.0)
    moved = forecast.what_if(demo_forecast, [lost])
    before = demo_forecast.forecast.set_index(["level", "unique_id", "ds"])["yhat"]
    after = moved.forecast.set_index(["level", "unique_id", "ds"])["yhat"]
    np.testing.assert_allclose(
        after.loc[("total", "total")], before.loc[("total", "total")] - 10_000, atol=0.02
    )
    channels = after.loc["channel"].groupby(level="ds").sum()
    np.testing.assert_allclose(channels, after.loc[("total", "total")], atol=0.01)
