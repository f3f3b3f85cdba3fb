"""Loading files: encodings, Excel, mapping, rejects, dedupe, undo, refusals, the row invariant."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from salesdash import db, ingest
from salesdash.errors import InputError
from salesdash.ingest import reading
from tests.conftest import LOAD_DAY

ORDERS = (
    "order_id,line_no,order_date,customer_id,region,channel,sales_rep,product,revenue\n"
    "A001,1,2025-07-01,007,East,direct,Li,Pen,10\n"
    "A001,2,2025-07-01,007,East,direct,Li,Ink,5.5\n"
    "A002,1,2025-07-02,008,West,online,Wu,Pen,20\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(con) -> dict:
    """Every canonical table and the log, for 'the database is unchanged' checks."""
    tables = [*ingest.KINDS, "ingest_log"]
    return {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_chinese_headers_load_in_every_encoding(con, tmp_path, encoding):
    text = "订单号,订单日期,客户编号,大区,销售员,销售额\nA1,2025-07-01,0042,华东,张伟,￥1,234.50\n"
    text = text.replace("￥1,234.50", '"￥1,234.50"')
    path = write(tmp_path, "orders.csv", text, encoding)
    result = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    assert result.rows_loaded == 1
    row = con.execute(
        "select order_id, customer_id, region, sales_rep, revenue from orders"
    ).fetchall()
    assert row == [("A1", "0042", "华东", "张伟", 1234.5)]


def test_gbk_is_detected_and_named(tmp_path):
    path = write(tmp_path, "x.csv", "订单号,订单日期,销售额\n" + "A1,2025-07-01,1\n" * 50, "gbk")
    with reading.open_source(path) as src:
        assert src.encoding == "gb18030"
        assert src.header == ["订单号", "订单日期", "销售额"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_any_delimiter_and_crlf_line_ends_are_read(con, tmp_path, delimiter):
    text = ORDERS.replace(",", delimiter).replace("\n", "\r\n")
    result = ingest.ingest_file(con, write(tmp_path, "o.csv", text), "orders", load_day=LOAD_DAY)
    assert (result.rows_loaded, result.rows_rejected) == (3, 0)
    assert db.scalar(con, "select sum(revenue) from orders") == 35.5


def test_quoted_fields_may_hold_delimiters_and_line_breaks(con, tmp_path):
    text = (
        "order_id,order_date,product,revenue\n"
        'A1,2025-07-01,"Pen, blue",10\n'
        'A2,2025-07-01,"Ink\nrefill ""XL""",5\n'
        "A3,2025-07-02,Pad,1\n"
    )
    result = ingest.ingest_file(con, write(tmp_path, "o.csv", text), "orders", load_day=LOAD_DAY)
    assert result.rows_loaded == 3 and result.rows_total == 3
    products = [
        r[0] for r in con.execute("select product from orders order by order_id").fetchall()
    ]
    assert products == ["Pen, blue", 'Ink\nrefill "XL"', "Pad"]


def test_record_count_ignores_blank_lines_and_a_missing_last_line_end(tmp_path):
    path = write(tmp_path, "o.csv", "a,b\n1,2\n\n3,4\r\n\r\n5,6")
    assert reading.count_records(path) == 3
    quoted = write(tmp_path, "q.csv", 'a,b\n1,"x\n\ny"\n\n2,3\n')
    assert reading.count_records(quoted) == 2


def test_xlsx_files_load_like_csv(con, tmp_path):
    frame = pd.DataFrame(
        {
            "订单号": ["A1", "A2"],
            "订单日期": [pd.Timestamp("2025-07-01"), pd.Timestamp("2025-07-02")],
            "客户编号": ["007", "008"],
            "数量": [2, 3],
            "单价": [1.5, 2.0],
        }
    )
    path = tmp_path / "orders.xlsx"
    frame.to_excel(path, index=False)
    result = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    assert result.encoding == "xlsx"
    rows = con.execute("select order_id, order_date, customer_id, revenue from orders order by 1")
    assert rows.fetchall() == [
        ("A1", date(2025, 7, 1), "007", 3.0),
        ("A2", date(2025, 7, 2), "008", 6.0),
    ]


