"""The targets' forecast: months read at the data's grain, the pipeline blend where it is the
near term's default, and what-ifs moved from the stored paths."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from salesdash import db, forecast, targets
from salesdash.forecast import nearterm, pipeline
from salesdash.scope import Scope
from tests.conftest import insert_rows

MONTHS = pd.date_range("2024-01-01", "2026-06-01", freq="MS")
YEAR_2026 = {
    "period_start": date(2026, 1, 1),
    "period_end": date(2026, 12, 31),
    "scope": "company",
    "scope_value": "",
    "metric": "revenue",
    "target": 20_000.0,
    "owner": None,
    "note": None,
}


def _monthly_totals(dated: str) -> list[dict]:
    """One total a month (1,000 + 10 × month number), dated on the month's 1st or last day."""
    rows = []
    for i, month in enumerate(MONTHS):
        day = month if dated == "start" else month + pd.offsets.MonthEnd(0)
        rows.append(
            {
                "order_id": f"M{i}",
                "line_no": 1,
                "order_date": day.date(),
                "region": "North",
                "revenue": 1000.0 + 10 * i,
            }
        )
    return rows


def test_monthly_totals_dated_on_the_first_or_the_last_day_give_the_same_projection():
    seen = {}

    def last_month_again(y, horizon, *, freq, n_paths=1000, seed=0):
        seen[dated] = y
        return np.full((n_paths, horizon), float(y.iloc[-1]))

    progress = {}
    for dated in ("start", "end"):
        con = db.connect(":memory:")
        insert_rows(con, "orders", _monthly_totals(dated))
        as_of = targets.last_covered_day(con)
        # a June total dated 1 June covers June: the targets stand on its last day
        assert as_of == date(2026, 6, 30)
        (progress[dated],) = targets.track(
            con, pd.DataFrame([YEAR_2026]), as_of=as_of, scope=Scope(), simulate=last_month_again
        )
        con.close()
    # both forecasts see 30 complete months, June 2026 the last (1,290), and project July on
    for dated in ("start", "end"):
        assert len(seen[dated]) == 30 and seen[dated].iloc[-1] == 1290.0
    first, last = progress["start"], progress["end"]
    january_to_june = sum(1000.0 + 10 * i for i in range(24, 30))
    assert first.actual == last.actual == january_to_june
    assert first.projection == last.projection == pytest.approx(january_to_june + 6 * 1290.0)


def _fake_near_term(shown: str, per_month: float):
    """A near term standing on 30 June 2026 whose blend is ``per_month`` in every path of July
    to December, for North, with ``shown`` as its verdict."""
    months = pd.date_range("2026-07-01", "2026-12-01", freq="MS")
    return nearterm.NearTerm(
        as_of=date(2026, 6, 30),
        forecast=pd.DataFrame(columns=pipeline.QUARTER_COLUMNS),
        months=pd.DataFrame({"region": "North", "ds": months}),
        chances=pd.DataFrame(),
        regions=("North",),
        paths=np.full((1000, len(months), 1), per_month),
        backtest=pd.DataFrame(columns=pipeline.BACKTEST_COLUMNS),
        verdict=pipeline.BlendVerdict(shown, 1.0, 2.0, 40, 0.1),
    )


@pytest.mark.parametrize(("shown", "per_month"), [("blend", 5000.0), ("history_only", 1290.0)])
def test_the_chance_of_a_target_uses_the_blend_where_it_is_the_near_terms_default(
    con, insert, monkeypatch, shown, per_month
):
    insert(con, "orders", _monthly_totals("end"))
    monkeypatch.setattr(forecast, "near_term", lambda con, scope: _fake_near_term(shown, 5000.0))

    def history(y, horizon, *, freq, n_paths=1000, seed=0):
        return np.full((n_paths, horizon), float(y.iloc[-1]))

    q3 = {**YEAR_2026, "period_start": date(2026, 7, 1), "period_end": date(2026, 9, 30)}
    rows = [
        {**q3, "target": 14_000.0},
        {**q3, "scope": "region", "scope_value": "North", "target": 14_000.0},
        {**q3, "metric": "orders", "target": 10.0},
    ]
    company, region, orders = targets.track(
        con, pd.DataFrame(rows), as_of=date(2026, 6, 30), scope=Scope(), simulate=history
    )
    # the blend's 5,000 a month where it is shown; history's 1,290 where it is not
    for progress in (company, region):
        assert progress.projection == pytest.approx(3 * per_month)
        assert progress.p_hit == (1.0 if shown == "blend" else 0.0)
    # orders have no near term: history's paths (last month's one order again)
    assert orders.projection == pytest.approx(3.0)


# --- what-if on the demo's stored paths ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo_projections(demo_reader):
    as_of = targets.last_covered_day(demo_reader)
    return targets.executive_projections(demo_reader, Scope(), as_of=as_of)


def test_a_region_ten_percent_up_moves_its_targets_and_the_companys_by_as_much(
    demo_reader, demo_projections
):
    hierarchy = forecast.hierarchy_forecast(demo_reader, Scope())
    december = date(2026, 12, 1)
    change = forecast.Change("region", "East", december, factor=1.1)
    deltas = forecast.scenario_deltas(hierarchy, [change])
    baseline = demo_projections.frame.copy()
    moved = targets.what_if(demo_projections, deltas).set_index(
        ["scope", "scope_value", "period_kind"]
    )
    east_december = hierarchy.forecast.set_index(["level", "unique_id", "ds"]).loc[
        ("region", "East", pd.Timestamp(december)), "yhat"
    ]
    # December lies wholly in this quarter and this year: +10% of East's December forecast
    for kind in ("quarter", "year"):
        assert moved.loc[("region", "East", kind), "whatif_change"] == pytest.approx(
            0.1 * east_december, rel=1e-3
        )
        assert moved.loc[("company", "", kind), "whatif_change"] == pytest.approx(
            0.1 * east_december, rel=1e-3
        )
    others = moved.xs("region", level="scope").drop(index="East", level="scope_value")
    assert (others["whatif_change"] == 0).all()
    assert (others["whatif_p_hit"] == others["p_hit"]).all()
    east = moved.loc[("region", "East", "quarter")]
    assert east["whatif_p_hit"] >= east["p_hit"]
    assert east["whatif_hi80"] - east["whatif_lo80"] == pytest.approx(
        east["projection_hi80"] - east["projection_lo80"]
    )
    # the baseline is untouched
    pd.testing.assert_frame_equal(demo_projections.frame, baseline)


def test_a_scenario_changes_nothing_outside_the_forecasts_hierarchy(demo_reader, demo_projections):
    deltas = forecast.scenario_deltas(
        forecast.hierarchy_forecast(demo_reader, Scope()),
        [forecast.Change("total", "total", date(2026, 12, 1), amount=-50_000.0)],
    )
    moved = targets.what_if(demo_projections, deltas)
    company = moved[moved["scope"] == "company"]
    assert company["whatif_change"].tolist() == pytest.approx([-50_000.0, -50_000.0], rel=1e-3)
    # a change to the total is split over the regions by their forecasts' shares
    regions = moved[(moved["scope"] == "region") & (moved["period_kind"] == "quarter")]
    assert regions["whatif_change"].sum() == pytest.approx(-50_000.0, rel=1e-3)
