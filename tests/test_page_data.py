"""The Data page under AppTest: upload, mapping, load, counts, undo, bad files."""

import re
from pathlib import Path

import duckdb
import pytest

from salesdash import uploads

DATA_PAGE = "app_pages/data.py"
HEADER = (
    "order_id,line_no,order_date,customer_id,region,channel,sales_rep,product,category,"
    "quantity,unit_price,revenue,cost"
)
# Three new order lines after the demo's last day, summing to 100 + 50.5 + 20 = 170.5.
THREE_ORDERS = (
    HEADER
    + "\nT1,1,2026-11-20,C1,East,direct,Ann,Pen,Office,1,100,100,50"
    + "\nT2,1,2026-11-21,C2,East,online,Bob,Pen,Office,1,50.5,50.5,20"
    + "\nT3,1,2026-11-21,C2,East,online,Bob,Ink,Office,2,10,20,5\n"
).encode()


def _orders(db_path: Path) -> tuple[int, float, int]:
    """(order lines, revenue of the T* orders, batches not undone) in the app's database."""
    with duckdb.connect(str(db_path)) as con:  # same process as the app: shares its DB
        n, revenue = con.execute(
            "select count(*), coalesce(sum(revenue) filter (where order_id like 'T%'), 0) "
            "from orders"
        ).fetchall()[0]
        active = con.execute("select count(*) from ingest_log where undone_at is null").fetchall()
    return n, float(revenue), active[0][0]


def _values(params, key: str) -> list[str]:
    """A query parameter as a list (AppTest gives one value as a string, several as a list)."""
    value = params[key]
    return [value] if isinstance(value, str) else list(value)


