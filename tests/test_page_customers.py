"""The Customers page under AppTest, in English and Chinese, on the demo database."""

from __future__ import annotations

from datetime import date

import pytest

from salesdash import segments
from salesdash.scope import Scope

PAGE = "app_pages/customers.py"
LAST_DAY = date(2026, 11, 15)


@pytest.fixture
def page(app):
    at = app.run()
    return at.switch_page(PAGE).run()


def frames(at) -> dict[int, object]:
    return {i: df.value for i, df in enumerate(at.dataframe)}


def expected_rfm(demo_reader, as_of):
    return segments.rfm_table(demo_reader, Scope(), as_of)


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_the_page_shows_segments_tiers_cohorts_care_and_movement_in_english(page, demo_reader):
    assert not page.exception
    assert [t.label for t in page.tabs] == [
        "Segments",
        "Value tiers",
        "Cohort retention",
        "Care list",
        "Segment movement",
    ]
    assert page.date_input[0].value == LAST_DAY
    rfm = expected_rfm(demo_reader, LAST_DAY)
    assert metric(page, "Customers") == f"{len(rfm) / 1000:.1f}K"
    table = frames(page)[0]
    assert len(table) == len(segments.SEGMENTS)
    assert table["n_customers"].sum() == len(rfm)
    assert "Champions" in set(table["segment"])
    assert len(page.get("plotly_chart")) >= 4


def test_the_page_renders_in_chinese(app):
    app.query_params["lang"] = "zh"
    at = app.switch_page(PAGE).run()
    assert not at.exception
    assert [t.label for t in at.tabs][:2] == ["客户分群", "价值分级"]
    assert "重要价值客户" in set(frames(at)[0]["segment"])
    assert any(m.label == "客户数" for m in at.metric)


def test_an_earlier_as_of_date_rescores_the_customers(page, demo_reader):
    page.date_input[0].set_value(date(2025, 6, 30)).run()
    assert not page.exception
    rfm = expected_rfm(demo_reader, date(2025, 6, 30))
    assert 0 < len(rfm) < len(expected_rfm(demo_reader, date(2026, 11, 15)))  # fewer then
    assert frames(page)[0]["n_customers"].sum() == len(rfm)


def care_table(at):
    return next(v for v in frames(at).values() if "reason" in v.columns)


def test_the_care_list_masks_contacts_until_the_box_is_ticked(page):
    care = care_table(page)
    assert len(care) > 0
    assert care["phone"].str.contains(r"\*\*\*\*").all()
    page.checkbox(key="care_contacts").check().run()
    assert not care_table(page)["phone"].str.contains(r"\*").any()


def test_the_care_list_filters_by_owner_rep(page):
    care = care_table(page)
    rep = care["sales_rep"].value_counts().index[0]
    page.multiselect(key="care_rep").set_value([rep]).run()
    narrowed = care_table(page)
    assert set(narrowed["sales_rep"]) == {rep}
    assert len(narrowed) == (care["sales_rep"] == rep).sum()
