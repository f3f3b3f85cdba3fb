"""One store, many readers, in real servers: loads never block the dashboard, every process
switches to a new publication, and a page's undo and a command-line load take turns.

Each test has a small store of its own (tests/conftest.py ``small_store``): the writers run in
other processes, and on a copy of the demo each write would refit every forecast."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from salesdash import db, fmt, ingest, kpis
from salesdash.scope import Scope
from salesdash.store import Store
from tests.conftest import LOAD_DAY, ROOT, cli_ingest, small_store
from tests.e2e.conftest import serve, shot, wait_for_app

pytestmark = pytest.mark.e2e

NOVEMBER = Scope(date(2026, 11, 1), date(2026, 11, 30))
OVERVIEW = "/?period=custom&from=2026-11-01&to=2026-11-30"


def _late_orders(path: Path, prefix: str, n: int = 40) -> Path:
    """Order lines after the store's last day (15 Nov 2026), still in November."""
    lines = ["order_id,line_no,order_date,customer_id,region,channel,revenue"]
    lines += [
        f"{prefix}-{i},1,2026-11-{16 + i % 10},C{i},East,online,{20000 + i}" for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _november_revenue(store: Store) -> str:
    """The revenue card of the Overview for November, as the published snapshot gives it."""
    with store.reader() as con:
        return fmt.money(kpis.kpis(con, NOVEMBER).revenue, "en")


def _shown_revenue(page) -> str:
    page.goto(page.base + OVERVIEW)
    wait_for_app(page)
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def _new_page(browser, base: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.base = base
    return page


def test_pages_answer_from_the_last_publication_while_a_load_runs_then_switch(browser, tmp_path):
    store = small_store(tmp_path)
    with serve(store.working, tmp_path / "streamlit.log") as url:
        page = _new_page(browser, url)
        before = _november_revenue(store)
        assert _shown_revenue(page) == before
        with store.writing("test: a load in progress") as con:
            ingest.ingest_file(
                con, _late_orders(tmp_path / "a.csv", "LATE"), "orders", load_day=LOAD_DAY
            )
            waiting = cli_ingest(store.working, _late_orders(tmp_path / "b.csv", "LATER"))
            told = waiting.stderr.readline()  # the CLI load waits for this one
            # committed in the working database, not published: every reader still has the last
            assert _shown_revenue(page) == before
            page.get_by_text("Data up to 15 Nov 2026").wait_for()
            kpis_cli = subprocess.run(
                [sys.executable, "-m", "salesdash", "--db", str(store.working), "kpis"]
                + ["--from", "2026-11-01", "--to", "2026-11-30", "--json"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            assert '"revenue"' in kpis_cli.stdout
            shot(page, "serving-during-a-load")
        assert told.startswith("waiting for test: a load in progress")
        assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
        after = _november_revenue(store)
        assert after != before
        assert _shown_revenue(page) == after  # the next run reads the new publication
        page.get_by_text("Data up to 25 Nov 2026").wait_for()
        with store.reader() as con:
            assert db.scalar(con, "select count(*) from orders where order_id like 'LATE%'") == 80


def test_two_dashboard_processes_show_the_same_numbers_and_switch_together(browser, tmp_path):
    store = small_store(tmp_path)
    with (
        serve(store.working, tmp_path / "one.log") as one,
        serve(store.working, tmp_path / "two.log") as two,
    ):
        pages = [_new_page(browser, one), _new_page(browser, two)]
        before = _november_revenue(store)
        assert [_shown_revenue(p) for p in pages] == [before, before]
        loaded = cli_ingest(store.working, _late_orders(tmp_path / "late.csv", "LATE"))
        assert loaded.wait(timeout=300) == 0, loaded.stderr.read()
        after = _november_revenue(store)
        assert after != before
        assert [_shown_revenue(p) for p in pages] == [after, after]


def test_an_undo_on_the_data_page_and_a_cli_load_take_turns(browser, tmp_path):
    store = small_store(tmp_path)
    with store.reader() as con:
        newest = db.scalar(con, "select max(batch_id) from ingest_log")
        kind = db.scalar(con, "select kind from ingest_log where batch_id = ?", [newest])
    with serve(store.working, tmp_path / "streamlit.log") as url:
        page = _new_page(browser, url)
        page.goto(url + "/data")
        wait_for_app(page)
        page.get_by_role("button", name="Undo…").click()
        page.get_by_text(f"Undo #{newest}").wait_for()
        page.get_by_role("button", name="Yes, undo").click()
        load = cli_ingest(store.working, _late_orders(tmp_path / "late.csv", "LATE"))
        page.get_by_text(f"Batch {newest} undone").wait_for()
        assert load.wait(timeout=300) == 0, load.stderr.read()
        wait_for_app(page)
        shot(page, "serving-undo-and-load")
    with store.reader() as con:
        log = dict(con.execute("select batch_id, undone_at is not null from ingest_log").fetchall())
        assert log[newest] is True
        assert db.scalar(con, f"select count(*) from {kind} where batch_id = ?", [newest]) == 0
        assert db.scalar(con, "select count(*) from orders where order_id like 'LATE%'") == 40
