"""The Targets and Executive pages under AppTest, on the demo data, in English and Chinese.

The pages read the forecasts the demo store's refresh step stored. Only an earlier as-of date
asks for paths nobody stored: there the forecast is replaced by a fast simulator with known noise
(these tests are about what the pages show and store; the forecast has its own tests).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from salesdash import db, scenarios, targets
from salesdash.scope import Scope
from salesdash.store import Store
from tests.conftest import APP


def seasonal_naive_paths(y, horizon, *, freq, n_paths=1000, seed=0):
    """Last year's months again, ±10% noise."""
    rng = np.random.default_rng(seed)
    base = np.resize(y.to_numpy()[-12:], horizon)
    return base * (1 + rng.normal(0, 0.1, (n_paths, horizon)))


@pytest.fixture
def fast_forecast(monkeypatch):
    monkeypatch.setattr(
        targets.projection, "default_simulator", lambda con=None: seasonal_naive_paths
    )


def _texts(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.subheader] + [e.value for e in at.title]
    parts += [m.label for m in at.metric] + [m.value for m in at.metric]
    # as shown: without the backslashes that escape the values in the markdown source
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def test_targets_page_lists_running_targets_with_their_smart_check(app):
    at = app.switch_page("app_pages/targets.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    # demo data on 15 Nov 2026: 7 region months + 7 region quarters + company year + orders quarter
    assert len(table) == 16
    central_q4 = table[
        (table["Who / what"] == "Central") & (table["End"].astype(str) == "2026-12-31")
    ]
    # Central's Q4 revenue to 15 Nov: 505,849.71 against 1,049,000
    assert central_q4["Attainment"].iloc[0] == pytest.approx(505849.71 / 1049000)
    smart_table = at.dataframe[1].value
    assert list(smart_table["SMART"]) == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    ]
    assert "Targets" in _texts(at)


def test_targets_page_renders_in_chinese(app):
    app.query_params["lang"] = "zh"
    at = app.switch_page("app_pages/targets.py").run()
    assert not at.exception
    text = _texts(at)
    assert "销售目标" in text and "SMART 检查" in text
    assert "明确（S）" in list(at.dataframe[1].value["SMART"])


def test_the_as_of_date_replays_an_earlier_day(app, fast_forecast):
    at = app.switch_page("app_pages/targets.py").run()
    at.date_input(key="targets_as_of").set_value(date(2026, 5, 15)).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert str(table["Start"].min()) >= "2026-01-01"
    assert "2026-05-01" in {str(d) for d in table["Start"]}


