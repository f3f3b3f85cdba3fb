import pytest

from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e


def test_the_forecast_page_draws_history_forecast_and_ranges(page):
    page.goto(page.base)
    wait_for_app(page)
    page.get_by_role("link", name="Forecast").click()
    page.get_by_text("How accurate has this been?").wait_for(timeout=180_000)
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.get_by_text("80% range").count() >= 1
    shot(page, "forecast-total-en")


def test_the_forecast_page_by_region_in_chinese(page):
    page.goto(f"{page.base}/?lang=zh")
    wait_for_app(page)
    page.get_by_role("link", name="销售预测").click()
    page.get_by_text("历史准确度如何？").wait_for(timeout=180_000)
    page.get_by_text("按区域").click()
    wait_for_app(page)
    page.get_by_text("历史准确度如何？").wait_for(timeout=180_000)
    page.locator(".js-plotly-plot").first.wait_for()
    shot(page, "forecast-region-zh")
