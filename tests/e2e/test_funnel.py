import pytest

from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e


def test_the_funnel_page_draws_the_funnel_chart(page):
    page.goto(f"{page.base}/?period=all")
    wait_for_app(page)
    page.get_by_role("link", name="Funnel").click()
    wait_for_app(page)
    page.get_by_text("Sales funnel").first.wait_for()
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.first.wait_for()
    # The funnel trace draws one bar per stage, labelled with its count and cumulative share.
    funnel_chart = charts.first
    funnel_chart.locator("g.trace path").first.wait_for()
    assert funnel_chart.locator(".funnellayer g.point").count() == 5
    assert funnel_chart.get_by_text("100.0%").count() == 1
    charts.nth(1).wait_for()  # the trend below renders after the funnel on a busy machine
    assert charts.count() == 2
    shot(page, "funnel-page")
    page.get_by_text("Reps converting far below their region").scroll_into_view_if_needed()
    shot(page, "funnel-page-flags")
    charts.nth(1).scroll_into_view_if_needed()
    charts.nth(1).locator("g.trace").first.wait_for()
    shot(page, "funnel-page-trend")
