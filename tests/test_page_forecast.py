"""The Forecast page under AppTest, in English and Chinese, on the demo data."""

from __future__ import annotations

import json
import re

import pytest

from salesdash import dataset, db
from salesdash.cli import main
from salesdash.store import Store

PAGE = "app_pages/forecast.py"


def test_the_forecast_page_shows_the_company_forecast_and_its_accuracy(app):
    at = app.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Forecast"
    words = " ".join(m.value for m in at.markdown)
    assert "typically within ±" in words
    # the verdict carries the numbers it rests on; the statistics sit behind the details
    verdict = (at.success or at.warning)[0].value
    assert "same as last year" in verdict and "80% range" in verdict
    assert [m.label for m in at.metric][:2] == [
        "MASE (scaled error)",
        "80% range held the actual",
    ]
    assert any(c.value.startswith("Model: ") for c in at.caption)
    table = at.dataframe[0].value
    assert len(table) == 12 and set(table["Series"]) == {"the company total"}


def test_the_forecast_page_speaks_chinese(app):
    app.query_params["lang"] = "zh"
    at = app.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == "销售预测"
    assert any("通常在 ±" in m.value for m in at.markdown)


def test_the_page_shows_the_same_region_numbers_as_the_cli(app, demo_db, capsys):
    at = app.switch_page(PAGE).run()
    at.session_state["fc_level"] = "region"
    at.run()
    assert not at.exception
    assert at.selectbox(key="fc_which_region").options[0] == "Central"
    page = at.dataframe[0].value
    page = page[page["Series"] == "East"]
    assert main(["--db", str(demo_db), "forecast", "--by", "region", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    east = next(s for s in printed["series"] if s["unique_id"] == "East")
    # the same figures (the CLI prints them to the cent; the page's table shows whole amounts)
    assert [row["yhat"] for row in east["forecast"]] == pytest.approx(
        page["Forecast"].tolist(), abs=0.01
    )
    assert [row["lo80"] for row in east["forecast"]] == pytest.approx(
        page["80% low"].tolist(), abs=0.01
    )


def _texts(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [m.label for m in at.metric]
    # as shown: without the backslashes that escape the values in the markdown source
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def test_the_page_says_how_it_read_the_data_and_which_near_term_it_shows(app):
    at = app.switch_page(PAGE).run()
    assert not at.exception
    text = _texts(at)
    assert "Read as order lines from 1 Nov 2023 to 15 Nov 2026." in text
    # the near term stands on the last complete month and says which forecast it shows, and why
    assert "from the data up to 31 Oct 2026 (the last complete month)" in text
    assert "Shown: history alone. Backtested on " in text and "region-quarters" in text
    assert "1 Oct 2026 – 31 Dec 2026" in [m.label for m in at.metric]
    near = at.dataframe[1].value
    assert len(near) == 14  # seven regions, this quarter and the next
    assert near["Shown"].tolist() == near["History alone"].tolist()
    # one data version so far: nothing to explain yet
    assert "No earlier data of this year to compare with" in text


def test_a_load_that_moved_this_years_projection_is_explained(writable_app, writable_db):
    """An earlier version is planted in the forecast log: October was a forecast 1,000 below what
    came in, December's forecast was 500 higher."""
    store = Store(writable_db)
    with store.writing("test: an earlier version in the forecast log") as con:
        version = dataset.data_version(con)
        con.execute(
            """
            insert into forecast_log
            select '0:0', as_of - interval 1 month, level, unique_id, ds,
                case when month(ds) = 10 then null else actual end,
                case when month(ds) = 10 then actual - 1000
                     when month(ds) = 12 then forecast + 500 else forecast end,
                pipeline, blended, logged_at - interval 1 day
            from forecast_log
            where data_version = ?
            """,
            [version],
        )
        db.mark_changed(con)
    at = writable_app.switch_page(PAGE).run()
    assert not at.exception
    text = _texts(at)
    assert "This year's projection of the company total moved +¥500 to" in text
    assert "New actuals for Oct 2026: +¥1.0K against what was forecast for them." in text
    assert "moved the months still to come: -¥500." in text
    assert "The pipeline is not part of this forecast" in text


def test_any_selection_is_forecast_on_demand(app):
    at = app.switch_page(PAGE).run()
    at.segmented_control(key="fc_level").set_value("filter").run()
    reps = at.multiselect(key="fc_pick_sales_rep")
    reps.select(reps.options[0]).run()
    assert not at.exception
    text = _texts(at)
    assert "No stored forecast covers this selection: it was fitted now" in text
    assert "The near term is forecast per region" in text
    table = at.dataframe[0].value
    assert len(table) == 12 and table["Forecast"].gt(0).all()
