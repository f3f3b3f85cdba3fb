"""Explained changes: how a load moved this year's projection, from the log of two versions."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from salesdash import dataset, forecast
from salesdash.scope import Scope
from tests.conftest import insert_rows

MONTHS = [date(2026, m, 1) for m in range(1, 13)]


def _log(con, version: str, as_of: date, logged_at: datetime, months: dict) -> None:
    """Log rows of the company total: ``months`` maps a month number to (actual, forecast,
    pipeline, blended)."""
    rows = [
        {
            "data_version": version,
            "as_of": as_of,
            "level": "total",
            "unique_id": "total",
            "ds": date(2026, m, 1),
            "actual": actual,
            "forecast": forecast_,
            "pipeline": pipeline,
            "blended": blended,
            "logged_at": logged_at,
        }
        for m, (actual, forecast_, pipeline, blended) in months.items()
    ]
    frame = pd.DataFrame(rows)
    con.register("_log", frame)
    con.execute("insert into forecast_log by name select * from _log")
    con.unregister("_log")


def _versions(con, *, blended_before: bool, blended_after: bool) -> None:
    """Version 1:0 stood on 15 September (January–August actual, 100 each); version 2:0 on 15
    October: August corrected to 105, September came in at 125 against 110 forecast, October
    −2, November +5, December as it was; the pipeline's part of October and November +15."""
    before = {m: (100.0, None, None, False) for m in range(1, 9)}
    before |= {
        9: (None, 110.0, None, blended_before),
        10: (None, 120.0, 20.0, blended_before),
        11: (None, 130.0, 30.0, blended_before),
        12: (None, 140.0, None, blended_before),
    }
    after = {m: (100.0, None, None, False) for m in range(1, 8)}
    after |= {8: (105.0, None, None, False), 9: (125.0, None, None, False)}
    after |= {
        10: (None, 118.0, 25.0, blended_after),
        11: (None, 135.0, 40.0, blended_after),
        12: (None, 140.0, None, blended_after),
    }
    _log(con, "1:0", date(2026, 9, 15), datetime(2026, 9, 16), before)
    _log(con, "2:0", date(2026, 10, 15), datetime(2026, 10, 16), after)
    insert_rows(
        con,
        "ingest_log",
        [
            {
                "kind": "orders",
                "file_name": "october.csv",
                "file_sha256": "x",
                "rows_loaded": 1,
                "rows_rejected": 0,
                "rows_duplicate": 0,
                "loaded_at": datetime(2026, 10, 16),
            }
        ],
        batch_id=2,
    )
    assert dataset.data_version(con) == "2:0"


def test_a_change_splits_into_new_actuals_revisions_and_the_refit(con):
    _versions(con, blended_before=False, blended_after=False)
    change = forecast.explain_change(con, ("total", "total"))
    assert (change.before, change.after) == (1300.0, 1323.0)
    assert change.new_months == (date(2026, 9, 1),)
    assert change.new_actuals == 15.0  # September: 125 against the 110 forecast
    assert change.revisions == 5.0  # August corrected from 100 to 105
    assert change.refit == 3.0  # October −2, November +5
    # history alone was shown: the pipeline is no part of it, its expected close moved beside
    assert (change.blended, change.pipeline, change.pipeline_beside) == (False, 0.0, 15.0)
    assert change.change == pytest.approx(
        change.new_actuals + change.revisions + change.refit + change.pipeline
    )


def test_where_the_blend_is_shown_the_pipelines_change_is_its_own_part(con):
    _versions(con, blended_before=True, blended_after=True)
    change = forecast.explain_change(con, ("total", "total"))
    assert (change.blended, change.pipeline, change.refit) == (True, 15.0, -12.0)
    assert (
        change.before + change.new_actuals + change.revisions + change.refit + change.pipeline
        == (change.after)
    )


def test_without_an_earlier_version_of_the_same_year_there_is_nothing_to_explain(con):
    _versions(con, blended_before=False, blended_after=False)
    assert forecast.explain_change(con, ("region", "East")) is None
    con.execute("update forecast_log set as_of = '2025-12-31' where data_version = '1:0'")
    assert forecast.explain_change(con, ("total", "total")) is None


def test_the_demo_refresh_logged_its_year_coherently(demo_reader):
    version = dataset.data_version(demo_reader)
    log = demo_reader.execute("select * from forecast_log where data_version = ?", [version]).df()
    assert sorted(set(log["level"])) == ["category", "channel", "region", "total"]
    total = log[log["level"] == "total"].set_index("ds")
    # January to October complete, November (partial) and December forecast
    assert total["actual"].notna().sum() == 10 and total["forecast"].notna().sum() == 2
    values = log.assign(value=log["actual"].fillna(log["forecast"]))
    by_level = values.groupby(["level", "ds"])["value"].sum().unstack("level")
    for level in ("region", "channel", "category"):
        pd.testing.assert_series_equal(
            by_level[level], by_level["total"], check_names=False, atol=0.05
        )
    # one version so far: nothing to explain yet
    assert forecast.explain_change(demo_reader, ("total", "total")) is None
    rows = forecast.explain.projection_rows(
        forecast.hierarchy_forecast(demo_reader, Scope()), forecast.near_term(demo_reader, Scope())
    )
    assert len(rows) == len(log)
