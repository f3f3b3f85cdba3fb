"""`python -m salesdash ingest / batches / undo` on a real database file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from salesdash import db
from salesdash.cli import main
from tests.conftest import LOAD_DAY

ROOT = Path(__file__).resolve().parent.parent
ORDERS = (
    "订单号,订单日期,客户编号,销售额\nA1,2025-07-01,007,10\nA2,2025-07-02,008,oops\n"
    + "".join(f"B{i},2025-07-03,009,{i}\n" for i in range(30))
)


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    return tmp_path / "cli.duckdb"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(ORDERS, encoding="gbk")
    return path


def test_ingest_prints_mapping_counts_rejects_and_batch_id(dbfile, export, capsys):
    assert main(["--db", str(dbfile), "ingest", str(export), "--kind", "orders"]) == 0
    out = capsys.readouterr().out
    assert "export.csv (gb18030) → orders, batch 1" in out
    assert "order_date   ← 订单日期" in out
    assert "rows: 31 loaded, 1 rejected, 0 duplicate (of 32)" in out
    assert "rejected line 3 revenue 'oops': not a number" in out
    assert "undo with: python -m salesdash undo 1" in out


def test_ingest_json_gives_one_object_per_file(dbfile, export, tmp_path, capsys):
    second = tmp_path / "teams.csv"
    second.write_text("sales_rep,region\nLi,East\n", encoding="utf-8")
    argv = ["--db", str(dbfile), "ingest", str(export), str(export), "--kind", "orders", "--json"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    objects = [json.loads(chunk) for chunk in text.replace("}\n{", "}\x00{").split("\x00")]
    assert [o["rows_loaded"] for o in objects] == [31, 0]
    assert [o["rows_duplicate"] for o in objects] == [0, 31]
    assert objects[0]["rejects"] == [
        {"line": 3, "column": "revenue", "value": "oops", "reason": "not a number"}
    ]
    assert objects[0]["mapping"]["order_id"] == "订单号"
    assert {"batch_id", "kind", "rows_rejected"} <= objects[0].keys()


def test_mapping_file_overrides_the_proposal(dbfile, tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_text("id,when,a,b\nX1,2025-07-01,1,2\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"order_id": "id", "order_date": "when", "revenue": "b"}))
    argv = ["--db", str(dbfile), "ingest", str(path), "--kind", "orders", "--mapping", str(mapping)]
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mapping"] == {
        "order_id": "id",
        "order_date": "when",
        "revenue": "b",
    }
    con = db.connect(dbfile)
    assert con.execute("select order_id, revenue from orders").fetchall() == [("X1", 2.0)]
    con.close()


def test_day_first_flag_reads_ambiguous_dates(dbfile, tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_text("order_id,order_date,revenue\nA1,3/4/2025,1\n", encoding="utf-8")
    base = ["--db", str(dbfile), "ingest", str(path), "--kind", "orders"]
    assert main(base) == 2
    assert "--day-first" in capsys.readouterr().err
    assert main([*base, "--day-first"]) == 0
    con = db.connect(dbfile)
    assert str(db.scalar(con, "select order_date from orders")) == "2025-04-03"
    con.close()


def test_bad_input_is_one_line_on_stderr_with_exit_2(dbfile, tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["--db", str(dbfile), "ingest", str(empty), "--kind", "orders"]) == 2
    err = capsys.readouterr().err
    assert err == "error: empty.csv: the file is empty\n"


def test_batches_and_undo_work_on_what_ingest_loaded(dbfile, export, capsys):
    main(["--db", str(dbfile), "ingest", str(export), "--kind", "orders"])
    capsys.readouterr()
    assert main(["--db", str(dbfile), "batches", "--json"]) == 0
    batches = json.loads(capsys.readouterr().out)
    assert [(b["batch_id"], b["rows_loaded"], b["rows_rejected"]) for b in batches] == [(1, 31, 1)]
    assert main(["--db", str(dbfile), "undo", "1"]) == 0
    assert "batch 1 undone: 31 rows removed" in capsys.readouterr().out
    assert main(["--db", str(dbfile), "undo", "1"]) == 2


def test_a_database_held_by_another_process_is_one_line(dbfile, export, capsys):
    db.connect(dbfile).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(60)",
            str(dbfile),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert main(["--db", str(dbfile), "ingest", str(export), "--kind", "orders"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "in use by another process" in err
    finally:
        holder.kill()
        holder.wait()


CRASH_SCRIPT = """
import sys
from datetime import date
from salesdash import db, ingest
con = db.connect(sys.argv[1])
con.execute("set enable_progress_bar = false")
def progress(fraction, step):
    print(step, flush=True)
