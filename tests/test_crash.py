"""Crash safety of the writer path: SIGKILL during the import, the refresh and the publication.

Each trial starts a writer in a child process (a load of a new file, or the undo of the last
batch), waits until it reaches a chosen step, kills it a random moment later, and checks what a
killed writer may leave behind:

- readers still open the last good snapshot, and it is consistent (rows = its batch log);
- the working database opens and its rows match its batch log (the row-count invariant);
- running the writer again succeeds, and afterwards every rollup equals a whole rebuild and
  readers see the result.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from salesdash import db, ingest, rollups
from salesdash.forecast import parallel
from salesdash.store import Store
from tests.conftest import LOAD_DAY, ROOT
from tests.test_rollups import _everything

TRIALS = 21
# The steps a kill is aimed at: the import's own (its progress), then the refresh and publication.
STEPS = (
    "ingest:loading",
    "ingest:validating",
    "ingest:deduplicating",
    "refresh:rollups",
    "refresh:forecasts",
    "refresh:publishing",
)

CHILD = """
import sys
from salesdash import ingest
from datetime import date
from salesdash.store import Store

def say(prefix):
    return lambda _fraction, step: print(f"{prefix}:{step}", flush=True)

store = Store.default()
print("ready", flush=True)
sys.stdin.readline()
with store.writing("crash trial", progress=say("refresh")) as con:
    if sys.argv[1] == "ingest":
        ingest.ingest_file(
            con, sys.argv[2], "orders", progress=say("ingest"), load_day=date(2026, 11, 27)
        )
    else:
        ingest.undo_batch(con, int(sys.argv[2]))
print("finished", flush=True)
"""


def _orders_file(path: Path, batch: int, rng: random.Random) -> Path:
    """150 orders of two lines each over two months, on days earlier batches have too; an
    order's date, customer, region and channel are its header (the same on its lines)."""
    start = date(2026, 9, 1)
    lines = ["order_id,line_no,order_date,customer_id,region,channel,product,revenue"]
    for order in range(150):
        day = start + timedelta(days=rng.randrange(60))
        head = f"{day},C{rng.randrange(80)},{rng.choice(['East', 'West', 'North'])}," + rng.choice(
            ["direct", "online"]
        )
        for line_no, product in ((1, "Pen"), (2, "Ink")):
            revenue = rng.randrange(100, 5000) / 10
            lines.append(f"B{batch}-{order},{line_no},{head},{product},{revenue}")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _invariant(con: duckdb.DuckDBPyConnection) -> None:
    """Rows in each table = rows loaded by its batches not undone (the row-count invariant)."""
    for kind in ("orders", "teams"):
        logged = db.scalar(
            con,
            "select coalesce(sum(rows_loaded), 0) from ingest_log "
            "where kind = ? and undone_at is null",
            [kind],
        )
        assert db.scalar(con, f"select count(*) from {kind}") == logged, kind  # noqa: S608


def _rollups_equal_a_whole_rebuild(path: Path) -> None:
    copy = duckdb.connect(":memory:")
    copy.execute("attach ? as working (read_only)", [str(path)])
    copy.execute("copy from database working to memory")
    copy.execute("detach working")
    kept = _everything(copy)
    rollups.refresh(copy, rollups.Change.WHOLE)
    assert kept == _everything(copy)


def _start(store: Store, *args: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        cwd=ROOT,
        # one forecast worker: a pool of its own per child, for series too short to forecast
        env={**os.environ, "SALESDASH_DB": str(store.working), parallel.WORKERS_ENV: "1"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    return child


def _kill_at(child: subprocess.Popen, step: str, delay: float) -> str:
    """Let the child run until it prints ``step`` (or finishes), then kill it ``delay`` s later;
    return the last step it printed."""
    child.stdin.write("go\n")
    child.stdin.flush()
    last = ""
    for line in child.stdout:
        last = line.strip()
        if last in (step, "finished"):
            break
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    return last


@pytest.mark.slow
def test_killing_writers_at_random_moments_never_loses_or_half_publishes(tmp_path):
    rng = random.Random(20261127)
    store = Store(tmp_path / "crash.duckdb")
    with store.writing("setup") as con:
        ingest.ingest_file(
            con, _orders_file(tmp_path / "b0.csv", 0, rng), "orders", load_day=LOAD_DAY
        )
    reached = set()
    ingest_steps = itertools.cycle(STEPS)
    undo_steps = itertools.cycle([s for s in STEPS if s.startswith("refresh:")])
    for trial in range(1, TRIALS + 1):
        published = store.current()
        undo = trial % 3 == 0
        if undo:
            with duckdb.connect(str(store.working), read_only=True) as con:
                args = ("undo", str(db.scalar(con, "select max(batch_id) from ingest_log")))
        else:
            args = ("ingest", str(_orders_file(tmp_path / f"b{trial}.csv", trial, rng)))
        step = next(undo_steps if undo else ingest_steps)
        reached.add(_kill_at(_start(store, *args), step, rng.uniform(0, 0.15)))

        # readers: the current snapshot (the last one, or a newer complete one) opens and adds up
        now = store.current()
        assert now.number >= published.number
        with store.reader() as reader:
            _invariant(reader)
        # the working database opens and matches its batch log
        with db.connect(store.working) as con:
            _invariant(con)
        # running the writer again succeeds (an undo already done is said so, in one line)
        with store.writing("re-run") as con:
            if undo:
                try:
                    ingest.undo_batch(con, int(args[1]))
                except ValueError as exc:
                    assert "already undone" in str(exc)
            else:
                ingest.ingest_file(con, args[1], "orders", load_day=LOAD_DAY)
        _rollups_equal_a_whole_rebuild(store.working)
        with store.reader() as reader, db.connect(store.working) as con:
            assert db.scalar(reader, "select sum(revenue) from orders") == db.scalar(
                con, "select sum(revenue) from orders"
            )
    # the kills landed in the import, in the refresh and in the publication
    assert {"ingest:loading", "refresh:rollups", "refresh:publishing"} <= reached
