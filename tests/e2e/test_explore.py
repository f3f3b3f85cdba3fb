"""A copied Explore URL reproduces the view: period, region filter, drill path and dimension."""

import pytest

from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e

COPIED = (
    "/explore?period=custom&from=2025-03-01&to=2025-03-31&region=East"
    "&drill=region:East&drill=sales_rep:Xu%20Jun&dim=customer"
)


def _sees_the_copied_view(page) -> None:
    page.get_by_role("heading", name="Explore sales").wait_for()
    page.get_by_role("button", name="Region: East").wait_for()
    page.get_by_role("button", name="Sales rep: Xu Jun").wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("East", exact=True).first.wait_for()  # the region filter's chip
    values = sidebar.locator("input").evaluate_all("els => els.map(e => e.value)")
    assert values[:3] == ["Custom range", "2025-03-01", "2025-03-31"], values
    page.get_by_text("Drill into Customer").wait_for()


def test_explore_opened_from_a_copied_url_applies_the_same_filters(page, browser):
    page.goto(page.base + COPIED)
    wait_for_app(page)
    _sees_the_copied_view(page)
    shot(page, "explore-from-url")
    copied = page.url  # what the address bar shows after the app wrote its state back
    assert "drill=region%3AEast" in copied and "dim=customer" in copied

    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    other.set_default_timeout(60_000)
    other.goto(copied)
    wait_for_app(other)
    _sees_the_copied_view(other)
    other.context.close()


def test_clicking_a_bar_drills_into_that_value(page):
    page.goto(page.base + COPIED)
    wait_for_app(page)
    page.get_by_role("button", name="Sales rep: Xu Jun").wait_for()
    box = page.locator(".js-plotly-plot .bars path").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # the crumb names the customer from the customers table, with its ID
    page.get_by_role("button", name="Customer: Nanjing Design 255 (C000255)").wait_for()
    # the next level of the path is the customer's categories
    page.wait_for_url(lambda url: "drill=customer%3AC000255" in url and "dim=category" in url)
    shot(page, "explore-after-click")
