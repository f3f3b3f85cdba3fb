"""Ingest benchmarks: salesdash's import against DuckDB's bare read_csv, in the same run.

Each measurement runs in a fresh subprocess on a fresh database file; wall time, CPU time (user +
system, which is steadier than wall time on a shared machine) and peak RSS come from
``resource.getrusage(RUSAGE_CHILDREN)`` around that subprocess. Medians of ``--runs`` runs.

    python bench/ingest_bench.py --rows 10000000 --runs 3 --dir /tmp/issue-2

Cases: ``orders`` (clean 10M-row orders CSV; bare = ``create table as select * from
read_csv(...)``), ``orders-bad`` (the same with 1% bad rows: exactly those must be rejected),
``monthly`` (a month's export, rows / 36 new lines, into a database already holding the 10M
lines: rollups rebuilt by parts and whole), ``gbk`` (1M rows written in GBK), ``xlsx`` (100k rows
in .xlsx). Ours runs ``ingest_file`` with the DuckDB memory cap the ``ingest`` command sets
(``config.INGEST_MEMORY_LIMIT``), then the rollups part of the refresh step (by parts, or whole
for the ``whole`` variant of the monthly case), and reports the seconds of each; bare DuckDB runs
with its defaults.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_data import bad_rows, write_orders  # noqa: E402

BARE = """
import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute("set enable_progress_bar = false")
con.execute("create table t as select * from read_csv($p)", {"p": sys.argv[2]})
import json, resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"loaded": con.execute("select count(*) from t").fetchall()[0][0], "rss": rss}))
"""

OURS = """
import json, resource, sys, time
from datetime import date
from salesdash import config, db, ingest, rollups
con = db.connect(sys.argv[1])
con.execute("set enable_progress_bar = false")
con.execute(f"set memory_limit = '{config.INGEST_MEMORY_LIMIT}'")  # as the ingest command does
r = ingest.ingest_file(con, sys.argv[2], sys.argv[3], load_day=date.today())
start = time.perf_counter()  # the rollups part of the refresh step, after the import commits
change = rollups.Change.WHOLE if sys.argv[4:] == ["whole"] else rollups.pending(con)
with db.transaction(con):
    rollups.refresh(con, change)
rollups_s = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"loaded": r.rows_loaded, "rejected": r.rows_rejected, "rss": rss,
    "rollups_s": rollups_s, "lines": [int(x) for x in r.rejects["line"]]}))