def _shown(markdown: str) -> str:
    """The text a user reads from markdown the page escaped with ui.plain."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def data_page(writable_app):
    at = writable_app.run()
    return at.switch_page(DATA_PAGE).run()


def test_uploading_a_csv_shows_the_mapping_loads_it_and_undo_removes_it(data_page, writable_db):
    at = data_page
    before_rows, _, before_batches = _orders(writable_db)
    at.file_uploader[0].set_value(("orders_november.csv", THREE_ORDERS, "text/csv")).run()
    assert not at.exception
    kind = next(s for s in at.selectbox if s.label == "Kind of file")
    assert kind.value == "orders"
    mapped = {s.key.rsplit("-", 1)[1]: s.value for s in at.selectbox if s.key.startswith("map-")}
    assert mapped["order_date"] == "order_date"
    assert mapped["revenue"] == "revenue"
    assert len(at.dataframe[0].value) == 3  # the preview of the first rows

    at.button[0].click().run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["3", "0", "0"]
    assert _orders(writable_db) == (before_rows + 3, 170.5, before_batches + 1)

    at.button(key="undo_ask").click().run()
    assert "orders_november.csv" in _shown(at.warning[0].value)
    assert _orders(writable_db) == (before_rows + 3, 170.5, before_batches + 1)  # not before "yes"
    at.button(key="undo_yes").click().run()
    assert not at.exception
    assert _orders(writable_db) == (before_rows, 0.0, before_batches)
    assert any("3 rows removed" in s.value for s in at.success)

    # … and redo brings exactly those rows back
    redo = next(s for s in at.selectbox if (s.key or "").startswith("redo_pick-"))
    assert "orders_november.csv" in redo.options[0]
    at.button(key="redo").click().run()
    assert not at.exception
    assert _orders(writable_db) == (before_rows + 3, 170.5, before_batches + 1)
    assert any("is back: 3 rows" in s.value for s in at.success)


def test_a_missing_required_column_is_mapped_with_a_select_box_then_loads(data_page, writable_db):
    at = data_page
    before_rows, _, _ = _orders(writable_db)
    file = "单号,日子,金额\nT7,2026-11-03,12.5\nT8,2026-11-04,7.5\n".encode()
    at.file_uploader[0].set_value(("orders.csv", file, "text/csv")).run()
    assert "order_date" in _shown(at.warning[0].value)
    assert not [b for b in at.button if b.label.startswith("Load")]

    date_box = next(s for s in at.selectbox if s.key.endswith("-orders-order_date"))
    date_box.set_value("日子").run()
    assert not at.warning
    next(b for b in at.button if b.label.startswith("Load")).click().run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["2", "0", "0"]
    assert _orders(writable_db)[:2] == (before_rows + 2, 20.0)


def _load_with_one_bad_row(at):
    """Load 20 good order lines (revenue 1 each) and, on line 22, one with a date that is not."""
    good = [
        f"T{i},1,2026-11-{1 + i % 14:02d},C1,East,direct,Ann,Pen,Office,1,1,1,0" for i in range(20)
    ]
    bad = "T99,1,someday,C1,East,direct,Ann,Pen,Office,1,1,1,0"
    at.file_uploader[0].set_value(
        ("orders_dec.csv", "\n".join([HEADER, *good, bad]).encode(), "text/csv")
    ).run()
    next(b for b in at.button if b.label.startswith("Load")).click().run()
    assert not at.exception
    return at.dataframe[0].value


def test_rejected_rows_are_listed_with_column_value_and_reason_and_downloadable(
    data_page, writable_db
):
    at = data_page
    rejects = _load_with_one_bad_row(at)
    assert [m.value for m in at.metric] == ["20", "1", "0"]
    assert rejects[["column", "value"]].values.tolist() == [["order_date", "someday"]]
    assert rejects["reason"].str.len().tolist()[0] > 0
    assert _orders(writable_db)[1] == 20.0
    downloads = [d for d in at.get("download_button") if "rejected-rows" in d.proto.id]
    assert len(downloads) == 2


def test_a_rejected_row_shows_its_line_in_the_file(data_page):
    rejects = _load_with_one_bad_row(data_page)
    assert rejects["line"].tolist() == [22]


def test_cancelling_the_undo_keeps_the_batch(data_page, writable_db):
    at = data_page
    before = _orders(writable_db)
    at.button(key="undo_ask").click().run()
    at.button(key="undo_no").click().run()
    assert not at.warning
    assert _orders(writable_db) == before


def test_a_file_of_unknown_format_gets_one_line_and_changes_nothing(data_page, writable_db):
    at = data_page
    before = _orders(writable_db)
    at.file_uploader[0].set_value(("report.pdf", b"%PDF-1.4 not a table", "application/pdf"))
    at.run()
    assert not at.exception
    assert [_shown(e.value) for e in at.error] == [
        "report.pdf: unknown format — only .csv, .xlsx files can be loaded."
    ]
    assert not [b for b in at.button if b.label.startswith("Load")]
    assert _orders(writable_db) == before


def test_a_file_the_import_refuses_gets_one_line_and_changes_nothing(data_page, writable_db):
    at = data_page
    before = _orders(writable_db)
    bad = (HEADER + "\nT9,1,not a date,C1,East,direct,Ann,Pen,Office,1,x,y,z\n").encode()
    at.file_uploader[0].set_value(("orders_bad.csv", bad, "text/csv")).run()
    loads = [b for b in at.button if b.label.startswith("Load")]
    if loads:
        loads[0].click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert "orders_bad.csv" in _shown(at.error[0].value)
    assert "\n" not in at.error[0].value
    assert _orders(writable_db) == before


def test_the_data_page_speaks_chinese(app):
    app.query_params["lang"] = "zh"
    at = app.run().switch_page(DATA_PAGE).run()
    assert not at.exception
    assert at.title[0].value == "数据"
    assert [s.value for s in at.subheader][:2] == ["导入文件", "各表行数"]


@pytest.mark.parametrize(
    ("name", "size", "key"),
    [
        ("orders.txt", 10, "data.error.format"),
        ("orders.CSV", 0, "data.error.empty"),
        ("orders.xlsx", 3 * 2**20, "data.error.size"),
    ],
)
def test_uploads_are_checked_for_format_emptiness_and_size(name, size, key):
    assert uploads.check_upload(name, size, max_bytes=2**20).key == key


def test_a_good_upload_passes_the_checks():
    assert uploads.check_upload("订单 2025-07.xlsx", 2**20, max_bytes=2**20) is None


def test_the_kind_is_proposed_from_the_file_name_when_the_header_says_nothing():
    assert uploads.default_kind("export_opportunities_q3.csv", ["a", "b"]) == "opportunities"


def test_an_upload_is_saved_in_its_folder_under_a_new_name_with_its_suffix(tmp_path):
    path = uploads.save_upload(b"x,y\n1,2\n", "销售 订单.CSV", tmp_path)
    assert path.parent == tmp_path
    assert path.suffix == ".csv"
    assert path.read_bytes() == b"x,y\n1,2\n"
    assert uploads.display_name("销售 订单.CSV") == "销售 订单.CSV"


def test_file_names_are_shown_as_text_not_as_markdown():
    from salesdash import ui

    assert ui.plain("[x](http://e.vil) <b>*.csv") == r"\[x\]\(http\://e\.vil\) \<b\>\*\.csv"


def _xlsx(rows: list[list]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_two_files_at_once_an_excel_with_chinese_headers_and_a_csv_each_become_a_batch(
    data_page, writable_db
):
    at = data_page
    orders = _xlsx(
        [["订单编号", "订单日期", "销售额", "区域"], ["X1", "2026-11-02", 30, "East"]]
        + [["X2", "2026-11-03", 12, "East"]]
    )
    customers = b"customer_id,customer_name,region\nNEW1,Acme,East\n"
    at.file_uploader[0].set_value(
        [
            ("十一月订单.xlsx", orders, "application/vnd.ms-excel"),
            ("crm.csv", customers, "text/csv"),
        ]
    ).run()
    kinds = [s.value for s in at.selectbox if s.key.startswith("kind-")]
    assert kinds == ["orders", "customers"]
    mapped = {s.key.rsplit("-", 1)[1]: s.value for s in at.selectbox if "-orders-" in s.key}
    assert (mapped["order_date"], mapped["revenue"]) == ("订单日期", "销售额")

    before_rows, _, before_batches = _orders(writable_db)
    next(b for b in at.button if b.label == "Load 2 file(s)").click().run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["2", "0", "0", "1", "0", "0"]
    assert _orders(writable_db)[0] == before_rows + 2
    assert _orders(writable_db)[2] == before_batches + 2


# A re-export of November (the demo's last month): two of its orders again, one amount changed.
NOVEMBER_AGAIN = (
    "订单号,订单日期,客户编号,大区,渠道,销售额\n"
    'T1,2026年11月20日,007,East,online,"￥1,234.50"\n'
    "T2,20261121,008,West,store,(12)\n"
).encode()


def test_the_preview_shows_parsed_values_and_offers_to_replace_the_months_loaded(app):
    at = app.run().switch_page(DATA_PAGE).run()
    at.file_uploader[0].set_value(("november.csv", NOVEMBER_AGAIN, "text/csv")).run()
    assert not at.exception
    parsed = at.dataframe[0].value
    assert parsed["order_id"].tolist() == ["T1", "T2"]
    assert [d.date().isoformat() for d in parsed["order_date"]] == ["2026-11-20", "2026-11-21"]
    assert parsed["customer_id"].tolist() == ["007", "008"]  # IDs kept as text
    assert parsed["revenue"].tolist() == [1234.5, -12.0]
    offer = at.checkbox(key=next(c.key for c in at.checkbox if c.key.startswith("replace-")))
    assert re.search(
        r"Replace the [\d,]+ rows already loaded for 1 Nov 2026 – 30 Nov 2026", offer.label
    )
    assert offer.value is False


def test_a_load_says_what_it_brought_replaces_the_month_and_one_click_views_its_dates(
    data_page, writable_db
):
    at = data_page
    at.file_uploader[0].set_value(("november.csv", NOVEMBER_AGAIN, "text/csv")).run()
    next(c for c in at.checkbox if c.key.startswith("replace-")).check().run()
    next(b for b in at.button if b.label.startswith("Load")).click().run()
    assert not at.exception
    with duckdb.connect(str(writable_db)) as con:
        november = con.execute(
            "select count(*), sum(revenue) from orders where order_date >= '2026-11-01'"
        ).fetchall()
    assert november == [(2, 1222.5)]  # the month is the re-export's, nothing else
    assert any(re.search(r"replaced the [\d,]+ rows loaded before", i.value) for i in at.info)
    said = " ".join(_shown(m.value).replace("**", "") for m in at.markdown)
    assert "It covers 20 Nov 2026 – 21 Nov 2026: 2 orders, 2 customers, revenue ¥1.2K" in said
    assert any("Regions: East, West" in _shown(c.value) for c in at.caption)

    next(b for b in at.button if (b.key or "").startswith("view-dates-")).click().run()
    assert not at.exception
    assert at.title[0].value == "Sales overview"
    scope = at.session_state["_scope"]
    assert (scope.start_date.isoformat(), scope.end_date.isoformat()) == (
        "2026-11-20",
        "2026-11-21",
    )
    assert _values(at.query_params, "from") == ["2026-11-20"]


def test_the_currency_chosen_on_the_data_page_is_on_every_amount(data_page):
    at = data_page
    at.selectbox(key="currency_pick").set_value("USD").run()
    at.button(key="currency_save").click().run()
    assert not at.exception
    assert any("Amounts are now shown in USD." in s.value for s in at.success)
    at.switch_page("app_pages/overview.py").run()
    revenue = next(m for m in at.metric if m.label == "Revenue")
    assert revenue.value.startswith("$") and "¥" not in revenue.value