# --- mapping ---------------------------------------------------------------------------------


def test_english_headers_map_case_and_space_insensitively(con, tmp_path):
    text = "Order No,ORDER DATE,Customer ID,Sales Rep,Qty,Unit Price\nA1,2025-07-01,C1,Li,2,3\n"
    preview = ingest.preview_file(con, write(tmp_path, "o.csv", text), "orders")
    assert preview.mapping["order_id"] == "Order No"
    assert preview.mapping["order_date"] == "ORDER DATE"
    assert preview.mapping["sales_rep"] == "Sales Rep"
    assert preview.mapping["revenue"] is None
    assert preview.missing_required == []  # revenue comes from quantity × unit_price
    assert preview.rows.iloc[0].tolist() == ["A1", "2025-07-01", "C1", "Li", "2", "3"]


def test_guess_kind_names_the_kind_a_header_looks_like():
    assert ingest.guess_kind(["订单号", "订单日期", "销售额"]) == "orders"
    assert ingest.guess_kind(["sales_agent", "manager", "regional_office"]) == "teams"
    assert ingest.guess_kind(["deal_stage", "opportunity_id", "close_value"]) == "opportunities"
    assert ingest.guess_kind(["月份", "维度", "指标", "目标"]) == "targets"
    assert ingest.guess_kind(["colour", "size"]) is None


def test_a_mapping_override_wins_and_is_remembered_for_the_same_header(con, tmp_path):
    text = "单号,日期,金额,备用金额\nA1,2025-07-01,1,99\n"
    path = write(tmp_path, "o.csv", text)
    ingest.ingest_file(con, path, "orders", mapping={"revenue": "备用金额"}, load_day=LOAD_DAY)
    assert db.scalar(con, "select revenue from orders") == 99
    preview = ingest.preview_file(con, path, "orders")
    assert preview.remembered is True
    assert preview.mapping["revenue"] == "备用金额"


def test_a_mapping_naming_a_column_the_file_lacks_is_refused(con, tmp_path):
    path = write(tmp_path, "o.csv", ORDERS)
    with pytest.raises(InputError, match="not in the file: nope"):
        ingest.ingest_file(con, path, "orders", mapping={"revenue": "nope"}, load_day=LOAD_DAY)


# --- rows ------------------------------------------------------------------------------------


def test_ids_keep_leading_zeros_and_order_lines_are_distinct_rows(con, tmp_path):
    ingest.ingest_file(con, write(tmp_path, "o.csv", ORDERS), "orders", load_day=LOAD_DAY)
    rows = con.execute("select order_id, line_no, customer_id from orders order by 1, 2")
    assert rows.fetchall() == [("A001", 1, "007"), ("A001", 2, "007"), ("A002", 1, "008")]


def test_without_line_numbers_the_position_within_the_order_is_the_key(con, tmp_path):
    text = "order_id,order_date,product,revenue\nA1,2025-07-01,Pen,1\nA2,2025-07-01,Pen,2\nA1,2025-07-01,Pen,1\n"
    path = write(tmp_path, "o.csv", text)
    assert ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY).rows_loaded == 3
    rows = con.execute("select order_id, line_no, revenue from orders order by 1, 2").fetchall()
    assert rows == [("A1", 1, 1.0), ("A1", 2, 1.0), ("A2", 1, 2.0)]
    again = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    assert (again.rows_loaded, again.rows_duplicate) == (0, 3)


def test_without_order_ids_each_row_is_its_own_order_and_reloading_changes_nothing(con, tmp_path):
    text = "date,amount\n2025-07-01,5\n2025-07-01,5\n2025-07-02,7\n"
    path = write(tmp_path, "o.csv", text)
    assert ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY).rows_loaded == 3
    assert db.scalar(con, "select count(distinct order_id || line_no) from orders") == 3
    assert ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY).rows_duplicate == 3


