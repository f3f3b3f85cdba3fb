import pytest

from tests.e2e.conftest import shot, wait_for_app

pytestmark = pytest.mark.e2e


def test_dashboard_opens_on_the_demo_data(page):
    page.goto(page.base + "/data")  # Overview is the first page now
    wait_for_app(page)
    page.get_by_text("Rows per table").wait_for()
    page.get_by_text("Data up to 15 Nov 2026").wait_for()
    shot(page, "smoke-data-page")
