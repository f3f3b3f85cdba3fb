"""A company whose names are attacks, shown on every page: names are text, never markup.

Every page of app.py's navigation runs on the hostile company (tests/hostile/company.py), each
with its names where a page puts data into markdown (Explore's breadcrumb, the Executive's
biggest gaps, the Forecast's thin-history warning). Markdown elements, labels and metrics must not
hold a payload as written; charts must not hold its HTML; every download the page offers must be
inert in a spreadsheet (tests/hostile/test_exports.py checks the command line's files).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.elements.widgets.button import ButtonMixin
from streamlit.testing.v1 import AppTest

from salesdash import fmt
from tests.conftest import APP
from tests.hostile import company
from tests.hostile.conftest import fingerprint
from tests.hostile.spreadsheets import assert_inert, cells

SECTIONS = next(
    ast.literal_eval(node.value)
    for node in ast.parse(APP.read_text()).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SECTIONS"
)
PAGES = [page for names in SECTIONS.values() for page in names]
# What each page is set to so that it puts hostile names into markdown (URL and widget state).
SETUP = {
    "explore": {
        "url": {"drill": [f"region:{company.LINK}", f"sales_rep:{company.BOLD}"]},
        "state": {},
    },
    "explore-compare": {
        "url": {"view": "compare"},
        "state": {"ex_rows": "channel", "ex_cols": "region"},
    },
    "forecast": {"url": {}, "state": {"fc_level": "region", "fc_which_region": company.THIN}},
}
# Pages that show a hostile name in markdown when set up as above: the escaped form must be there.
SHOWS_NAME = {
    "explore": company.BOLD,
    "executive": company.HTML,
    "forecast": company.THIN,
}
MARKDOWN_ELEMENTS = ("markdown", "caption", "title", "header", "subheader")
ALERTS = ("error", "warning", "info", "success")
LABELLED = ("button", "selectbox", "multiselect", "checkbox", "number_input", "date_input")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """Every download a page offers while the test runs: (file name, the bytes a click gets)."""
    offered: list[tuple[str, bytes]] = []
    original = ButtonMixin.download_button

    def capture(self, label, data, file_name=None, *args, **kwargs):
        if Path(file_name).suffix in (".csv", ".xlsx"):  # not the Executive's PNG and PDF
            offered.append((file_name, data() if callable(data) else data))
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", capture)
    return offered


def _markdown_texts(at: AppTest) -> Iterator[str]:
    """Every text of the run that Streamlit renders as markdown."""
    for kind in MARKDOWN_ELEMENTS + ALERTS:
        for element in getattr(at, kind):
            yield element.value
    for kind in LABELLED:
        for element in getattr(at, kind):
            yield element.label
    for metric in at.metric:
        yield from (metric.label, metric.value, metric.proto.delta)
    for element in at.get("download_button"):
        yield element.proto.label


def _chart_strings(at: AppTest) -> Iterator[str]:
    """Every string in the data of the run's plotly charts."""

    def walk(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for key, value in node.items():
                if not key.endswith("template"):
                    yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for chart in at.get("plotly_chart"):
        yield from walk(json.loads(chart.proto.spec).get("data", []))


def _run(page: str, store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SALESDASH_DB", str(store))
    setup = SETUP.get(page, {"url": {}, "state": {}})
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params.update({"period": "all", **setup["url"]})
    for key, value in setup["state"].items():
        at.session_state[key] = value
    at.run()
    return at.switch_page(f"app_pages/{page.split('-')[0]}.py").run()


@pytest.mark.parametrize("page", [*PAGES, "explore-compare"])
def test_hostile_names_render_as_plain_text_on_every_page(
    page, hostile_store, downloads, monkeypatch, quick_forecasts
):
    with duckdb.connect(str(hostile_store)) as con:
        before = fingerprint(con)
    at = _run(page, hostile_store, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    texts = list(_markdown_texts(at))
    for text in texts:
        for payload in company.MARKUP:
            assert payload not in text, (payload, text)
    if page in SHOWS_NAME:
        escaped = fmt.markdown_literal(SHOWS_NAME[page])
        assert any(escaped in text for text in texts), (SHOWS_NAME[page], texts)
    for text in _chart_strings(at):
        for payload in (company.HTML, company.IMG):
            assert payload not in text, (payload, text)
    for name, data in downloads:
        assert_inert(name, data)
    if page == "explore-compare":  # regions are the cross tab's columns: headers from the data
        shown = {c for name, data in downloads if "_by_region" in name for c in cells(name, data)}
        assert "'" + company.FORMULA in shown, shown
    with duckdb.connect(str(hostile_store)) as con:
        assert fingerprint(con) == before