ingest.ingest_file(con, sys.argv[2], "orders", progress=progress, load_day=date(2026, 11, 27))
print("finished", flush=True)
"""


def test_killing_an_ingest_midway_leaves_the_tables_exactly_as_before(dbfile, tmp_path):
    big = tmp_path / "big.csv"
    con = db.connect(dbfile)
    con.execute(
        "copy (select 'O' || i as order_id, 1 as line_no, date '2025-01-01' + cast(i % 365 as integer) as "
        "order_date, 'C' || (i % 977) as customer_id, 'Rep ' || (i % 50) as sales_rep, "
        "(i % 1000) / 10.0 as revenue from range(3000000) t(i)) to '" + str(big) + "' (header)"
    )
    small = tmp_path / "small.csv"
    small.write_text("order_id,order_date,revenue\nS1,2025-01-01,5\n", encoding="utf-8")
    from salesdash import ingest

    ingest.ingest_file(con, small, "orders", load_day=LOAD_DAY)
    before = {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in ("orders", "ingest_log", "teams")
    }
    con.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH_SCRIPT, str(dbfile), str(big)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        for line in proc.stdout:
            if line.strip() == "loading":
                break
        time.sleep(1.0)  # inside the insert of scan 1
        assert proc.poll() is None, "the ingest finished before it could be killed"
        proc.kill()
    finally:
        proc.wait()
    con = db.connect(dbfile)
    after = {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in ("orders", "ingest_log", "teams")
    }
    con.close()
    assert after == before


def test_ingest_says_what_a_file_brought_replaces_a_month_and_undo_and_redo_revert_it(
    dbfile, tmp_path, capsys
):
    october = tmp_path / "october.csv"
    october.write_text(
        "order_id,order_date,customer_id,region,channel,revenue\n"
        "A1,2026-10-02,C1,East,online,1000\nA2,2026-10-30,C2,West,store,2500\n",
        encoding="utf-8",
    )
    again = tmp_path / "october-again.csv"
    again.write_text("order_id,order_date,revenue\nA1,2026-10-03,1200\n", encoding="utf-8")
    db_args = ["--db", str(dbfile)]
    day = ["--load-day", LOAD_DAY.isoformat()]
    assert main([*db_args, "currency", "usd"]) == 0
    assert capsys.readouterr().out == "USD ($)\n"
    assert main([*db_args, "ingest", str(october), "--kind", "orders", *day]) == 0
    out = capsys.readouterr().out
    assert "covers 2026-10-02 … 2026-10-30: 2 orders, 2 customers, revenue $3.5K" in out
    assert "regions: East, West" in out and "channels: online, store" in out
    assert "view it: ?period=custom&from=2026-10-02&to=2026-10-30" in out

    assert main([*db_args, "ingest", str(again), "--kind", "orders", "--replace", *day]) == 0
    assert "replaced: 2 orders rows of 2026-10-01 … 2026-10-31" in capsys.readouterr().out
    revenue = "select coalesce(sum(revenue), 0) from orders"
    with db.connect(dbfile, read_only=True) as con:
        assert db.scalar(con, revenue) == 1200
    assert main([*db_args, "undo", "2"]) == 0
    assert "redo with: python -m salesdash redo 2" in capsys.readouterr().out
    with db.connect(dbfile, read_only=True) as con:
        assert db.scalar(con, revenue) == 3500
    assert main([*db_args, "redo", "2"]) == 0
    assert capsys.readouterr().out == "batch 2 redone: 1 rows back\n"
    with db.connect(dbfile, read_only=True) as con:
        assert db.scalar(con, revenue) == 1200
    assert main([*db_args, "redo", "2"]) == 2
    assert "batch 2 is loaded (not undone)" in capsys.readouterr().err