def test_bad_values_are_rejected_with_line_column_and_reason(con, tmp_path):
    rows = [f"A{i},2025-07-01,{i}" for i in range(1, 41)]
    rows[4] = "A5,2025-13-45,5"  # line 6
    rows[9] = "A10,2025-07-01,lots"  # line 11
    rows[19] = "A20,,20"  # line 21
    text = "order_id,order_date,revenue\n" + "\n".join(rows) + "\n"
    result = ingest.ingest_file(
        con, write(tmp_path, "o.csv", text), "orders", max_bad_rate=0.1, load_day=LOAD_DAY
    )
    assert (result.rows_loaded, result.rows_rejected, result.rows_duplicate) == (37, 3, 0)
    assert result.rejects.to_dict(orient="records") == [
        {"line": 6, "column": "order_date", "value": "2025-13-45", "reason": "not a date"},
        {"line": 11, "column": "revenue", "value": "lots", "reason": "not a number"},
        {"line": 21, "column": "order_date", "value": None, "reason": "missing (required)"},
    ]


def _mixed_forms_file(tmp_path: Path) -> Path:
    """30 plain rows (the sample sees only these), then forms DuckDB's reader cannot type."""
    rows = [f"A{i},1,2025-07-{i % 28 + 1:02d},C{i},2,10.5," for i in range(30)]
    rows += [
        'B1,1,2025年7月3日,"C 1\nsecond line",2,10,',  # Chinese date; a line break in a field
        'B2,1,2025-07-04,C2,3,"1,234.50",',  # thousands separator
        "B3,1,2025-07-05,C3,1,￥12,99",  # currency sign; revenue given
        "B4,1,2025-07-06,C4,1,(5),",  # accounting negative
        "B5,1,not a date,C5,1,1,",  # bad
        "B6,1,2025-07-07,C6,1,1,n/a",  # bad revenue
        "B7,1,2025-07-08,C7,1",  # fewer fields
        "A3,1,2025-07-09,C8,1,1,",  # key seen before in this file
    ]
    text = "order_id,line_no,order_date,customer_id,quantity,unit_price,revenue\n"
    return write(tmp_path, "o.csv", text + "\n".join(rows) + "\n")


def test_rows_the_reader_cannot_type_are_read_as_text_like_the_rest(con, tmp_path, monkeypatch):
    reread = []
    as_text = ingest.batches._insert_as_text
    monkeypatch.setattr(
        ingest.batches,
        "_insert_as_text",
        lambda con, kind, plan, records, *a: (
            reread.append(len(records)) or as_text(con, kind, plan, records, *a)
        ),
    )
    path = _mixed_forms_file(tmp_path)
    result = ingest.ingest_file(con, path, "orders", max_bad_rate=0.2, load_day=LOAD_DAY)
    # four other forms and the bad date; revenue is read as text (blank in every sample row)
    assert reread == [5]
    assert (result.rows_loaded, result.rows_rejected, result.rows_duplicate) == (34, 3, 1)
    assert result.rejects[["line", "column", "reason"]].to_dict(orient="records") == [
        {"line": 36, "column": "order_date", "reason": "not a date"},
        {"line": 37, "column": "revenue", "reason": "not a number"},
        {"line": 38, "column": None, "reason": "fewer fields than the header"},
    ]
    rows = con.execute(
        "select order_id, order_date, customer_id, revenue from orders "
        "where order_id like 'B%' order by order_id"
    ).fetchall()
    assert rows == [
        ("B1", date(2025, 7, 3), "C 1\nsecond line", 20.0),
        ("B2", date(2025, 7, 4), "C2", 3703.5),
        ("B3", date(2025, 7, 5), "C3", 99.0),
        ("B4", date(2025, 7, 6), "C4", -5.0),
    ]


