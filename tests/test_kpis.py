import math
import random
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from salesdash import breakdowns, ingest, kpis, rollups
from salesdash.scope import Scope
from salesdash.store import Store
from tests.conftest import LOAD_DAY
from tests.sales_fixtures import FEB, load_tiny


@pytest.fixture
def tiny(con):
    load_tiny(con)
    return con


def test_kpis_of_a_month_are_computed_as_defined(tiny):
    k = kpis.kpis(tiny, FEB)
    assert k.revenue == pytest.approx(360.0)
    assert k.orders == 4
    assert k.aov == pytest.approx(90.0)
    assert k.active_customers == 3
    assert k.new_customers == 1  # C; A and B first bought in January
    assert k.returning_customers == 2
    assert k.repeat_rate == pytest.approx(2 / 3)
    assert k.win_rate == pytest.approx(2 / 3)  # W1, W2 won, L1 lost; the open deal is ignored


def test_the_comparison_periods_are_the_previous_month_and_last_february(tiny):
    summary = kpis.kpi_summary(tiny, FEB)
    assert summary.previous_label == "MoM"
    prev, ly = summary.previous, summary.last_year
    assert (prev.start_date, prev.end_date) == (date(2025, 1, 4), date(2025, 1, 31))
    assert (prev.revenue, prev.orders, prev.aov) == (pytest.approx(210.0), 2, pytest.approx(105.0))
    assert (prev.active_customers, prev.new_customers, prev.repeat_rate) == (2, 2, 0.0)
    assert prev.win_rate == 0.0  # L0 lost in January
    assert (ly.start_date, ly.end_date) == (date(2024, 2, 1), date(2024, 2, 28))
    assert (ly.revenue, ly.orders, ly.active_customers, ly.new_customers) == (400.0, 1, 1, 1)
    assert kpis.change(summary.current.revenue, prev.revenue) == pytest.approx(360 / 210 - 1)


def test_a_customer_is_new_in_the_period_of_the_first_order_and_returning_after(tiny):
    january = Scope(date(2025, 1, 1), date(2025, 1, 31))
    march_back = Scope(date(2025, 2, 1), date(2025, 2, 28))
    assert kpis.kpis(tiny, january).new_customers == 2  # A and B
    assert kpis.kpis(tiny, march_back).returning_customers == 2  # the same A and B
    both = Scope(date(2025, 1, 1), date(2025, 2, 28))
    k = kpis.kpis(tiny, both)
    assert (k.active_customers, k.new_customers, k.repeat_rate) == (3, 3, 0.0)


def test_returns_reduce_revenue_and_a_return_is_still_an_order(tiny):
    west = Scope(FEB.start_date, FEB.end_date, regions=("West",))
    k = kpis.kpis(tiny, west)
    assert k.revenue == pytest.approx(50.0)  # 80 − 30
    assert k.orders == 2
    online = Scope(FEB.start_date, FEB.end_date, channels=("online",))
    assert kpis.kpis(tiny, online).revenue == pytest.approx(100.0)  # 120 − 20 on one order


def test_a_region_and_channel_filter_narrows_every_kpi(tiny):
    scope = Scope(FEB.start_date, FEB.end_date, regions=("East",), channels=("direct",))
    k = kpis.kpis(tiny, scope)
    assert (k.revenue, k.orders, k.active_customers, k.new_customers) == (210.0, 1, 1, 0)
    assert k.repeat_rate == 1.0
    assert k.win_rate == 1.0  # region East: W1, W2


def test_a_period_without_sales_has_zeros_and_no_ratios(tiny):
    k = kpis.kpis(tiny, Scope(date(2030, 1, 1), date(2030, 1, 1)))
    assert (k.revenue, k.orders, k.active_customers) == (0.0, 0, 0)
    assert k.aov is None and k.repeat_rate is None and k.win_rate is None


def test_an_open_range_has_no_comparison_periods(tiny):
    summary = kpis.kpi_summary(tiny, Scope())
    assert summary.previous is None and summary.last_year is None
    assert summary.current.revenue == pytest.approx(970.0)


def test_the_trend_overlays_last_year_on_this_years_axis(tiny):
    trend = kpis.revenue_trend(tiny, FEB, "month")
    got = {(r.unique_id, r.ds.date()): r.y for r in trend.itertuples()}
    assert got == {("current", date(2025, 2, 1)): 360.0, ("last_year", date(2025, 2, 1)): 400.0}


def test_the_grain_follows_the_length_of_the_range():
    assert kpis.default_grain(FEB) == "day"
    assert kpis.default_grain(Scope(date(2025, 1, 1), date(2025, 12, 31))) == "week"
    assert kpis.default_grain(Scope(date(2023, 1, 1), date(2025, 12, 31))) == "month"
    assert kpis.previous_label(Scope(date(2025, 1, 1), date(2025, 3, 31))) == "QoQ"


def test_change_against_a_negative_base_keeps_the_direction():
    assert kpis.change(50.0, -100.0) == pytest.approx(1.5)
    assert kpis.change(10.0, 0.0) is None


