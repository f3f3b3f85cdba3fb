from datetime import date

import pandas as pd
import pytest

from salesdash import scorecards
from salesdash.scope import Scope
from tests.sales_fixtures import FEB, load_tiny


@pytest.fixture
def tiny(con):
    load_tiny(con)
    return con


def test_one_scorecard_per_rep_with_the_reps_numbers(tiny):
    frame = scorecards.rep_scorecards(tiny, FEB).set_index("sales_rep")
    assert list(frame.index) == ["Rep1", "Rep2"]  # the online order has no rep
    rep1, rep2 = frame.loc["Rep1"], frame.loc["Rep2"]
    assert (rep1["region"], rep1["manager"], rep1["revenue"], rep1["n_orders"]) == (
        "East",
        "M1",
        210.0,
        1,
    )
    assert (rep2["revenue"], rep2["n_orders"], rep2["n_customers"], rep2["aov"]) == (
        50.0,
        2,
        1,
        25.0,
    )
    assert rep1["win_rate"] == 1.0 and rep2["win_rate"] == 0.0
    assert rep1["median_cycle_days"] == 35.0  # 40 and 30 days
    assert pd.isna(rep2["median_cycle_days"])
    assert rep1["rank_in_region"] == 1 and rep2["rank_in_region"] == 1
    assert rep1["revenue_change"] == pytest.approx(210 / 150 - 1)
    assert rep2["revenue_change"] == pytest.approx(50 / 60 - 1)
    assert frame["attainment"].isna().all()  # the tiny company has no targets


def test_reps_of_one_region_are_ranked_by_revenue(tiny, insert):
    from salesdash import rollups
    from tests.sales_fixtures import line

    insert(
        tiny,
        "orders",
        [line("O9", 1, "2025-02-11", "E", "East", "direct", "Rep3", "P1", "Cat1", 999.0)],
    )
    rollups.refresh(tiny)
    frame = scorecards.rep_scorecards(tiny, FEB).set_index("sales_rep")
    assert frame.loc["Rep3", "rank_in_region"] == 1  # no teams row: the region it sold in
    assert frame.loc["Rep1", "rank_in_region"] == 2
    assert pd.isna(frame.loc["Rep3", "manager"])


def test_the_manager_rollup_counts_a_shared_customer_once(tiny):
    frame = scorecards.manager_rollup(tiny, FEB).set_index("manager")
    m1 = frame.loc["M1"]
    assert (m1["n_reps"], m1["revenue"], m1["n_orders"], m1["n_customers"]) == (2, 260.0, 3, 2)


def test_an_empty_period_gives_an_empty_table(tiny):
    frame = scorecards.rep_scorecards(
        tiny, Scope(pd.Timestamp("2030-01-01").date(), pd.Timestamp("2030-01-31").date())
    )
    assert frame.empty
    assert "attainment" in frame.columns


# Ann's revenue target for March 2025; her orders are all North, direct.
ANN_MARCH = {
    "period_start": date(2025, 3, 1),
    "period_end": date(2025, 3, 31),
    "scope": "sales_rep",
    "scope_value": "Ann",
    "metric": "revenue",
    "target": 200.0,
    "owner": None,
    "note": None,
}


def _ann_orders(rows):
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


def test_attainment_by_rep_for_the_team_page(con, insert):
    insert(con, "orders", _ann_orders([("2025-03-02", 30.0), ("2025-03-03", 50.0)]))
    insert(con, "teams", [{"sales_rep": "Ann", "region": "North"}])
    quarter = {**ANN_MARCH, "period_start": date(2025, 1, 1), "target": 800.0}
    insert(con, "targets", [ANN_MARCH, quarter])
    frame = scorecards.attainment_by(con, Scope(regions=("North",)), as_of=date(2025, 3, 10))
    # one row per rep: the shortest period containing the day, unless a period is asked for
    assert frame[["scope_value", "target", "actual", "attainment"]].to_dict("records") == [
        {"scope_value": "Ann", "target": 200.0, "actual": 80.0, "attainment": 0.4}
    ]
    by_quarter = scorecards.attainment_by(con, Scope(), as_of=date(2025, 3, 10), period="quarter")
    assert by_quarter[["target", "attainment"]].to_dict("records") == [
        {"target": 800.0, "attainment": 0.1}
    ]
    assert scorecards.attainment_by(con, Scope(regions=("South",)), as_of=date(2025, 3, 10)).empty


def test_rep_attainment_is_taken_on_the_scopes_last_day(con, insert):
    insert(con, "orders", _ann_orders([("2025-03-02", 30.0), ("2025-03-20", 50.0)]))
    insert(con, "teams", [{"sales_rep": "Ann", "region": "North"}])
    insert(con, "targets", [ANN_MARCH])
    frame = scorecards.rep_attainment(con, Scope(end_date=date(2025, 3, 10)))
    assert frame[["sales_rep", "attainment"]].to_dict("records") == [
        {"sales_rep": "Ann", "attainment": 0.15}
    ]
    assert scorecards.rep_attainment(con, Scope(end_date=date(2025, 2, 10))) is None
