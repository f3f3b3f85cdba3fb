"""What a load says it brought, the preview of parsed values, replacing the months a file covers,
and undo / redo: on tiny files whose outcome is checked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from salesdash import ingest, rollups
from salesdash.errors import InputError
from tests.conftest import LOAD_DAY

HEADER = "order_id,order_date,customer_id,region,channel,revenue\n"
# September and October; October's export is later re-exported with a changed and a missing order
OCTOBER = (
    HEADER + "A1,2026-10-02,C1,East,online,100\n"
    "A2,2026-10-30,C2,West,store,50\n"
    "A3,2026-10-31,C1,East,online,25\n"
    "S1,2026-09-15,C3,East,direct,10\n"
)
REEXPORT = HEADER + "A1,2026-10-02,C1,East,online,120\nA2,2026-10-29,C2,West,store,50\n"


def load(con, tmp_path: Path, text: str, name: str, **kwargs) -> ingest.BatchResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY, **kwargs)


def orders(con) -> list[tuple]:
    return con.execute("select order_id, revenue, batch_id from orders order by all").fetchall()


def test_a_load_says_what_the_file_brought(con, tmp_path):
    first = load(con, tmp_path, OCTOBER, "oct.csv")
    again = load(con, tmp_path, OCTOBER + "A4,2026-11-01,C9,North,online,7\n", "more.csv")
    assert first.coverage == ingest.Coverage(
        kind="orders",
        first_date=date(2026, 9, 15),
        last_date=date(2026, 10, 31),
        n_records=4,
        n_customers=3,
        amount=185.0,
        regions=("East", "West"),
        channels=("direct", "online", "store"),
    )
    # the second file brought only its one new row: duplicates are not what it brought
    assert again.coverage.n_records == 1 and again.coverage.amount == 7.0
    assert again.coverage.regions == ("North",)
    assert again.summary()["coverage"]["first_date"] == "2026-11-01"


def test_opportunities_say_their_creation_dates_amount_and_sources(con, tmp_path):
    path = tmp_path / "opps.csv"
    path.write_text(
        "opportunity_id,created_date,stage,amount,customer_id,region,source\n"
        "O1,2025-03-01,won,300,C1,East,web\n"
        "O2,2025-04-10,lead,,C1,,\n",
        encoding="utf-8",
    )
    result = ingest.ingest_file(con, path, "opportunities", load_day=LOAD_DAY)
    coverage = result.coverage
    assert (coverage.first_date, coverage.last_date) == (date(2025, 3, 1), date(2025, 4, 10))
    assert (coverage.n_records, coverage.n_customers, coverage.amount) == (2, 1, 300.0)
    assert (coverage.regions, coverage.channels) == (("East",), ("web",))


def test_the_preview_shows_values_as_they_will_be_stored(con, tmp_path):
    path = tmp_path / "cn.csv"
    path.write_text(
        "订单号,订单日期,客户编号,销售额\n"
        ' A1 ,2025年7月3日,007,"￥1,234.50"\n'
        "A1,20250704,008,(12)\n"
        "A2,someday,009,5\n",
        encoding="utf-8",
    )
    rows = ingest.preview_values(con, path, "orders", load_day=LOAD_DAY)
    assert list(rows.columns) == [
        "order_id",
        "line_no",
        "order_date",
        "customer_id",
        "revenue",
        "problem",
    ]
    assert rows["order_id"].tolist() == ["A1", "A1", "A2"]
    assert rows["line_no"].tolist() == [1, 2, 1]  # the position within the order, as stored
    assert [d.date() for d in rows["order_date"][:2]] == [date(2025, 7, 3), date(2025, 7, 4)]
    assert rows["customer_id"].tolist() == ["007", "008", "009"]
    assert rows["revenue"].tolist() == [1234.5, -12.0, 5.0]
    assert rows["problem"].tolist() == [None, None, "order_date: not a date"]


def test_the_preview_follows_the_mapping_the_analyst_chose(con, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("id,day,gross,net\nA1,2025-07-03,10,8\n", encoding="utf-8")
    rows = ingest.preview_values(
        con,
        path,
        "orders",
        load_day=LOAD_DAY,
        mapping={"order_id": "id", "order_date": "day", "revenue": "net"},
    )
    assert rows["revenue"].tolist() == [8.0]


def test_replacing_the_months_a_file_covers_is_one_batch_that_undo_reverts_whole(con, tmp_path):
    first = load(con, tmp_path, OCTOBER, "oct.csv")
    rollups.refresh(con, rollups.pending(con))
    path = tmp_path / "reexport.csv"
    path.write_text(REEXPORT, encoding="utf-8")
    assert ingest.file_period(con, path, "orders", load_day=LOAD_DAY) == (
        date(2026, 10, 2),
        date(2026, 10, 29),
    )
    assert ingest.months_covering(date(2026, 10, 2), date(2026, 10, 29)) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
    )
    again = load(con, tmp_path, REEXPORT, "reexport.csv", replace=True)
    # all of October is the re-export's: A1's new amount, A3 (no longer exported) gone;
    # September untouched
    assert again.replaced == ingest.Replacement(date(2026, 10, 1), date(2026, 10, 31), 3)
    assert (again.rows_loaded, again.rows_duplicate) == (2, 0)
    assert orders(con) == [("A1", 120.0, 2), ("A2", 50.0, 2), ("S1", 10.0, 1)]
    batches = ingest.list_batches(con).set_index("batch_id")
    assert batches.loc[again.batch_id, "rows_replaced"] == 3
    # the rollups follow (by parts): October's revenue is the re-export's
    rollups.refresh(con, rollups.pending(con))
    october = "select sum(revenue) from rollup_sales_product_day where order_date >= '2026-10-01'"
    assert con.execute(october).fetchone()[0] == 170.0

    assert ingest.undo_batch(con, again.batch_id) == 2
    assert orders(con) == [("A1", 100.0, 1), ("A2", 50.0, 1), ("A3", 25.0, 1), ("S1", 10.0, 1)]
    rollups.refresh(con, rollups.pending(con))
    assert con.execute(october).fetchone()[0] == 175.0
    assert first.batch_id == 1


def test_redo_brings_an_undone_batch_back_and_its_replacement_with_it(con, tmp_path):
    load(con, tmp_path, OCTOBER, "oct.csv")
    again = load(con, tmp_path, REEXPORT, "reexport.csv", replace=True)
    ingest.undo_batch(con, again.batch_id)
    assert ingest.redo_batch(con, again.batch_id) == 2
    assert orders(con) == [("A1", 120.0, 2), ("A2", 50.0, 2), ("S1", 10.0, 1)]
    assert pd.isna(ingest.list_batches(con).set_index("batch_id").loc[again.batch_id, "undone_at"])
    with pytest.raises(InputError, match="is loaded \\(not undone\\): nothing to redo"):
        ingest.redo_batch(con, again.batch_id)


def test_rows_replaced_by_a_batch_whose_own_batch_was_undone_wait_for_that_batch(con, tmp_path):
    first = load(con, tmp_path, OCTOBER, "oct.csv")
    again = load(con, tmp_path, REEXPORT, "reexport.csv", replace=True)
    ingest.undo_batch(con, first.batch_id)  # only September was still its own
    assert orders(con) == [("A1", 120.0, 2), ("A2", 50.0, 2)]
    ingest.undo_batch(con, again.batch_id)  # the October it replaced belongs to an undone batch
    assert orders(con) == []
    ingest.redo_batch(con, first.batch_id)  # … and comes back with it
    assert orders(con) == [("A1", 100.0, 1), ("A2", 50.0, 1), ("A3", 25.0, 1), ("S1", 10.0, 1)]


def test_redo_is_refused_when_a_later_batch_holds_the_same_rows(con, tmp_path):
    first = load(con, tmp_path, OCTOBER, "oct.csv")
    ingest.undo_batch(con, first.batch_id)
    later = load(con, tmp_path, REEXPORT, "reexport.csv")
    before = orders(con)
    with pytest.raises(InputError, match=f"batch {later.batch_id} has loaded some of the same"):
        ingest.redo_batch(con, first.batch_id)
    assert orders(con) == before


def test_only_dated_kinds_can_replace_a_period(con, tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("sales_rep,region\nLi,East\n", encoding="utf-8")
    with pytest.raises(InputError, match="only orders and opportunities can replace"):
        ingest.ingest_file(con, path, "teams", load_day=LOAD_DAY, replace=True)
    assert ingest.list_batches(con).empty


def test_a_teams_batch_undone_and_redone_lends_its_regions_again(con, tmp_path):
    teams = tmp_path / "teams.csv"
    teams.write_text("sales_rep,region\nLi,East\n", encoding="utf-8")
    sales = tmp_path / "sales.csv"
    sales.write_text("order_id,order_date,sales_rep,revenue\nA1,2026-10-02,Li,5\n", "utf-8")
    ingest.ingest_file(con, sales, "orders", load_day=LOAD_DAY)
    team = ingest.ingest_file(con, teams, "teams", load_day=LOAD_DAY)
    region = "select region from orders"
    assert con.execute(region).fetchone() == ("East",)
    ingest.undo_batch(con, team.batch_id)
    assert con.execute(region).fetchone() == (None,)
    ingest.redo_batch(con, team.batch_id)
    assert con.execute(region).fetchone() == ("East",)