def test_bad_values_the_reader_cannot_type_are_found_without_a_second_scan(
    con, tmp_path, monkeypatch
):
    scans = []
    value_rejects = ingest.batches._value_rejects
    monkeypatch.setattr(
        ingest.batches,
        "_value_rejects",
        lambda con, select, opts: scans.append(opts.csv_path) or value_rejects(con, select, opts),
    )
    rows = [f"A{i},1,2025-07-01,{i}" for i in range(100)]
    rows[9] = "A9,1,2025-13-45,9"  # line 11, in the sample: the column is still read typed
    rows[24] = 'A24,1,2025-07-01,"1,5"'  # line 26: not a plain number, but readable
    rows[29] = "A29,1,2025-07-01,9,extra"  # line 31: a field too many
    rows[49] = "A49,1,2025-07-01,lots"  # line 51
    text = "order_id,line_no,order_date,revenue\n" + "\n".join(rows) + "\n"
    result = ingest.ingest_file(con, write(tmp_path, "o.csv", text), "orders", load_day=LOAD_DAY)
    assert [Path(p).name for p in scans] == ["untyped.csv"]
    assert (result.rows_loaded, result.rows_rejected) == (97, 3)
    assert result.rejects[["line", "column", "reason"]].to_dict(orient="records") == [
        {"line": 11, "column": "order_date", "reason": "not a date"},
        {"line": 31, "column": None, "reason": "more fields than the header"},
        {"line": 51, "column": "revenue", "reason": "not a number"},
    ]
    assert db.scalar(con, "select revenue from orders where order_id = 'A24'") == 15


def test_reading_typed_columns_natively_gives_what_reading_all_text_gives(tmp_path, monkeypatch):
    path = _mixed_forms_file(tmp_path)
    loads = []
    for native in (True, False):
        if not native:
            monkeypatch.setattr(ingest.batches.parsing, "native_sources", lambda *a: {})
        with db.connect(":memory:") as con:
            result = ingest.ingest_file(con, path, "orders", max_bad_rate=0.2, load_day=LOAD_DAY)
            loads.append((snapshot(con)["orders"], result.rejects.to_dict(orient="records")))
    assert loads[0] == loads[1]


def test_a_sample_that_misleads_the_typed_read_still_loads_every_row(con, tmp_path):
    # the first 20 rows are ISO; the other 25 (more than the bad-row limit) are Chinese dates
    rows = [f"A{i},1,2025-07-01,1" for i in range(20)]
    rows += [f"B{i},1,2025年7月{i + 1}日,1" for i in range(25)]
    text = "order_id,line_no,order_date,revenue\n" + "\n".join(rows) + "\n"
    result = ingest.ingest_file(con, write(tmp_path, "o.csv", text), "orders", load_day=LOAD_DAY)
    assert (result.rows_loaded, result.rows_rejected) == (45, 0)
    assert db.scalar(con, "select max(order_date) from orders") == date(2025, 7, 25)


def test_lines_with_the_wrong_number_of_fields_are_rejected_and_counted(con, tmp_path):
    rows = [f"A{i},2025-07-01,{i}" for i in range(1, 41)]
    rows[2] = "A3,2025-07-01,3,extra"  # line 4
    rows[30] = "A31"  # line 32
    rows[35] = "A36,2025-07-01,oops"  # line 37: after two unsplittable lines
    text = "order_id,order_date,revenue\n" + "\n".join(rows) + "\n"
    result = ingest.ingest_file(
        con, write(tmp_path, "o.csv", text), "orders", max_bad_rate=0.1, load_day=LOAD_DAY
    )
    assert result.rows_loaded + result.rows_rejected + result.rows_duplicate == 40
    assert result.rejects[["line", "column", "reason"]].to_dict(orient="records") == [
        {"line": 4, "column": None, "reason": "more fields than the header"},
        {"line": 32, "column": None, "reason": "fewer fields than the header"},
        {"line": 37, "column": "revenue", "reason": "not a number"},
    ]


