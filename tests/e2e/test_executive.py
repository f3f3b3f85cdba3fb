import pytest

from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e

# The first visit forecasts the company and seven regions with the real forecast module.
FORECAST_TIMEOUT_MS = 240_000


def test_the_executive_summary_shows_the_odds_chart_and_gaps(page):
    page.goto(page.base)
    page.get_by_role("link", name="Executive").click()
    page.get_by_text("The three biggest gaps").wait_for(timeout=FORECAST_TIMEOUT_MS)
    page.get_by_text("This quarter (1 Oct 2026 – 31 Dec 2026)").wait_for()
    page.get_by_text("Chance of hitting").first.wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    page.get_by_role("button", name="Download PDF").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=FORECAST_TIMEOUT_MS,
    )
    shot(page, "executive-summary")
    page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
    shot(page, "executive-summary-chart")


def test_the_targets_page_shows_tracking_and_smart_checks(page):
    page.goto(page.base)
    page.get_by_role("link", name="Targets").click()
    page.get_by_text("Edit targets").wait_for(timeout=FORECAST_TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=FORECAST_TIMEOUT_MS,
    )
    shot(page, "targets-page")
    page.get_by_text("Edit targets").scroll_into_view_if_needed()
    shot(page, "targets-page-smart-and-editor")