def test_editing_a_target_in_the_data_editor_persists_it(writable_app, writable_db):
    at = writable_app.switch_page("app_pages/targets.py").run()
    at.session_state["targets_editor"] = {
        "edited_rows": {0: {"target": 123456.0, "note": "raised after the spring fair"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="targets_save").click().run()
    assert not at.exception
    assert any("batch" in s.value for s in at.success)
    con = db.connect(writable_db)
    try:
        current = targets.current_targets(con, Scope())
        row = current.iloc[0]
        assert (row["target"], row["note"]) == (123456.0, "raised after the spring fair")
        log = con.execute(
            "select kind, file_name, rows_loaded from ingest_log order by batch_id desc limit 1"
        ).fetchall()
        assert log == [("targets", targets.EDIT_FILE_NAME, 1)]
    finally:
        con.close()


def test_executive_page_shows_quarter_and_year_with_odds(app):
    at = app.switch_page("app_pages/executive.py").run()
    assert not at.exception
    text = _texts(at)
    assert "This quarter (1 Oct 2026 – 31 Dec 2026)" in text
    assert "This year (1 Jan 2026 – 31 Dec 2026)" in text
    assert "Chance of hitting" in text
    regions = at.dataframe[0].value
    assert len(regions) == 7
    assert "The three biggest gaps" in text


def test_executive_page_renders_in_chinese(app):
    app.query_params["lang"] = "zh"
    at = app.switch_page("app_pages/executive.py").run()
    assert not at.exception
    text = _texts(at)
    assert "管理层摘要" in text and "本季度" in text and "达成概率" in text


def test_the_one_page_export_renders_as_pdf_and_png(demo_reader):
    from salesdash.charts import executive

    as_of = date(2026, 11, 15)
    summary = targets.executive_summary(demo_reader, Scope(), as_of=as_of)
    outlook, year_target = targets.year_outlook(demo_reader, Scope(), as_of=as_of)
    # both years and quarters, the company and seven regions (region years: sums of quarters)
    assert len(summary) == 16
    assert year_target == 37_180_000.0
    page = executive.one_page_figure(
        summary,
        outlook,
        year_target,
        targets.biggest_gaps(summary),
        as_of=as_of,
        metric="revenue",
        lang="zh",
    )
    assert executive.export_bytes(page, "pdf").startswith(b"%PDF")
    assert executive.export_bytes(page, "png").startswith(b"\x89PNG")


def test_the_cumulative_chart_phases_the_year_target_by_the_seasonal_pace(demo_reader):
    """The target line rises to the year target by December, expected to date on the way (the
    demo sells more towards the year end), instead of a flat line at the whole year's target."""
    outlook, year_target = targets.year_outlook(demo_reader, Scope(), as_of=date(2026, 11, 15))
    phased = outlook[outlook["series"] == "target"].set_index("ds")["y"]
    assert len(phased) == 12 and phased.is_monotonic_increasing
    assert phased.iloc[-1] == pytest.approx(year_target)
    assert 0 < phased.iloc[5] < year_target * 0.6


def _whatif(at):
    return next(d.value for d in at.dataframe if "Projection (what-if)" in d.value.columns)


def test_a_what_if_on_the_executive_page_moves_one_region_and_the_company(app):
    at = app.switch_page("app_pages/executive.py").run()
    baseline = at.dataframe[0].value
    at.toggle(key="whatif_on").set_value(True).run()
    assert at.selectbox(key="whatif_region").value == "Central"
    at.number_input(key="whatif_pct").set_value(10.0)
    at.button(key="whatif_add").click().run()
    assert not at.exception
    assert "Central: +10% from Dec 2026" in _texts(at)
    moved = _whatif(at).set_index(["Who / what", "Period"])
    change = moved["Change"]
    quarter = "1 Oct 2026 – 31 Dec 2026"
    assert change[("Region Central", quarter)].startswith("+¥")
    assert change[("Company", quarter)] == change[("Region Central", quarter)]
    others = [who for who, _ in moved.index if who not in ("Company", "Region Central")]
    assert len(others) == 12 and all(
        change[(who, p)] == "¥0" for who, p in moved.index if who in others
    )
    # the baseline above is what it was
    assert at.dataframe[0].value.equals(baseline)


def test_a_saved_scenario_is_there_for_the_next_visit(writable_app, writable_db):
    at = writable_app.switch_page("app_pages/targets.py").run()
    at.toggle(key="whatif_on").set_value(True).run()
    at.segmented_control(key="whatif_kind").set_value("deal").run()
    at.button(key="whatif_add").click().run()
    at.text_input(key="whatif_name").input("Big deal lands").run()
    at.button(key="whatif_save").click().run()
    assert not at.exception
    assert "Saved the scenario “Big deal lands”." in [s.value for s in at.success]
    assert not _whatif(at).empty
    reader = Store(writable_db).reader()
    try:
        (steps,) = scenarios.saved(reader).values()
    finally:
        reader.close()
    assert [(s.kind, s.outcome) for s in steps] == [("deal", "won")]

    again = AppTest.from_file(str(APP), default_timeout=120).switch_page("app_pages/targets.py")
    again.run().toggle(key="whatif_on").set_value(True).run()
    assert again.selectbox(key="whatif_saved").value == "Big deal lands"
    again.button(key="whatif_load").click().run()
    assert not again.exception
    assert f"Deal {steps[0].key} won in Dec 2026" in _texts(again)
