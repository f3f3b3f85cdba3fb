"""RFM, segments, value tiers and movement, hand-checked on tiny inline data and on the demo set."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from salesdash import rollups, segments
from salesdash.scope import Scope

AS_OF = date(2025, 3, 10)


def order(order_id, customer_id, day, revenue, line_no=1, region="East", channel="direct"):
    return {
        "order_id": order_id,
        "line_no": line_no,
        "order_date": day,
        "customer_id": customer_id,
        "region": region,
        "channel": channel,
        "revenue": revenue,
    }


def load(con, insert, rows):
    insert(con, "orders", rows)
    rollups.refresh(con)


def by_customer(frame):
    return frame.set_index("customer_id")


def test_one_order_customer_gets_days_since_it_one_order_and_its_revenue(con, insert):
    load(con, insert, [order("O1", "c1", date(2025, 2, 1), 120.0)])
    row = by_customer(segments.rfm_table(con, Scope(), AS_OF)).loc["c1"]
    assert (row.recency_days, row.frequency, row.monetary) == (37, 1, 120.0)
    assert row.last_order_date == pd.Timestamp("2025-02-01")


def test_frequency_counts_orders_not_lines(con, insert):
    load(
        con,
        insert,
        [
            order("O1", "c1", date(2025, 1, 5), 10.0, line_no=1),
            order("O1", "c1", date(2025, 1, 5), 15.0, line_no=2),
            order("O2", "c1", date(2025, 3, 2), 5.0),
        ],
    )
    row = by_customer(segments.rfm_table(con, Scope(), AS_OF)).loc["c1"]
    assert (row.recency_days, row.frequency, row.monetary) == (8, 2, 30.0)


def test_the_as_of_date_cuts_off_later_orders_also_inside_its_own_month(con, insert):
    load(
        con,
        insert,
        [
            order("O1", "c1", date(2025, 2, 27), 100.0),
            order("O2", "c1", date(2025, 3, 5), 50.0),
            order("O3", "c1", date(2025, 3, 20), 999.0),
            order("O4", "c2", date(2025, 3, 11), 70.0),
        ],
    )
    frame = by_customer(segments.rfm_table(con, Scope(), AS_OF))
    assert list(frame.index) == ["c1"]
    assert (frame.loc["c1", "recency_days"], frame.loc["c1", "frequency"]) == (5, 2)
    assert frame.loc["c1", "monetary"] == 150.0


def test_a_later_order_in_another_month_does_not_move_the_last_order_before_the_as_of_date(
    con, insert
):
    load(
        con,
        insert,
        [
            order("O1", "c1", date(2025, 1, 10), 10.0),
            order("O2", "c1", date(2025, 4, 2), 20.0),
            order("O3", "c2", date(2025, 3, 12), 5.0),
        ],
    )
    frame = by_customer(segments.rfm_table(con, Scope(), AS_OF))
    assert list(frame.index) == ["c1"]
    row = frame.loc["c1"]
    assert (row.recency_days, row.frequency, row.monetary) == (59, 1, 10.0)


def test_a_customer_with_only_returns_has_negative_monetary_the_lowest_m_score_and_tier_c(
    con, insert
):
    load(
        con,
        insert,
        [
            order("O1", "c1", date(2025, 3, 1), 100.0),
            order("O2", "c2", date(2025, 3, 1), 200.0),
            order("R1", "ret", date(2025, 3, 1), -40.0),
        ],
    )
    frame = by_customer(segments.rfm_table(con, Scope(), AS_OF))
    assert frame.loc["ret", "monetary"] == -40.0
    assert frame.loc["ret", "frequency"] == 1
    assert frame.loc["ret", "m_score"] == 1
    assert frame.loc["ret", "value_tier"] == "C"


def test_ties_share_the_lower_score_when_they_straddle_a_quintile_edge(con, insert):
    # Ten customers, one order each on one day (R and F all tied), monetary ranked:
    # position p scores 1 + floor((p - 1) / 2). The two 40s sit at positions 4 and 5, across the
    # 2|3 edge: both take rank 4 → score 2, leaving only the 60 in quintile 3.
    values = [10, 20, 30, 40, 40, 60, 70, 80, 90, 100]
    load(
        con,
        insert,
        [order(f"O{i}", f"c{i:02d}", date(2025, 3, 1), float(v)) for i, v in enumerate(values)],
    )
    frame = segments.rfm_table(con, Scope(), AS_OF).sort_values("monetary")
    assert frame["m_score"].tolist() == [1, 1, 2, 2, 2, 3, 4, 4, 5, 5]
    assert set(frame["r_score"]) == {1} and set(frame["f_score"]) == {1}


def test_recency_scores_the_most_recent_customers_highest_with_ties_equal(con, insert):
    days = [1, 2, 3, 4, 5, 5, 7, 8, 9, 10]  # order days in March; recency = 10 - day
    load(
        con,
        insert,
        [order(f"O{i}", f"c{i:02d}", date(2025, 3, d), 1.0) for i, d in enumerate(days)],
    )
    frame = segments.rfm_table(con, Scope(), AS_OF).sort_values("recency_days", ascending=False)
    # ranked longest absence first: recency 9,8,7,6,5,5,3,2,1,0 → the two 5s take rank 5 → 3
    assert frame["recency_days"].tolist() == [9, 8, 7, 6, 5, 5, 3, 2, 1, 0]
    assert frame["r_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_value_tiers_split_revenue_80_15_5_with_the_crossing_customer_in_the_upper_tier(
    con, insert
):
    values = {"a": 50.0, "b": 30.0, "c": 10.0, "d": 5.0, "e": 3.0, "f": 2.0, "g": -5.0}
    load(
        con,
        insert,
        [order(f"O{c}", c, date(2025, 3, 1), v) for c, v in values.items()],
    )
    tiers = by_customer(segments.rfm_table(con, Scope(), AS_OF))["value_tier"].to_dict()
    # before a: 0, b: 50 (<80) → A; c: 80, d: 90 (<95) → B; e: 95, f: 98 → C; g: no revenue → C
    assert tiers == {"a": "A", "b": "A", "c": "B", "d": "B", "e": "C", "f": "C", "g": "C"}


def test_customers_with_equal_revenue_across_a_tier_edge_share_the_lower_tier(con, insert):
    values = {"a": 70.0, "b": 10.0, "c": 10.0, "d": 5.0, "e": 5.0}
    load(con, insert, [order(f"O{c}", c, date(2025, 3, 1), v) for c, v in values.items()])
    tiers = by_customer(segments.rfm_table(con, Scope(), AS_OF))["value_tier"].to_dict()
    # b and c: 70 before them, 90 with both → both count 80 before → B; d, e: 95 before → C
    assert tiers == {"a": "A", "b": "B", "c": "B", "d": "C", "e": "C"}


def test_scope_regions_and_channels_choose_the_orders_that_count(con, insert):
    load(
        con,
        insert,
        [
            order("O1", "c1", date(2025, 1, 1), 10.0, region="East"),
            order("O2", "c1", date(2025, 3, 1), 20.0, region="West"),
            order("O3", "c1", date(2025, 2, 1), 40.0, region="East", channel="online"),
        ],
    )
    east = by_customer(segments.rfm_table(con, Scope(regions=("East",)), AS_OF)).loc["c1"]
    assert (east.recency_days, east.frequency, east.monetary) == (37, 2, 50.0)
    direct = by_customer(
        segments.rfm_table(con, Scope(regions=("East",), channels=("direct",)), AS_OF)
    ).loc["c1"]
    assert (direct.frequency, direct.monetary) == (1, 10.0)


@pytest.mark.parametrize(
    ("r", "f", "m", "segment"),
    [
        (5, 5, 4, "champions"),
        (5, 1, 1, "new"),
        (4, 1, 1, "promising"),
        (4, 3, 2, "potential_loyalists"),
        (3, 5, 4, "loyal"),
        (3, 3, 3, "need_attention"),
        (3, 2, 1, "about_to_sleep"),
        (2, 4, 3, "at_risk"),
        (1, 5, 5, "cant_lose"),
        (2, 1, 2, "hibernating"),
        (1, 2, 2, "lost"),
    ],
)
def test_segments_follow_the_recency_by_frequency_monetary_map(r, f, m, segment):
    fm = segments.fm_scores(pd.Series([f]), pd.Series([m]))
    assert segments.segment_of(pd.Series([r]), fm).iloc[0] == segment


def test_every_cell_of_the_map_has_exactly_one_segment():
    seen = np.zeros((5, 5), dtype=int)
    for r_lo, r_hi, fm_lo, fm_hi in segments.SEGMENT_CELLS.values():
        seen[r_lo - 1 : r_hi, fm_lo - 1 : fm_hi] += 1
    assert (seen == 1).all()


def test_a_champion_who_stops_ordering_moves_to_cant_lose_and_a_newcomer_comes_from_not_yet(
    con, insert
):
    rows = []
    # At 31 Jan: c1 most recent, frequent and valuable (R5 F5 M5) … c5 least (R1 F1 M1).
    for k, (cust, last_day) in enumerate(
        (("c1", 30), ("c2", 25), ("c3", 20), ("c4", 15), ("c5", 10))
    ):
        n = 5 - k
        rows += [order(f"{cust}-{i}", cust, date(2025, 1, last_day - i), 100.0) for i in range(n)]
    # By 30 Apr c1 has gone quiet; c2..c5 ordered once more, c6 arrived the day before.
    for k, cust in enumerate(("c2", "c3", "c4", "c5")):
        rows.append(order(f"{cust}-apr", cust, date(2025, 4, 13 - k), 50.0))
    rows.append(order("c6-1", "c6", date(2025, 4, 29), 20.0))
    load(con, insert, rows)
    before = by_customer(segments.rfm_table(con, Scope(), date(2025, 1, 31)))
    assert before["segment"].to_dict() == {
        "c1": "champions",
        "c2": "loyal",
        "c3": "need_attention",
        "c4": "hibernating",
        "c5": "lost",
    }
    moves = segments.segment_movement(con, Scope(), date(2025, 1, 31), date(2025, 4, 30))
    pairs = {(r.from_segment, r.to_segment): r.n_customers for r in moves.itertuples()}
    assert pairs[("champions", "cant_lose")] == 1
    assert pairs[("not_yet", "new")] == 1
    assert moves["n_customers"].sum() == 6


def test_summary_counts_customers_and_revenue_per_segment_and_tier(con, insert):
    values = {"a": 50.0, "b": 30.0, "c": 20.0}
    load(con, insert, [order(f"O{c}", c, date(2025, 3, 1), v) for c, v in values.items()])
    rfm = segments.rfm_table(con, Scope(), AS_OF)
    summary = segments.rfm_summary(rfm, AS_OF)
    assert summary.n_customers == 3 and summary.revenue == 100.0
    assert sum(s["n_customers"] for s in summary.segments.values()) == 3
    assert summary.value_tiers["A"] == {"n_customers": 2, "revenue": 80.0, "revenue_share": 0.8}
    overlap = segments.tier_segment_overlap(rfm)
    assert overlap[["A", "B", "C"]].to_numpy().sum() == 3


def _pandas_rfm(orders: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """A plain, independent RFM: pandas over the order lines."""
    lines = orders[(orders["order_date"] <= pd.Timestamp(as_of)) & orders["customer_id"].notna()]
    out = lines.groupby("customer_id").agg(
        last=("order_date", "max"),
        frequency=("order_id", "nunique"),
        monetary=("revenue", "sum"),
    )
    out["recency_days"] = (pd.Timestamp(as_of) - out["last"]).dt.days
    n = len(out)

    def score(values: pd.Series, ascending: bool = True) -> pd.Series:
        rank = values.rank(method="min", ascending=ascending)
        return (1 + np.floor(5 * (rank - 1) / n)).astype(int)

    out["r_score"] = score(out["recency_days"], ascending=False)
    out["f_score"] = score(out["frequency"])
    out["m_score"] = score(out["monetary"].round(2))
    return out


@pytest.mark.parametrize(
    ("as_of", "regions"),
    [(date(2026, 11, 15), ()), (date(2026, 6, 17), ()), (date(2025, 9, 30), ("East", "North"))],
)
def test_rfm_agrees_with_a_plain_pandas_computation_on_the_demo_data(demo_con, as_of, regions):
    orders = demo_con.execute(
        "select order_id, order_date, customer_id, revenue, region from orders"
    ).df()
    if regions:
        orders = orders[orders["region"].isin(regions)]
    expected = _pandas_rfm(orders, as_of)
    got = by_customer(segments.rfm_table(demo_con, Scope(regions=regions), as_of))
    assert len(got) == len(expected) > 300
    got = got.loc[expected.index]
    assert (got["recency_days"] == expected["recency_days"]).all()
    assert (got["frequency"] == expected["frequency"]).all()
    assert np.allclose(got["monetary"], expected["monetary"])
    for col in ("r_score", "f_score", "m_score"):
        assert (got[col] == expected[col]).all(), col


def test_value_tiers_on_the_demo_data_hold_80_and_95_percent_of_revenue(demo_con):
    rfm = segments.rfm_table(demo_con, Scope(), date(2026, 11, 15))
    tiers = segments.tier_summary(rfm).set_index("value_tier")["revenue_share"]
    assert 0.80 <= tiers["A"] < 0.80 + rfm["monetary"].max() / rfm["monetary"].sum()
    assert 0.95 <= tiers["A"] + tiers["B"] < 0.96


def test_no_orders_gives_an_empty_table_with_every_column(con):
    frame = segments.rfm_table(con, Scope(), AS_OF)
    assert frame.empty
    assert "segment" in frame.columns and "value_tier" in frame.columns
    assert segments.segment_summary(frame)["n_customers"].sum() == 0


def test_a_customer_whose_first_order_is_after_the_as_of_date_is_not_scored(con, insert):
    load(con, insert, [order("O1", "c1", AS_OF + timedelta(days=1), 1.0)])
    assert segments.rfm_table(con, Scope(), AS_OF).empty


def test_the_segments_command_writes_the_table_and_a_json_summary(demo_db, tmp_path, capsys):
    from salesdash.cli import main

    out = tmp_path / "rfm.csv"
    assert main(["--db", str(demo_db), "segments", "--json", "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["as_of"] == "2026-11-15"
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns) == segments.EXPORT_COLUMNS
    assert summary["n_customers"] == len(table) > 1000
    assert set(summary["segments"]) == set(segments.SEGMENTS)
    per_segment = table.groupby("segment")["monetary"].sum()
    for code, figures in summary["segments"].items():
        assert figures["n_customers"] == int((table["segment"] == code).sum())
        assert figures["revenue"] == pytest.approx(per_segment.get(code, 0.0), abs=0.01)


def test_the_segments_command_refuses_an_empty_database_in_one_line(tmp_path, capsys):
    from salesdash.cli import main

    assert main(["--db", str(tmp_path / "empty.duckdb"), "segments"]) == 2
    assert capsys.readouterr().err.startswith("error: no orders loaded")


def test_slipping_customers_are_the_at_risk_and_cant_lose_segments_together(demo_con):
    rfm = segments.rfm_table(demo_con, Scope(), as_of=date(2026, 11, 15))
    expected = int(rfm["segment"].isin(["at_risk", "cant_lose"]).sum())
    assert expected > 0
    assert segments.rfm_summary(rfm, date(2026, 11, 15)).n_slipping == expected