def test_a_present_but_unreadable_revenue_is_rejected_not_derived(con, tmp_path):
    text = "order_id,order_date,quantity,unit_price,revenue\nA1,2025-07-01,2,3,\nA2,2025-07-01,2,3,n/a\n"
    result = ingest.ingest_file(
        con, write(tmp_path, "o.csv", text), "orders", max_bad_rate=0.5, load_day=LOAD_DAY
    )
    assert result.rows_loaded == 1 and db.scalar(con, "select revenue from orders") == 6
    assert result.rejects.loc[0, "column"] == "revenue"


def test_ambiguous_day_month_dates_are_refused_unless_the_order_is_given(con, tmp_path):
    text = "order_id,order_date,revenue\nA1,3/4/2025,1\nA2,5/6/2025,1\n"
    path = write(tmp_path, "o.csv", text)
    with pytest.raises(InputError, match="ambiguous.*--day-first"):
        ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    ingest.ingest_file(con, path, "orders", day_first=True, load_day=LOAD_DAY)
    assert db.scalar(con, "select min(order_date) from orders") == date(2025, 4, 3)


def test_day_month_order_is_decided_from_the_whole_column(con, tmp_path):
    rows = [f"A{i},3/4/2025,1" for i in range(30)] + ["B1,25/12/2025,1"]
    text = "order_id,order_date,revenue\n" + "\n".join(rows) + "\n"
    ingest.ingest_file(con, write(tmp_path, "o.csv", text), "orders", load_day=LOAD_DAY)
    dates = {r[0] for r in con.execute("select order_date from orders").fetchall()}
    assert dates == {date(2025, 4, 3), date(2025, 12, 25)}


def test_reloading_the_same_rows_changes_nothing(con, tmp_path):
    path = write(tmp_path, "o.csv", ORDERS)
    ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    before = snapshot(con)["orders"]
    again = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    assert (again.rows_loaded, again.rows_duplicate) == (0, 3)
    assert snapshot(con)["orders"] == before


def test_a_key_twice_in_one_file_loads_once(con, tmp_path):
    text = "customer_id,customer_name\nC1,First\nC2,Other\nC1,Second\n"
    result = ingest.ingest_file(con, write(tmp_path, "c.csv", text), "customers", load_day=LOAD_DAY)
    assert (result.rows_loaded, result.rows_duplicate) == (2, 1)
    assert db.scalar(con, "select customer_name from customers where customer_id = 'C1'") == "First"


def test_opportunity_stages_are_canonical_and_unknown_ones_rejected_with_the_accepted_names(
    con, tmp_path
):
    rows = [f"O{i},2025-01-0{i % 9 + 1},赢单" for i in range(30)] + ["X1,2025-01-01,Maybe"]
    text = "商机编号,创建日期,阶段\n" + "\n".join(rows) + "\n"
    result = ingest.ingest_file(
        con, write(tmp_path, "p.csv", text), "opportunities", load_day=LOAD_DAY
    )
    assert result.rows_loaded == 30
    assert result.rejects.loc[0, "reason"] == (
        "unknown stage (accepted: lead, qualified, demo, proposal, won, lost)"
    )
    assert db.scalar(con, "select count(*) from opportunities where stage = 'won'") == 30


def test_targets_take_period_labels_and_check_the_scope(con, tmp_path):
    text = (
        "期间,维度,维度值,指标,目标\n"
        '2025-Q3,region,East,revenue,"1,000"\n'
        "2025年7月,company,,revenue,1.2万\n"
        "2025,sales_rep,Li,orders,12\n"
    )
    result = ingest.ingest_file(con, write(tmp_path, "t.csv", text), "targets", load_day=LOAD_DAY)
    assert result.rows_loaded == 3
    rows = con.execute(
        "select period_start, period_end, scope, scope_value, target from targets order by target"
    ).fetchall()
    assert rows == [
        (date(2025, 1, 1), date(2025, 12, 31), "sales_rep", "Li", 12.0),
        (date(2025, 7, 1), date(2025, 9, 30), "region", "East", 1000.0),
        (date(2025, 7, 1), date(2025, 7, 31), "company", None, 12000.0),
    ]


# --- region inheritance ----------------------------------------------------------------------