def test_undoing_a_batch_refreshes_the_rollups(con, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,line_no,order_date,customer_id,region,channel,sales_rep,product,category,"
        "quantity,unit_price,revenue,cost\nX1,1,2025-03-01,Z,East,direct,Rep1,P1,Cat1,1,99,99,50\n"
    )
    batch = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    rollups.refresh(con, rollups.pending(con))  # the refresh step after the load
    assert kpis.kpis(con, Scope()).revenue == 99.0
    ingest.undo_batch(con, batch.batch_id)
    rollups.refresh(con, rollups.pending(con))  # and after the undo
    assert kpis.kpis(con, Scope()).revenue == 0.0
    names = rollups.names()  # built in order: keys, then the cube, then what sums it
    order = ["sales_customer", "sales_customer_cube", "sales_customer_day", "sales_product_day"]
    assert [n for n in names if n in order] == order


def _random_scope(rng: random.Random, choices: dict) -> Scope:
    start = date(2023, 11, 1) + timedelta(days=rng.randrange(0, 1100))
    end = min(start + timedelta(days=rng.choice([0, 6, 30, 90, 365])), date(2026, 11, 15))
    pick = lambda values: tuple(rng.sample(values, rng.randint(1, 2))) if rng.random() < 0.4 else ()  # noqa: E731
    item = rng.random()
    return Scope(
        start,
        end,
        regions=pick(choices["region"]),
        channels=pick(choices["channel"]),
        sales_reps=tuple(rng.sample(choices["sales_rep"], 1)) if rng.random() < 0.15 else (),
        categories=(rng.choice(choices["category"]),) if item < 0.15 else (),
        products=(rng.choice(choices["product"]),) if 0.15 <= item < 0.3 else (),
    )


def _frame_values(frame: pd.DataFrame, cols: list[str]) -> dict:
    frame = frame.assign(value=frame["value"].fillna("<none>"))
    return {r["value"]: tuple(round(float(r[c]), 4) for c in cols) for _, r in frame.iterrows()}


def test_rollups_agree_with_a_plain_query_over_orders_for_random_scopes(demo_con):
    con = demo_con
    choices = {
        dim: [
            r[0]
            for r in con.execute(
                f"select distinct {dim} from orders where {dim} is not null"
            ).fetchall()
        ]
        for dim in ("region", "channel", "sales_rep", "category", "product")
    }
    customer_ids = [r[0] for r in con.execute("select distinct customer_id from orders").fetchall()]
    rng = random.Random(4)
    for _ in range(30):
        scope = _random_scope(rng, choices)
        assert _kpis_close(kpis.kpis(con, scope), kpis.kpis_plain(con, scope)), scope
        for by in breakdowns.DIMENSIONS:
            fast = breakdowns.breakdown(con, scope, by)
            plain = breakdowns.breakdown_plain(con, scope, by)
            cols = ["revenue", "n_orders"]
            if fast["n_customers"].notna().all():
                cols += ["n_customers", "n_new_customers"]
            assert _frame_values(fast, cols) == _frame_values(plain, cols), (scope, by)
        customer = rng.choice(customer_ids)
        fast = breakdowns.breakdown(con, scope, "product", customers=(customer,))
        plain = breakdowns.breakdown_plain(con, scope, "product", customers=(customer,))
        assert _frame_values(fast, ["revenue", "n_orders"]) == _frame_values(
            plain, ["revenue", "n_orders"]
        ), (scope, customer)
        weekly = breakdowns.series(con, scope, "week", "region")
        by_region = breakdowns.breakdown(con, scope, "region")
        assert weekly["y"].sum() == pytest.approx(by_region["revenue"].sum())


def _kpis_close(a, b) -> bool:
    return a.as_dict().keys() == b.as_dict().keys() and all(
        x == pytest.approx(y)
        for x, y in zip(a.as_dict().values(), b.as_dict().values(), strict=True)
    )


def test_the_kpis_command_prints_the_period_and_its_comparisons(tmp_path, capsys):
    import json

    from salesdash.cli import main

    path = tmp_path / "t.duckdb"
    with Store(path).writing("test data") as connection:
        load_tiny(connection)
    args = ["--db", str(path), "kpis", "--from", "2025-02-01", "--to", "2025-02-28"]
    assert main([*args, "--region", "East", "--channel", "direct", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["current"]["revenue"] == 210.0 and out["current"]["orders"] == 1
    assert out["previous"]["revenue"] == 150.0 and out["previous_label"] == "MoM"
    assert out["last_year"]["revenue"] == 400.0
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "repeat_rate" in text and "66.7%" in text and "previous (MoM)" in text


def test_a_ratio_over_nothing_is_no_ratio_for_numbers_and_arrays_alike():
    assert kpis.ratio(3, 4) == 0.75
    assert math.isnan(kpis.ratio(3, 0))
    assert kpis.ratio_or_none(3, 0) is None
    rates = kpis.ratio(np.array([1.0, 2.0, 5.0]), np.array([2.0, 0.0, -1.0]))
    assert rates[0] == 0.5 and np.isnan(rates[1:]).all()
