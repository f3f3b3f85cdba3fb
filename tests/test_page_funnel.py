"""The Funnel page under AppTest, on the demo database, in English and Chinese."""

from __future__ import annotations

import re
from datetime import date

from salesdash import dataset, db, funnel
from salesdash.periods import quick_range
from salesdash.scope import Scope
from tests.conftest import LOAD_DAY


def _expected(demo_reader, start, end):
    """The module's answer on the snapshot the app reads."""
    return funnel.funnel_summary(demo_reader, Scope(start_date=start, end_date=end))


def test_the_funnel_page_shows_the_period_funnel_in_english(app, demo_reader):
    expected = _expected(demo_reader, date(2025, 1, 1), date(2025, 12, 31))
    app.query_params.update({"period": "custom", "from": "2025-01-01", "to": "2025-12-31"})
    at = app.switch_page("app_pages/funnel.py").run()
    assert not at.exception
    assert at.title[0].value == "Sales funnel"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Opportunities created"] == f"{expected.n_created:,}"
    assert metrics["Win rate"] == f"{expected.win_rate * 100:.1f}%"
    stages = at.dataframe[0].value
    assert stages["stage"].tolist() == ["Lead", "Qualified", "Demo", "Proposal", "Won"]
    assert stages["reached"].tolist() == expected.stages["reached"].tolist()
    assert len(at.get("plotly_chart")) == 2
    labels = [b.label for b in at.get("download_button")]
    assert labels.count(labels[0]) == 5


VERDICTS = {
    "flagged": "⚠ far below",
    "ok": "within range",
    "small_sample": "small sample",
    "no_peers": "too few peers",
}


def test_the_breakdown_switches_to_reps_and_flags_are_listed(app, demo_reader):
    # the page's default period: the last 12 months of data
    start, end = quick_range("last_12_months", dataset.last_order_date(demo_reader))
    expected = funnel.rep_flags(demo_reader, Scope(start_date=start, end_date=end))
    at = app.switch_page("app_pages/funnel.py").run()
    at.segmented_control(key="funnel_by").set_value("sales_rep").run()
    assert not at.exception
    reps = at.dataframe[2].value
    assert {"sales_rep", "region", "win_rate", "lead_to_qualified_rate"} <= set(reps.columns)
    assert reps["n_created"].is_monotonic_decreasing
    flags = at.dataframe[3].value
    assert len(expected) > 0
    assert flags["sales_rep"].tolist() == expected["sales_rep"].tolist()
    assert flags["verdict"].tolist() == expected["verdict"].map(VERDICTS).tolist()


def test_the_funnel_page_renders_in_chinese(app):
    app.query_params["lang"] = "zh"
    at = app.switch_page("app_pages/funnel.py").run()
    assert not at.exception
    assert at.title[0].value == "销售漏斗"
    assert "赢单率" in [m.label for m in at.metric]
    assert at.dataframe[0].value["stage"].tolist()[-1] == "合同签订"


def test_a_channel_filter_explains_that_it_does_not_apply(app):
    app.query_params["channel"] = "store"
    at = app.switch_page("app_pages/funnel.py").run()
    assert not at.exception
    assert any("lead source" in i.value for i in at.info)


def test_the_page_explains_the_undated_maven_prospecting_rows(tmp_path, monkeypatch, maven):
    from streamlit.testing.v1 import AppTest

    from salesdash import ingest
    from tests.conftest import APP

    path = tmp_path / "maven.duckdb"
    con = db.connect(path)
    ingest.ingest_file(con, maven / "sales_teams.csv", "teams", load_day=LOAD_DAY)
    ingest.ingest_file(con, maven / "sales_pipeline.csv", "opportunities", load_day=LOAD_DAY)
    con.close()
    monkeypatch.setenv("SALESDASH_DB", str(path))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["period"] = "all"
    at.switch_page("app_pages/funnel.py").run()
    assert not at.exception
    captions = re.sub(r"\\(.)", r"\1", " ".join(c.value for c in at.caption))  # as shown
    assert "50 opportunities have no created date (Lead: 50)" in captions
    assert "271 lost deals have no lost stage" in captions
    assert "147 open deals have no amount" in captions
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Win rate"] == "60.3%"  # 412 won / (412 + 271)
    assert at.dataframe[0].value["stage"].tolist() == ["Lead", "Qualified", "Won"]
