"""Dates that would stretch every view: the default period stands on the data's real last day,
not on an outlier; a URL's custom range is clamped to the data, not a traceback."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from salesdash import dataset, db, ingest, rollups
from salesdash.store import Store
from tests.conftest import copy_store, fast_models, insert_rows
from tests.hostile.conftest import fingerprint

PAGES = ("overview", "customers", "executive", "targets")


def test_a_pre_dated_order_does_not_move_the_data_s_last_day(con, tmp_path):
    today = date.today()
    lines = [f"O{i},{today - timedelta(days=i)},10" for i in range(30)]
    lines.append(f"LATER,{today + timedelta(days=300)},10")  # plausible, but not yet come
    path = tmp_path / "orders.csv"
    path.write_text("order_id,order_date,revenue\n" + "\n".join(lines) + "\n")
    assert ingest.ingest_file(con, path, "orders", load_day=today).rows_loaded == 31
    fresh = dataset.data_freshness(con)
    assert fresh.last_order_date == today
    assert fresh.first_order_date == today - timedelta(days=29)


@pytest.fixture(scope="module")
def outlier_store(demo_store, tmp_path_factory) -> Path:
    """A copy of the demo store holding one order dated 9999-12-31, as a load before the
    plausible window left it (its batch logged the day after the demo's last day)."""
    path = copy_store(demo_store, tmp_path_factory.mktemp("outlier") / "salesdash.duckdb")
    with (
        fast_models(),
        Store(path).writing("test: an order from before the plausible window") as con,
    ):
        con.execute(
            "insert into ingest_log (batch_id, kind, file_name, file_sha256, rows_loaded, "
            "rows_rejected, rows_duplicate, loaded_at) values (999, 'orders', 'old.csv', '', 1, "
            "0, 0, ?)",
            [datetime(2026, 11, 16)],
        )
        insert_rows(
            con,
            "orders",
            [{"order_id": "Y10K", "line_no": 1, "order_date": date(9999, 12, 31), "revenue": 1.0}],
            batch_id=999,
        )
        rollups.refresh(con)
        db.mark_changed(con)
        assert dataset.data_freshness(con).last_order_date == date(2026, 11, 15)
    return path


@pytest.fixture
def outlier_app(outlier_store, app, monkeypatch, quick_forecasts):
    """An AppTest on the outlier store (the pages only read it)."""
    monkeypatch.setenv("SALESDASH_DB", str(outlier_store))
    return app


@pytest.mark.parametrize("page", PAGES)
def test_a_store_holding_an_order_in_the_year_9999_still_shows_its_data(outlier_app, page):
    at = outlier_app.run()
    assert not at.exception
    assert any("15 Nov 2026" in c.value for c in at.caption)
    scope = at.session_state["_scope"]
    assert scope.end_date == date(2026, 11, 15)
    at = at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception


def test_a_url_asking_for_year_1_to_9999_is_clamped_to_the_data(app, demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        before = fingerprint(con)
    app.query_params.update({"period": "custom", "from": "0001-01-01", "to": "9999-12-31"})
    at = app.run()
    assert not at.exception
    scope = at.session_state["_scope"]
    assert (scope.start_date, scope.end_date) == (date(2023, 11, 1), date(2026, 11, 15))
    assert at.query_params["from"] == "2023-11-01"
    at = at.switch_page("app_pages/overview.py").run()
    assert not at.exception
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert fingerprint(con) == before


def test_a_url_range_given_backwards_is_put_in_order(app):
    app.query_params.update({"period": "custom", "from": "2026-03-31", "to": "2026-03-01"})
    scope = app.run().session_state["_scope"]
    assert (scope.start_date, scope.end_date) == (date(2026, 3, 1), date(2026, 3, 31))
