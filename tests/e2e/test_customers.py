import pytest

from salesdash import carelist, i18n
from tests.e2e.conftest import ARTIFACTS, shot, table_rows, wait_for_app

pytestmark = pytest.mark.e2e


def open_customers(page, lang: str = "en", title: str = "Customers") -> None:
    page.goto(f"{page.base}/?lang={lang}")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    wait_for_app(page)


def test_the_customers_page_draws_the_segment_map_with_its_segments(page):
    open_customers(page)
    page.get_by_text("Segment map").wait_for()
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for()
    for name in ("Champions", "Can't lose them", "Hibernating", "Lost"):
        chart.get_by_text(name, exact=True).first.wait_for()
    assert chart.bounding_box()["height"] > 400
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / "customers-segment-map-chart.png"))
    shot(page, "customers-segment-map")


def test_the_care_list_tab_shows_the_list_in_chinese(page):
    open_customers(page, "zh", "客户")
    page.get_by_role("tab", name="关怀名单").click()
    page.get_by_text("显示并下载电话和邮箱（个人信息）").wait_for()
    panel = page.locator('[role="tabpanel"]:visible').first
    rows = table_rows(panel.locator('[data-testid="stDataFrame"]').first)
    # the demo's customers to call, each with its reason in Chinese
    assert len(rows) >= 5
    reasons = {i18n.t(f"customers.reason.{r}", "zh") for r in carelist.REASONS}
    assert {row[0] for row in rows} <= reasons, rows
    shot(page, "customers-care-list-zh")


@pytest.mark.parametrize(
    ("tab", "text"),
    [
        ("Value tiers", "Value tiers within each segment"),
        ("Cohort retention", "Customers ordering again"),
        ("Segment movement", "Champions still champions"),
    ],
)
def test_each_tab_draws_its_chart(page, tab, text):
    open_customers(page)
    page.get_by_role("tab", name=tab).click()
    page.get_by_text(text).first.wait_for()
    panel = page.locator('[data-testid="stTabPanel"]:visible, [role="tabpanel"]:visible').first
    chart = panel.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for()
    assert chart.bounding_box()["height"] > 250
    chart.scroll_into_view_if_needed()
    panel.screenshot(path=str(ARTIFACTS / f"customers-tab-{tab.lower().replace(' ', '-')}.png"))
