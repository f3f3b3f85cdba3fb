"""The near term as the refresh step stores it: deals as known on a past day, each backtest
origin's forecast kept, and what the demo store holds for the pages to read."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from salesdash import forecast, stored
from salesdash.forecast import nearterm, pipeline
from salesdash.scope import Scope


def test_a_past_day_sees_deals_as_they_stood_then_and_nothing_after():
    deals = pd.DataFrame(
        [
            # won before the day: as it is
            ("A", date(2026, 1, 5), date(2026, 2, 1), "won", None, 100.0),
            # won after the day: open on it, at the first stage, no close date
            ("B", date(2026, 1, 5), date(2026, 4, 1), "won", None, 200.0),
            # lost after the day at demo: open on it too, its lost stage unknown then
            ("C", date(2026, 2, 5), date(2026, 4, 2), "lost", "demo", 300.0),
            # still open now at proposal: where it stood on the day is unknown: the first stage
            ("D", date(2026, 2, 5), None, "proposal", None, 400.0),
            # created after the day: not known
            ("E", date(2026, 3, 5), None, "lead", None, 500.0),
        ],
        columns=["opportunity_id", "created_date", "close_date", "stage", "lost_stage", "amount"],
    )
    known = pipeline.as_known_on(deals, date(2026, 2, 28)).set_index("opportunity_id")
    assert list(known.index) == ["A", "B", "C", "D"]
    assert known.loc["A", "stage"] == "won" and known.loc["A", "close_date"] == date(2026, 2, 1)
    for deal in "BCD":
        assert known.loc[deal, "stage"] == "lead"
        assert pd.isna(known.loc[deal, "close_date"]) and pd.isna(known.loc[deal, "lost_stage"])
    assert known["amount"].tolist() == [100.0, 200.0, 300.0, 400.0]


def test_backtest_origins_are_month_ends_whose_current_quarter_is_over():
    revenue = pd.DataFrame(
        {"region": "East", "ds": pd.date_range("2025-01-01", "2026-07-01", freq="MS"), "y": 1.0}
    )
    origins = nearterm.backtest_origins(revenue, date(2026, 8, 31))
    # July and June stand in Q3, not over on 31 August; the four before them
    assert origins == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
    # none before six months of revenue (January to June 2025)
    assert nearterm.backtest_origins(revenue.iloc[:9], date(2025, 9, 30)) == [
        date(2025, 6, 30),
        date(2025, 7, 31),
        date(2025, 8, 31),
    ]


def _crm_deals(last_day: date) -> list[dict]:
    """Three deals created each day from October 2025 to ``last_day`` in a CRM-only company (no
    orders): two won 30 days later, one lost 20 days later; those not closed by then are open."""
    rows = []
    day = date(2025, 10, 1)
    while day <= last_day:
        for k, (outcome, age) in enumerate((("won", 30), ("won", 30), ("lost", 20))):
            close = day + timedelta(days=age)
            closed = close <= last_day
            rows.append(
                {
                    "opportunity_id": f"{day.isoformat()}-{k}",
                    "created_date": day,
                    "close_date": close if closed else None,
                    "stage": outcome if closed else "qualified",
                    "amount": 1000.0 + 10 * k,
                    "region": "East",
                }
            )
        day += timedelta(days=1)
    return rows


def test_a_new_load_fits_only_the_backtest_origins_it_brings(con, insert, monkeypatch):
    fitted = []
    real = nearterm.near_term_forecast

    def counted(revenue, won, opportunities, *, as_of):
        fitted.append(as_of)
        return real(revenue, won, opportunities, as_of=as_of)

    monkeypatch.setattr(nearterm, "near_term_forecast", counted)
    insert(con, "opportunities", _crm_deals(date(2026, 8, 31)))
    with stored.recording(con, "v1"):
        first = forecast.near_term(con, Scope())
    assert first.as_of == date(2026, 8, 31)
    # the origins with six months of revenue (from October) whose quarter is over
    assert fitted == [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]

    fitted.clear()
    con.execute("delete from opportunities")
    insert(con, "opportunities", _crm_deals(date(2026, 9, 30)), batch_id=1)
    with stored.recording(con, "v2"):
        second = forecast.near_term(con, Scope())
    assert second.as_of == date(2026, 9, 30)
    # September ends Q3: three new origins; May's was found, not fitted again
    assert fitted == [date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31)]
    assert sorted(set(second.backtest["origin"])) == [
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
    ]
    # what the new version does not use is not kept (the refresh forgets it once at its end)
    stored.forget_unused(con, "v2")
    kinds = dict(con.execute("select kind, count(*) from stored_results group by kind").fetchall())
    assert kinds == {"near_term": 1, "near_term_origin": 4}


def test_the_near_term_quarters_are_the_sums_of_its_months(con, insert):
    insert(con, "opportunities", _crm_deals(date(2026, 8, 31)))
    near = forecast.near_term(con, Scope())
    months = near.months.assign(quarter=pd.PeriodIndex(near.months["ds"], freq="Q"))
    sums = months.groupby("quarter")[["pipeline", "new_deals", "non_pipeline", "blend"]].sum()
    quarters = near.forecast.set_index(pd.PeriodIndex(near.forecast["period_start"], freq="Q"))
    for part in ("pipeline", "new_deals", "non_pipeline"):
        pd.testing.assert_series_equal(quarters[part], sums[part], check_names=False)
    pd.testing.assert_series_equal(
        quarters["blend"] - quarters["booked"], sums["blend"], check_names=False
    )
    # the blend's paths: one column per month, one region
    # the blend's paths: September to December (the rest of Q3 and Q4), one region
    assert near.paths.shape == (nearterm.N_PATHS, 4, 1)


@pytest.fixture(scope="module")
def demo_near(demo_reader):
    return forecast.near_term(demo_reader, Scope())


def test_the_refresh_stored_the_near_term_and_a_page_reads_it_without_fitting(
    demo_reader, demo_near, monkeypatch
):
    def no_fits(*args, **kwargs):
        raise AssertionError("a reader fitted the near term")

    monkeypatch.setattr(nearterm, "near_term_months", no_fits)
    monkeypatch.setattr(nearterm, "near_term_forecast", no_fits)
    stored.clear_local()
    near = forecast.near_term(demo_reader, Scope())
    assert near.as_of == date(2026, 10, 31)  # the demo's data ends on 15 November
    assert near.verdict == demo_near.verdict
    # seven regions: two quarters from May's end, one from June's, July's and August's
    assert near.verdict.n_quarters == 35
    # the demo's generator books no deals as orders: the blend loses (docs/benchmarks.md)
    assert near.shown == "history_only"
    east = forecast.near_term(demo_reader, Scope(regions=("East",)))
    assert set(east.forecast["region"]) == {"East"} and east.paths.shape[2] == 1
