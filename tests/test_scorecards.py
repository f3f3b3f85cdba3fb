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
    assert frame["attainment"].isna().all()  # no targets module yet: the hook stays empty


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
