import pandas as pd
import pytest

from salesdash import breakdowns, export
from salesdash.scope import Scope
from salesdash.store import Store
from tests.sales_fixtures import FEB, load_tiny


@pytest.fixture
def tiny(con):
    load_tiny(con)
    return con


def _rows(frame, *cols):
    return {r["value"]: tuple(r[c] for c in cols) for _, r in frame.iterrows()}


def test_revenue_by_region_counts_orders_and_customers_once(tiny):
    frame = breakdowns.breakdown(tiny, FEB, "region")
    assert _rows(frame, "revenue", "n_orders", "n_customers", "n_new_customers") == {
        "East": (310.0, 2, 2, 1),  # O2 (A) 210 + O4 (C, new) 100
        "West": (50.0, 2, 1, 0),  # O3 80 and the −30 return O5, both B
    }
    assert frame["share"].tolist() == pytest.approx([310 / 360, 50 / 360])


def test_an_order_with_two_products_of_one_category_counts_once_for_the_category(tiny):
    by_category = breakdowns.breakdown(tiny, FEB, "category")
    assert _rows(by_category, "revenue", "n_orders") == {"Cat1": (310.0, 2), "Cat2": (50.0, 2)}
    by_product = breakdowns.breakdown(tiny, FEB, "product")
    assert _rows(by_product, "revenue", "n_orders") == {
        "P1": (300.0, 2),
        "P2": (50.0, 2),
        "P3": (10.0, 1),
    }


def test_online_orders_without_a_rep_form_their_own_row(tiny):
    frame = breakdowns.breakdown(tiny, FEB, "sales_rep")
    assert frame["value"].isna().sum() == 1
    assert frame.loc[frame["value"].isna(), "revenue"].item() == 100.0


def test_the_drill_path_narrows_the_scope_down_to_one_customers_products(tiny):
    path = (("region", "East"), ("sales_rep", "Rep1"), ("customer", "A"))
    scope, customers = breakdowns.scope_for_path(FEB, path)
    assert scope.regions == ("East",) and scope.sales_reps == ("Rep1",)
    assert customers == ("A",)
    assert breakdowns.next_drill_dimension(path) == "category"
    frame = breakdowns.breakdown(tiny, scope, "product", customers=customers)
    assert _rows(frame, "revenue", "n_orders") == {"P1": (200.0, 1), "P3": (10.0, 1)}


def test_top_and_bottom_n_pick_by_revenue(tiny):
    frame = breakdowns.breakdown(tiny, FEB, "product")
    assert breakdowns.top_n(frame, 1)["value"].tolist() == ["P1"]
    assert breakdowns.top_n(frame, 2, bottom=True)["value"].tolist() == ["P3", "P2"]


def test_the_top_fifth_of_customers_brings_the_pareto_share(tiny):
    result = breakdowns.pareto(tiny, FEB, "customer")
    frame = result.points
    assert frame["value"].tolist() == ["A", "C", "B"]
    assert frame["cum_share"].tolist() == pytest.approx([210 / 360, 310 / 360, 1.0])
    assert frame["is_top"].tolist() == [True, False, False]  # ceil(20% of 3) = 1 customer
    assert (result.n_values, result.n_top) == (3, 1)
    assert result.top_share == pytest.approx(210 / 360)


def test_the_pareto_of_products_uses_the_same_rule(tiny):
    result = breakdowns.pareto(tiny, FEB, "product")
    assert result.points["value"].tolist() == ["P1", "P2", "P3"]
    assert result.top_share == pytest.approx(300 / 360)


def test_the_pareto_of_many_customers_keeps_the_top_and_a_thin_curve(demo_con):
    result = breakdowns.pareto(demo_con, Scope(), "customer", top=10, points=20)
    frame = result.points
    assert frame["is_listed"].sum() == 10
    assert len(frame) < 10 + 20 + 3
    assert frame["rank"].iloc[-1] == result.n_values  # the curve ends at 100%
    assert frame["cum_share"].iloc[-1] == pytest.approx(1.0)
    plain = breakdowns.breakdown_plain(demo_con, Scope(), "customer")
    top = plain["revenue"].head(result.n_top).sum() / plain["revenue"].sum()
    assert result.top_share == pytest.approx(top)


def test_top_n_of_customers_is_cut_in_sql_with_the_share_of_all(tiny):
    frame = breakdowns.breakdown(tiny, FEB, "customer", limit=1)
    assert frame["value"].tolist() == ["A"]
    assert frame["share"].tolist() == pytest.approx([210 / 360])
    bottom = breakdowns.breakdown(tiny, FEB, "customer", limit=2, bottom=True)
    assert bottom["value"].tolist() == ["B", "C"]


def test_channel_comparison_shows_growth_against_the_previous_period(tiny):
    frame = breakdowns.channel_comparison(tiny, FEB).set_index("value")
    assert frame.loc["direct", "revenue"] == 210.0
    assert frame.loc["direct", "growth"] == pytest.approx(210 / 150 - 1)
    assert frame.loc["store", "growth"] == pytest.approx(50 / 60 - 1)
    assert pd.isna(frame.loc["online", "growth"])  # no online sales in January
    assert frame.loc["store", "aov"] == 25.0


def test_one_dimension_against_another(tiny):
    frame = breakdowns.crosstab(tiny, FEB, "region", "channel")
    got = {(r.row_value, r.col_value): r.revenue for r in frame.itertuples()}
    assert got == {("East", "direct"): 210.0, ("East", "online"): 100.0, ("West", "store"): 50.0}
    with_customer = breakdowns.crosstab(tiny, FEB, "customer", "category")
    got = {(r.row_value, r.col_value): r.revenue for r in with_customer.itertuples()}
    assert got == {("A", "Cat1"): 210.0, ("B", "Cat2"): 50.0, ("C", "Cat1"): 100.0}
    with pytest.raises(ValueError, match="two different"):
        breakdowns.crosstab(tiny, FEB, "region", "region")


def test_series_by_dimension_at_a_weekly_grain(tiny):
    frame = breakdowns.series(tiny, FEB, "month", "channel")
    assert dict(zip(frame["unique_id"], frame["y"], strict=True)) == {
        "direct": 210.0,
        "online": 100.0,
        "store": 50.0,
    }


def test_an_unknown_dimension_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="expected one of: region"):
        breakdowns.scope_for_path(Scope(), (("city", "X"),))


def test_a_formula_in_the_data_arrives_neutralised_in_the_download(con, insert):
    from tests.sales_fixtures import ORDERS

    insert(con, "orders", [{**ORDERS[4], "customer_id": "=1+1"}])
    from salesdash import rollups

    rollups.refresh(con)
    frame = breakdowns.breakdown(con, FEB, "customer")
    text = export.to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=1+1," in text
    assert ",200.0," in text  # the revenue stays a number


def test_the_breakdown_command_lists_the_top_values(tmp_path, capsys):
    import json

    from salesdash.cli import main

    path = tmp_path / "t.duckdb"
    with Store(path).writing("test data") as connection:
        load_tiny(connection)
    args = ["--db", str(path), "breakdown", "--by", "product", "--from", "2025-02-01"]
    assert main([*args, "--to", "2025-02-28", "--top", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["product"], r["revenue"], r["n_orders"]) for r in out] == [
        ("P1", 300.0, 2),
        ("P2", 50.0, 2),
    ]
    assert main([*args, "--to", "2025-02-28"]) == 0
    assert "P3" in capsys.readouterr().out
