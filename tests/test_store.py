"""One store, many readers: the writer lock, publishing, and what readers see meanwhile."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from salesdash import db, ingest, lock, refresh, stored
from salesdash.errors import WriterBusyError
from salesdash.store import SNAPSHOT_GRACE_S, Store
from tests.conftest import LOAD_DAY, ROOT, cli_ingest

ORDERS = "order_id,order_date,customer_id,region,revenue\n"


def _orders_csv(path: Path, rows: list[tuple[str, str, str, str, float]]) -> Path:
    path.write_text(ORDERS + "".join(",".join(map(str, r)) + "\n" for r in rows), "utf-8")
    return path


def _revenue(con: duckdb.DuckDBPyConnection) -> float:
    return db.scalar(con, "select coalesce(sum(revenue), 0) from orders")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "company.duckdb")


def _load(store: Store, path: Path, what: str = "test load") -> int:
    with store.writing(what) as con:
        return ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY).batch_id


# --- the writer lock --------------------------------------------------------------------------


def test_a_second_writer_waits_for_the_first_and_names_it(tmp_path):
    path = tmp_path / "x.lock"
    seen = []
    order = []
    with lock.writer_lock(path, "ingest november.csv", wait_s=1):

        def second():
            with lock.writer_lock(path, "undo 7", wait_s=5, on_wait=lambda h, s: seen.append(h)):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        order.append("first done")
    thread.join(5)
    assert order == ["first done", "second"]
    assert seen and seen[0].what == "ingest november.csv" and seen[0].pid == os.getpid()


def test_a_writer_that_waited_too_long_gets_one_line_naming_the_other(tmp_path):
    path = tmp_path / "x.lock"
    with (
        lock.writer_lock(path, "ingest big.csv", wait_s=1),
        pytest.raises(WriterBusyError) as caught,
        lock.writer_lock(path, "undo 3", wait_s=0.3),
    ):
        pass  # pragma: no cover
    message = str(caught.value)
    assert "\n" not in message
    assert "ingest big.csv" in message and f"pid {os.getpid()}" in message
    assert "--wait" in message


def test_a_killed_writer_leaves_the_lock_free(tmp_path):
    path = tmp_path / "x.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from salesdash import lock\n"
            f"with lock.writer_lock(Path({str(path)!r}), 'stuck load', wait_s=1):\n"
            "    print('held', flush=True); time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with (
        pytest.raises(WriterBusyError, match="stuck load"),
        lock.writer_lock(path, "m", wait_s=0.2),
    ):
        pass  # pragma: no cover
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with lock.writer_lock(path, "mine", wait_s=2) as me:
        assert me.what == "mine"


# --- publishing ------------------------------------------------------------------------------


def test_nothing_is_published_for_an_empty_store_and_readers_get_an_empty_database(store):
    with store.writing("nothing"):
        pass
    assert store.current() is None
    reader = store.reader()
    assert _revenue(reader) == 0


def test_a_load_is_published_and_readers_open_it_read_only(store, tmp_path):
    _load(store, _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 10.5)]))
    current = store.current()
    assert current.number == 1 and current.path.exists()
    assert current.last_batch["file_name"] == "a.csv"
    reader = store.reader()
    assert _revenue(reader) == 10.5
    with pytest.raises(duckdb.Error, match="read-only"):
        reader.execute("delete from orders")
    # the snapshot carries everything derived: rollups and the refresh's bookkeeping
    assert db.scalar(reader, "select count(*) from rollup_customer_totals") == 1
    assert refresh.is_current(reader)


def test_readers_keep_the_last_publication_until_the_writer_has_published(store, tmp_path):
    _load(store, _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 10.0)]))
    before = store.reader()
    with store.writing("second load") as con:
        ingest.ingest_file(
            con,
            _orders_csv(tmp_path / "b.csv", [("B1", "2026-01-06", "C2", "West", 5.0)]),
            "orders",
            load_day=LOAD_DAY,
        )
        # committed in the working database, not yet published: a new reader still sees the old
        assert _revenue(con) == 15.0
        assert _revenue(store.reader()) == 10.0
    assert _revenue(before) == 10.0  # an open reader stays on its snapshot
    assert _revenue(store.reader()) == 15.0
    assert store.current().number == 2


def test_a_failed_load_publishes_nothing_and_changes_nothing(store, tmp_path):
    _load(store, _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 10.0)]))
    bad = tmp_path / "bad.csv"
    bad.write_text("order_id,revenue\nX,1\n", "utf-8")
    with pytest.raises(ValueError, match="order_date"), store.writing("bad load") as con:
        ingest.ingest_file(con, bad, "orders", load_day=LOAD_DAY)
    assert store.current().number == 1
    assert _revenue(store.reader()) == 10.0


def test_a_change_that_is_not_a_batch_is_published_when_marked(store, tmp_path):
    _load(store, _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 10.0)]))
    with store.writing("edit") as con, db.transaction(con):
        con.execute("update teams set region = region")  # stands for an acknowledged alert
        db.mark_changed(con)
    assert store.current().number == 2
    with store.writing("nothing"):
        pass
    assert store.current().number == 2


def test_old_snapshots_go_once_no_reader_can_be_on_them(store, tmp_path):
    for i in range(4):
        _load(store, _orders_csv(tmp_path / f"{i}.csv", [(f"A{i}", "2026-01-05", "C1", "E", 1.0)]))
    names = sorted(p.name for p in store.published_dir.glob("*.duckdb"))
    assert names == ["000001.duckdb", "000002.duckdb", "000003.duckdb", "000004.duckdb"]
    assert store.remove_old_snapshots() == []  # all replaced just now: readers may be on them
    later = time.time() + SNAPSHOT_GRACE_S + 1
    removed = sorted(p.name for p in store.remove_old_snapshots(now=later))
    assert removed == ["000001.duckdb", "000002.duckdb"]  # the previous one always stays
    assert sorted(p.name for p in store.published_dir.glob("*.duckdb")) == names[2:]


def test_the_pointer_is_replaced_whole(store, tmp_path):
    _load(store, _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 1.0)]))
    text = store.pointer_path.read_text("utf-8")
    assert json.loads(text)["file"] == "000001.duckdb"
    assert not list(store.published_dir.glob("*.partial"))


# --- the command line -------------------------------------------------------------------------


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "salesdash", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_two_cli_loads_at_once_the_second_waits_then_loads(store, tmp_path):
    a = _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 10.0)])
    b = _orders_csv(tmp_path / "b.csv", [("B1", "2026-01-06", "C2", "West", 5.0)])
    with lock.writer_lock(store.lock_path, "a long load", wait_s=1):
        second = cli_ingest(store.working, b)
        told = second.stderr.readline()  # printed as soon as it has to wait
        assert second.poll() is None
    assert told.startswith("waiting for a long load (pid")
    assert second.wait(timeout=120) == 0, second.stderr.read()
    first = _cli("--db", str(store.working), "ingest", str(a), "--kind", "orders")
    assert first.returncode == 0, first.stderr
    assert _revenue(store.reader()) == 15.0


def test_a_cli_load_with_a_short_wait_exits_2_with_one_line_naming_the_other(store, tmp_path):
    a = _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 10.0)])
    with lock.writer_lock(store.lock_path, "undo of batch 4 on the Data page", wait_s=1):
        done = _cli("--db", str(store.working), "ingest", str(a), "--kind", "orders", "--wait", "1")
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: another writer is changing the data: undo of batch 4")
    assert f"pid {os.getpid()}" in last
    assert store.current() is None


def test_read_only_commands_answer_while_a_writer_holds_the_store(store, tmp_path):
    _load(store, _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 10.0)]))
    with store.writing("a long load"):
        done = _cli("--db", str(store.working), "kpis", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["current"]["revenue"] == 10.0


def test_stored_results_are_found_by_a_reader_and_not_computed_again(store, tmp_path, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return {"answer": 42}

    _load(store, _orders_csv(tmp_path / "a.csv", [("A1", "2026-01-05", "C1", "East", 1.0)]))
    with store.writing("warm") as con, db.transaction(con):
        with stored.recording(con, "v1"):
            assert stored.remembered(con, "test", ("x", 1), compute) == {"answer": 42}
        db.mark_changed(con)
    stored.clear_local()
    reader = store.reader()
    assert stored.remembered(reader, "test", ("x", 1), compute) == {"answer": 42}
    assert stored.remembered(reader, "test", ("x", 2), compute) == {"answer": 42}  # on demand
    assert len(calls) == 2


def test_every_refresh_step_has_a_progress_message_in_both_languages():
    from salesdash import i18n, refresh

    for name in [step for step, _ in refresh.STEPS] + ["refreshed", "publishing"]:
        entry = i18n.catalogue()[f"app.refresh_step.{name}"]
        assert entry["en"] and entry["zh"]
