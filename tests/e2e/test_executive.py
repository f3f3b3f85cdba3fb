import pytest

from tests.e2e.conftest import shot, table_rows

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
    tables = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    tables.nth(1).wait_for()  # tables are drawn after the rest of the page
    tracking, checks = tables.nth(0), tables.nth(1)
    # the demo's running targets on 15 Nov 2026, regions first: each with actual and projection
    rows = table_rows(tracking)
    assert len(rows) >= 10
    assert rows[0][:3] == ["Region", "Central", "Revenue"]
    revenue = [row for row in rows if row[2] == "Revenue"]
    assert revenue and all(row[6] != "–" and row[8] != "–" for row in revenue), rows
    # the SMART check of the first target: the five rules, each passed, failed or not judged
    smart = table_rows(checks)
    assert [row[0] for row in smart] == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    ]
    assert {row[1] for row in smart} <= {"pass", "fail", "cannot judge"} and all(
        row[2] for row in smart
    )
    page.get_by_text("Edit targets").scroll_into_view_if_needed()
    shot(page, "targets-page-smart-and-editor")
