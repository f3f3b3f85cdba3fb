"""The analyst's path in a real browser: upload a CSV, see what was loaded, read it in Chinese."""

import pytest

from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e

# Three order lines inside the store's date range, with ids it has not. The test undoes its batch
# at the end.
ORDERS = (
    b"order_id,line_no,order_date,customer_id,region,channel,sales_rep,product,category,"
    b"quantity,unit_price,revenue,cost\n"
    b"E2E-1,1,2026-11-10,C1,East,direct,Ann,Pen,Office,1,100,100,50\n"
    b"E2E-2,1,2026-11-11,C2,East,online,Bob,Pen,Office,1,50.5,50.5,20\n"
    b"E2E-3,1,2026-11-12,C2,East,online,Bob,Ink,Office,2,10,20,5\n"
)


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def _open_data_page(page) -> None:
    """Open the Data page through the sidebar navigation, as a user does."""
    page.goto(page.base)
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Data").click()
    wait_for_app(page)


def test_an_analyst_uploads_a_csv_sees_the_counts_reads_them_in_chinese_and_undoes(own_page):
    page = own_page
    _open_data_page(page)
    page.get_by_text("Load files").wait_for()
    shot(page, "data-1-start")

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "orders_november.csv", "mimeType": "text/csv", "buffer": ORDERS}]
    )
    page.get_by_text("Kind of file").wait_for()
    wait_for_app(page)
    page.get_by_text("E2E-3").wait_for(state="attached")  # a canvas grid: cells are hidden
    shot(page, "data-2-mapping")

    page.get_by_role("button", name="Load 1 file(s)").click()
    page.get_by_text("orders_november.csv: loaded as batch").wait_for()
    wait_for_app(page)
    assert _metric(page, "Rows loaded") == "3"
    assert _metric(page, "Rows rejected") == "0"
    shot(page, "data-3-loaded")

    page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
    page.get_by_text("导入行数").wait_for()
    wait_for_app(page)
    assert _metric(page, "导入行数") == "3"
    assert page.get_by_text("导入文件").is_visible()
    assert page.get_by_text("各表行数").is_visible()
    period = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
    assert period.input_value() == "近12个月"  # the chosen period follows the language too
    shot(page, "data-4-chinese")

    page.get_by_role("button", name="撤销…").click()
    page.get_by_text("确定撤销 #").wait_for()
    assert "orders_november.csv · 订单 · 3 行" in page.get_by_text("确定撤销 #").inner_text()
    shot(page, "data-5-undo-confirm")
    page.get_by_role("button", name="确定撤销").click()
    page.get_by_text("已撤销：删除 3 行").wait_for()
    wait_for_app(page)
    shot(page, "data-6-undone")