"""


def measure(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python; its wall time, CPU time, peak RSS and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = json.loads(out)
    return {"wall": wall, "cpu": cpu, "rss_mb": result.pop("rss") / 1024, "out": result}


def run_case(name: str, file: Path, kind: str, runs: int, work: Path, bare: bool) -> dict:
    rows = []
    for i in range(runs):
        for who, code in (("bare", BARE), ("ours", OURS)) if bare else (("ours", OURS),):
            db = work / f"bench-{name}-{who}-{i}.duckdb"
            args = (str(db), str(file)) if who == "bare" else (str(db), str(file), kind)
            result = measure(code, *args)
            result["who"] = who
            rows.append(result)
            for p in work.glob(f"bench-{name}-{who}-{i}.duckdb*"):
                p.unlink()
            shown = {k: round(result[k], 2) for k in ("wall", "cpu", "rss_mb")}
            print(name, who, i, shown, result["out"].get("rollups_s"), flush=True)
    summary: dict = {"lines": rows[-1]["out"].get("lines", [])}
    for who in ("bare", "ours"):
        mine = [r for r in rows if r["who"] == who]
        if mine:
            summary[who] = _medians(mine)
    return summary


def _medians(rows: list[dict]) -> dict:
    out = {
        "wall_s": round(statistics.median(r["wall"] for r in rows), 2),
        "cpu_s": round(statistics.median(r["cpu"] for r in rows), 2),
        "peak_rss_mb": round(max(r["rss_mb"] for r in rows)),
        "rows_loaded": rows[-1]["out"]["loaded"],
        "rows_rejected": rows[-1]["out"].get("rejected"),
    }
    if "rollups_s" in rows[-1]["out"]:
        out["rollups_s"] = round(statistics.median(r["out"]["rollups_s"] for r in rows), 2)
        out["without_rollups_wall_s"] = round(
            statistics.median(r["wall"] - r["out"]["rollups_s"] for r in rows), 2
        )
    return out


def run_monthly(base_file: Path, rows: int, runs: int, work: Path) -> dict:
    """A month's export (rows / 36 new lines after the last day of ``base_file``) loaded into a
    database that already holds ``base_file``: rollups rebuilt by parts, and whole, against bare
    DuckDB reading the month's file."""
    month = work / f"orders-month-after-{rows}.csv"
    if not month.exists():
        write_orders(month, rows // 36, start=date(2026, 11, 1), days=30, first=rows)
    base = work / "bench-monthly-base.duckdb"
    if not base.exists():
        measure(OURS, str(base), str(base_file), "orders")
    results: dict = {}
    for i in range(runs):
        for how in ("bare", "parts", "whole"):
            db = work / f"bench-monthly-{how}-{i}.duckdb"
            if how == "bare":
                result = measure(BARE, str(db), str(month))
            else:
                shutil.copy(base, db)
                result = measure(OURS, str(db), str(month), "orders", how)
            results.setdefault(how, []).append(result)
            for p in work.glob(f"bench-monthly-{how}-{i}.duckdb*"):
                p.unlink()
            shown = {k: round(result[k], 2) for k in ("wall", "cpu", "rss_mb")}
            print("monthly", how, i, shown, result["out"].get("rollups_s"), flush=True)
    summary = {how: _medians(rows) for how, rows in results.items()}
    summary["month_rows"] = rows // 36
    return summary


def write_gbk(src: Path, dst: Path, rows: int) -> Path:
    """The first ``rows`` lines of ``src`` with Chinese headers and regions, encoded as GBK."""
    zh = {
        "North": "华北",
        "East": "华东",
        "South": "华南",
        "Central": "华中",
        "Southwest": "西南",
        "Northwest": "西北",
        "Northeast": "东北",
    }
    header = "订单号,行号,订单日期,客户编号,大区,渠道,销售员,产品,类别,数量,单价,销售额,成本\n"
    with src.open(encoding="utf-8") as fin, dst.open("w", encoding="gbk", newline="") as fout:
        fin.readline()
        fout.write(header)
        for i, line in enumerate(fin):
            if i >= rows:
                break
            parts = line.split(",")
            parts[4] = zh.get(parts[4], parts[4])
            fout.write(",".join(parts))
    return dst


def write_xlsx(src: Path, dst: Path, rows: int) -> Path:
    import pandas as pd

    frame = pd.read_csv(src, nrows=rows, dtype=str)
    frame.to_excel(dst, index=False)
    return dst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/issue-2"))
    parser.add_argument("--cases", default="orders,orders-bad,monthly,gbk,xlsx")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    cases = args.cases.split(",")
    clean = args.dir / f"orders-{args.rows}.csv"
    if not clean.exists():
        write_orders(clean, args.rows)
    results = {}
    if "orders" in cases:
        results["orders"] = run_case("orders", clean, "orders", args.runs, args.dir, bare=True)
    if "orders-bad" in cases:
        bad = args.dir / f"orders-{args.rows}-bad.csv"
        if not bad.exists():
            write_orders(bad, args.rows, bad_rate=0.01)
        results["orders-bad"] = run_case("orders-bad", bad, "orders", args.runs, args.dir, True)
        expected = [i + 2 for i in range(7, args.rows, round(1 / 0.01))]
        results["orders-bad"]["exactly_the_bad_rows_rejected"] = (
            results["orders-bad"]["lines"] == expected
        )
        results["orders-bad"]["expected_rejects"] = bad_rows(args.rows, 0.01)
    if "gbk" in cases:
        gbk = write_gbk(clean, args.dir / "orders-1m-gbk.csv", 1_000_000)
        results["gbk"] = run_case("gbk", gbk, "orders", args.runs, args.dir, bare=False)
    if "monthly" in cases:
        results["monthly"] = run_monthly(clean, args.rows, args.runs, args.dir)
    if "xlsx" in cases:
        xlsx = write_xlsx(clean, args.dir / "orders-100k.xlsx", 100_000)
        results["xlsx"] = run_case("xlsx", xlsx, "orders", args.runs, args.dir, bare=False)
    for case in results.values():
        case.pop("lines", None)
        if "bare" in case and "ours" in case:
            case["ratio_wall"] = round(case["ours"]["wall_s"] / case["bare"]["wall_s"], 2)
            case["ratio_cpu"] = round(case["ours"]["cpu_s"] / case["bare"]["cpu_s"], 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