TEAMS = "sales_rep,manager,region\nLi,Boss,East\nWu,Boss,West\n"
NO_REGION = "order_id,order_date,sales_rep,revenue\nA1,2025-07-01,Li,1\nA2,2025-07-01,Zhao,2\n"


def regions(con) -> list:
    return con.execute("select order_id, region from orders order by 1").fetchall()


def test_region_is_inherited_from_teams_loaded_before(con, tmp_path):
    ingest.ingest_file(con, write(tmp_path, "t.csv", TEAMS), "teams", load_day=LOAD_DAY)
    ingest.ingest_file(con, write(tmp_path, "o.csv", NO_REGION), "orders", load_day=LOAD_DAY)
    assert regions(con) == [("A1", "East"), ("A2", None)]


def test_region_is_inherited_from_teams_loaded_after_and_undo_gives_it_back(con, tmp_path):
    ingest.ingest_file(con, write(tmp_path, "o.csv", NO_REGION), "orders", load_day=LOAD_DAY)
    before = snapshot(con)
    teams = ingest.ingest_file(con, write(tmp_path, "t.csv", TEAMS), "teams", load_day=LOAD_DAY)
    assert regions(con) == [("A1", "East"), ("A2", None)]
    ingest.undo_batch(con, teams.batch_id)
    after = snapshot(con)
    assert after["orders"] == before["orders"]
    assert after["teams"] == before["teams"]


def test_a_region_in_the_file_is_kept(con, tmp_path):
    ingest.ingest_file(con, write(tmp_path, "t.csv", TEAMS), "teams", load_day=LOAD_DAY)
    text = "order_id,order_date,sales_rep,region,revenue\nA1,2025-07-01,Li,North,1\n"
    ingest.ingest_file(con, write(tmp_path, "o.csv", text), "orders", load_day=LOAD_DAY)
    assert regions(con) == [("A1", "North")]


# --- batches ---------------------------------------------------------------------------------


def test_every_batch_is_logged_and_undo_removes_exactly_its_rows(con, tmp_path):
    first = ingest.ingest_file(
        con, write(tmp_path, "a.csv", ORDERS), "orders", user_name="ana", load_day=LOAD_DAY
    )
    text = "order_id,order_date,revenue\nB1,2025-07-03,4\n"
    second = ingest.ingest_file(con, write(tmp_path, "b.csv", text), "orders", load_day=LOAD_DAY)
    log = ingest.list_batches(con)
    assert log["batch_id"].tolist() == [second.batch_id, first.batch_id]
    row = log.set_index("batch_id").loc[first.batch_id]
    assert (row.file_name, row.rows_loaded, row.user_name) == ("a.csv", 3, "ana")
    assert row.file_sha256 == first.file_sha256 and len(first.file_sha256) == 64
    assert json.loads(row.mapping_json)["order_id"] == "order_id"
    assert ingest.undo_batch(con, first.batch_id) == 3
    assert con.execute("select order_id from orders").fetchall() == [("B1",)]
    with pytest.raises(InputError, match="already undone"):
        ingest.undo_batch(con, first.batch_id)
    with pytest.raises(InputError, match="no batch 999"):
        ingest.undo_batch(con, 999)


# --- refusals: one line, database unchanged --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind", "reason"),
    [
        ("empty.csv", b"", "orders", "the file is empty"),
        ("blank.csv", b"\n\n  \n", "orders", "the file is empty"),
        ("header.csv", b"order_id,order_date,revenue\n", "orders", "header only"),
        ("bin.csv", bytes(range(256)) * 40, "orders", "binary file"),
        ("teams.csv", TEAMS.encode(), "orders", "missing order_date.*looks like a teams file"),
        (
            "trunc.csv",
            "订单号,订单日期,销售额\nA1,2025-07-01,1\n".encode("gbk")[:-6] + b"\xd6",
            "orders",
            "not readable as gb18030",
        ),
        ("bad.xlsx", b"PK\x03\x04garbage", "orders", "not a readable .xlsx"),
        ("o.csv", ORDERS.encode(), "invoices", "unknown kind 'invoices'"),
    ],
)
def test_bad_files_are_refused_whole_with_a_reason(con, tmp_path, name, content, kind, reason):
    ingest.ingest_file(con, write(tmp_path, "seed.csv", ORDERS), "orders", load_day=LOAD_DAY)
    before = snapshot(con)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason) as info:
        ingest.ingest_file(con, path, kind, load_day=LOAD_DAY)
    assert "\n" not in str(info.value)
    assert snapshot(con) == before


