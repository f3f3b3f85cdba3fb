"""Failures that showed a traceback instead of one line: on the command line (``--db`` a folder,
NaN in ``--json``, a closed pipe, a write conflict) and in the page (the store held by a load, a
write conflict, the Executive's light of a region without odds)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from salesdash import db, errors, ingest, rollups, settings, uploads
from salesdash.cli import EXIT_BROKEN_PIPE, main
from salesdash.errors import InputError
from salesdash.store import Store
from tests.conftest import APP, LOAD_DAY, ROOT
from tests.hostile.conftest import fingerprint

ORDERS = "order_id,order_date,revenue\n" + "".join(f"A{i},2026-10-01,{i}\n" for i in range(1, 4))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """An empty store, published (the read-only commands read its snapshot)."""
    path = tmp_path / "store.duckdb"
    with Store(path).writing("test: an empty store") as con:
        db.mark_changed(con)
    return path


def _fingerprint(path: Path) -> dict:
    with duckdb.connect(str(path)) as con:
        return fingerprint(con)


def test_db_pointing_at_a_folder_is_one_line(tmp_path, capsys):
    assert main(["--db", str(tmp_path), "batches"]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"error: --db {tmp_path}: a folder, not a database file ({tmp_path / 'x.duckdb'}?)\n"
    )


def test_kpis_json_writes_null_for_nan_and_inf_in_an_old_store(store, capsys):
    with Store(store).writing("test: as loads before the plausible checks left it") as con:
        con.execute(
            "insert into orders (batch_id, order_id, line_no, order_date, revenue) values "
            "(0, 'N', 1, '2026-10-01', 'nan'), (0, 'I', 1, '2026-10-02', 'inf')"
        )
        rollups.refresh(con)
        db.mark_changed(con)
    argv = ["--db", str(store), "kpis", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["current"]["revenue"] is None


def test_output_piped_into_head_ends_quietly(store):
    with Store(store).writing("test: enough batches to fill the pipe many times over") as con:
        db.mark_changed(con)
        con.execute(
            "insert into ingest_log (batch_id, kind, file_name, file_sha256, rows_loaded, "
            "rows_rejected, rows_duplicate, loaded_at) select i, 'orders', 'f' || i || '.csv', "
            "repeat('0', 64), 1, 0, 0, now() from range(1, 5000) as t(i)"
        )
    done = subprocess.run(
        [
            "bash",
            "-c",
            f"{sys.executable} -m salesdash --db {store} batches --json | head -c 100 >/dev/null;"
            " echo ${PIPESTATUS[0]}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.stderr == ""
    assert done.stdout.strip() == str(EXIT_BROKEN_PIPE)


@contextmanager
def _undo_in_progress(path: Path, batch_id: int) -> Iterator[None]:
    """Another session of the same server half-way through undoing ``batch_id``."""
    with duckdb.connect(str(path)) as other:
        other.execute("begin transaction")
        other.execute("update ingest_log set undone_at = now() where batch_id = ?", [batch_id])
        try:
            yield
        finally:
            other.execute("rollback")


def _loaded_store(tmp_path: Path) -> Path:
    path = tmp_path / "loaded.duckdb"
    (tmp_path / "orders.csv").write_text(ORDERS)
    with Store(path).writing("test: three orders") as con:
        ingest.ingest_file(con, tmp_path / "orders.csv", "orders", load_day=LOAD_DAY)
    return path


def test_a_write_conflict_is_a_person_s_sentence_in_the_page_s_undo(tmp_path):
    path = _loaded_store(tmp_path)
    with db.connect(path) as con:
        before = fingerprint(con)
        with _undo_in_progress(path, 1), pytest.raises(InputError) as refusal:
            uploads.undo(con, 1)
        assert str(refusal.value) == errors.WRITE_CONFLICT
        assert fingerprint(con) == before


def test_a_write_conflict_is_a_person_s_sentence_on_the_command_line(tmp_path, capsys):
    path = _loaded_store(tmp_path)
    before = _fingerprint(path)
    with _undo_in_progress(path, 1):
        assert main(["--db", str(path), "undo", "1"]) == 2
    assert capsys.readouterr().err == f"error: {errors.WRITE_CONFLICT}\n"
    assert _fingerprint(path) == before


@contextmanager
def _held(path: Path) -> Iterator[None]:
    """Another process holding the working database, as a load does."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(120)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_a_page_opened_while_a_load_holds_the_store_reads_the_last_publication(store, monkeypatch):
    monkeypatch.setenv("SALESDASH_DB", str(store))
    # the company's own publication, not the demo company an empty store would show (and build)
    with Store(store).writing("test: the demo removed") as con:
        settings.write(con, "demo", "removed")
    with _held(store):
        at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert not at.error


def test_a_first_start_while_a_load_holds_the_store_says_so_in_one_line(tmp_path, monkeypatch):
    path = tmp_path / "never-published.duckdb"
    db.connect(path).close()
    monkeypatch.setenv("SALESDASH_DB", str(path))
    with _held(path):
        at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The data is being updated by another program (a load or an undo); try again in a moment."
    ]
    shown = [e.value for kind in ("error", "markdown", "caption") for e in getattr(at, kind)]
    assert not any(str(tmp_path) in text for text in shown)


def test_visitors_never_see_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_the_executive_page_shows_a_region_with_a_target_but_no_odds(
    tmp_path, monkeypatch, quick_forecasts
):
    orders = tmp_path / "orders.csv"
    # East: two months of history, too little for odds; West: three years, odds
    lines = [f"E{i},2026-{9 + i % 2}-{1 + i % 28:02d},East,{100 + i}" for i in range(40)]
    lines += [f"W{i},{date(2023, 11, 1) + timedelta(days=i)},West,100" for i in range(0, 1100, 3)]
    orders.write_text("order_id,order_date,region,revenue\n" + "\n".join(lines) + "\n")
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "period,scope,scope_value,metric,target\n"
        + "".join(
            f"{p},region,{r},revenue,9000\n" for p in ("2026-Q4", "2026") for r in ("East", "West")
        )
    )
    path = tmp_path / "two-months.duckdb"
    with Store(path).writing("test: two months of East") as con:
        for file, kind in ((orders, "orders"), (targets, "targets")):
            ingest.ingest_file(con, file, kind, load_day=LOAD_DAY)
    monkeypatch.setenv("SALESDASH_DB", str(path))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at = at.switch_page("app_pages/executive.py").run()
    assert not at.exception, [e.value for e in at.exception]
    lights = dict(zip(*(at.dataframe[0].value.iloc[:, i] for i in (0, -1)), strict=True))
    assert lights["East"] == "– no forecast"
    assert lights["West"] != "– no forecast"
