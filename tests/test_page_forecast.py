"""The Forecast page under AppTest, in English and Chinese, on the demo data."""

from __future__ import annotations

import json

import pytest

from salesdash.cli import main

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
    assert [m.label for m in at.metric] == ["MASE (scaled error)", "80% range held the actual"]
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