def test_too_many_bad_rows_refuse_the_file_and_the_limit_is_configurable(con, tmp_path):
    rows = [f"A{i},2025-07-01,{i}" for i in range(1, 21)] + ["A99,never,1"]
    path = write(tmp_path, "o.csv", "order_id,order_date,revenue\n" + "\n".join(rows) + "\n")
    before = snapshot(con)
    with pytest.raises(InputError, match=r"1 of 21 rows \(4.8%\) are bad, above the 1% limit"):
        ingest.ingest_file(con, path, "orders", max_bad_rate=0.01, load_day=LOAD_DAY)
    assert snapshot(con) == before
    assert ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY).rows_rejected == 1


def test_a_file_in_an_encoding_duckdb_cannot_read_never_loads_silently(con, tmp_path):
    # Latin-1 bytes in an otherwise UTF-8 file: lines DuckDB cannot decode are rejected and counted
    rows = [f"A{i},2025-07-01,{i}" for i in range(1, 11)]
    data = ("order_id,order_date,revenue\n" + "\n".join(rows) + "\n").encode()
    path = tmp_path / "o.csv"
    path.write_bytes(data + b"A11,2025-07-01,\xe9\xe9\n")
    result = ingest.ingest_file(con, path, "orders", max_bad_rate=0.5, load_day=LOAD_DAY)
    assert result.rows_loaded + result.rows_rejected == 11 == result.rows_total


def test_progress_is_reported_from_zero_to_one(con, tmp_path):
    seen = []
    ingest.ingest_file(
        con,
        write(tmp_path, "o.csv", ORDERS),
        "orders",
        progress=lambda f, s: seen.append(f),
        load_day=LOAD_DAY,
    )
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_a_load_marks_its_rollup_changes_in_its_own_transaction(con, tmp_path, monkeypatch):
    """What a batch changes in the rollups is marked with its rows, all or nothing; the rollups
    themselves are brought up to date by the refresh step after the batch commits."""
    from salesdash import rollups

    before = snapshot(con)
    capture = rollups.capture

    def broken(*args):
        capture(*args)
        raise RuntimeError("marking failed")

    monkeypatch.setattr(rollups, "capture", broken)
    with pytest.raises(RuntimeError, match="marking failed"):
        ingest.ingest_file(con, write(tmp_path, "o.csv", ORDERS), "orders", load_day=LOAD_DAY)
    assert snapshot(con) == before
    assert rollups.pending(con) is rollups.Change.NONE
    monkeypatch.setattr(rollups, "capture", capture)
    ingest.ingest_file(con, write(tmp_path, "o.csv", ORDERS), "orders", load_day=LOAD_DAY)
    assert rollups.pending(con) is not rollups.Change.NONE
    assert db.scalar(con, "select count(*) from rollup_sales_customer_cube") == 0
    rollups.refresh(con, rollups.pending(con))
    assert db.scalar(con, "select count(*) from rollup_sales_customer_cube") > 0


def test_a_preview_reads_only_the_head_and_names_the_encoding(con, tmp_path):
    text = "订单号,订单日期,销售额\n" + "".join(f"A{i},2025-07-01,{i}\n" for i in range(100))
    preview = ingest.preview_file(con, write(tmp_path, "o.csv", text, "gbk"), "orders", n_rows=5)
    assert preview.encoding == "gb18030"
    assert preview.rows["订单号"].tolist() == ["A0", "A1", "A2", "A3", "A4"]
    assert preview.mapping["revenue"] == "销售额" and preview.missing_required == []
    assert preview.remembered is False
