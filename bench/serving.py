"""Serving benchmarks (issue 12): loads end to end, publish designs, first page visits, 100M lines.

    python bench/serving.py prepare --rows 10000000  # demo company CSVs, orders split in two:
                                                     # all but the last 30 days, and those days
    python bench/serving.py first-load --runs 3      # a fresh store: import, each rollup,
                                                     # forecasts, publish; bare read_csv
    python bench/serving.py month --runs 3           # the last 30 days into the store above
    python bench/serving.py designs --runs 5         # snapshot file vs compacted copy vs Parquet:
                                                     # publish time, disk, page queries (on the
                                                     # store `pages` leaves: run it first)
    python bench/serving.py pages --runs 5 [--demo]  # Executive, Targets, Forecast: first visit
                                                     # of a fresh dashboard process after a load
    python bench/serving.py scale --rows 100000000   # generated straight into a store: refresh,
                                                     # publish, disk, uncached page functions

Everything lives in --dir (default /tmp/serving); delete it afterwards. Every timing is a median of
--runs, with the load average printed beside it: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench.sales_pages import page_functions  # noqa: E402
from salesdash import db, demo, ingest, refresh, rollups  # noqa: E402
from salesdash.store import Store  # noqa: E402

SMALL_KINDS = ("teams", "customers", "opportunities", "targets")
MONTH_DAYS = 30


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


# --- data ------------------------------------------------------------------------------------


def prepare(work: Path, rows: int) -> None:
    """The demo company at ``rows`` order lines as CSVs; orders split at the last 30 days."""
    csv = work / "csv"
    start = time.perf_counter()
    paths = demo.write_csvs(demo.generate(rows), csv)
    con = duckdb.connect()
    cut = demo.DEMO_END - timedelta(days=MONTH_DAYS - 1)
    for name, where in (("history", f"< '{cut}'"), ("month", f">= '{cut}'")):
        con.execute(
            f"copy (select * from read_csv('{paths['orders']}', all_varchar = true) "
            f"where order_date {where}) to '{csv / f'orders_{name}.csv'}' (header)"
        )
    paths["orders"].unlink()
    counts = {
        p.name: con.execute(f"select count(*) from read_csv('{p}')").fetchall()[0][0]
        for p in sorted(csv.glob("*.csv"))
    }
    print(f"prepared in {time.perf_counter() - start:.0f} s: {counts}")


def _small_kinds(con: duckdb.DuckDBPyConnection, csv: Path) -> None:
    for kind in SMALL_KINDS:
        ingest.ingest_file(con, csv / f"{kind}.csv", kind, load_day=date.today())


# --- loads end to end ------------------------------------------------------------------------


def _split_load(store: Store, file: Path) -> dict:
    """What ``Store.writing`` does for one orders file, step by step (in this process)."""
    con = db.connect(store.working)
    con.execute("set enable_progress_bar = false")
    out: dict = {}
    start = time.perf_counter()
    ingest.ingest_file(con, file, "orders", load_day=date.today())
    out["import_s"] = time.perf_counter() - start
    start = time.perf_counter()
    with db.transaction(con):
        out["rollups"] = rollups.refresh(con, rollups.pending(con))
    out["rollups_s"] = time.perf_counter() - start
    start = time.perf_counter()
    report = refresh.run(con)
    out["forecasts_s"] = time.perf_counter() - start
    out["fits_computed"] = report.computed
    start = time.perf_counter()
    store.publish(con)
    out["publish_s"] = time.perf_counter() - start
    con.close()
    return out


def _cli_load(store: Store, file: Path) -> float:
    """Wall seconds of ``python -m salesdash ingest FILE`` (lock, import, refresh, publish)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "salesdash", "--db", str(store.working), "ingest", str(file)]
        + ["--kind", "orders"],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return time.perf_counter() - start


def _bare(file: Path, work: Path) -> float:
    path = work / "bare.duckdb"
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    start = time.perf_counter()
    con.execute(f"create table t as select * from read_csv('{file}')")
    seconds = time.perf_counter() - start
    con.close()
    path.unlink()
    return seconds


def _fresh_store(work: Path, name: str) -> Store:
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = Store(folder / "salesdash.duckdb")
    with store.writing("bench: the small tables") as con:
        _small_kinds(con, work / "csv")
    return store


def first_load(work: Path, runs: int) -> None:
    history = work / "csv" / "orders_history.csv"
    splits, cli, bare = [], [], []
    for i in range(runs):
        splits.append(_split_load(_fresh_store(work, "first"), history))
        cli.append(_cli_load(_fresh_store(work, "first-cli"), history))
        bare.append(_bare(history, work))
        print(
            f"run {i}: split {json.dumps(splits[-1], default=round)}, cli {cli[-1]:.1f} s, "
            f"bare {bare[-1]:.1f} s, {load()}",
            flush=True,
        )
    shutil.copytree(work / "first", work / "base", dirs_exist_ok=True)
    _report("first load", splits, cli, bare)


def month(work: Path, runs: int) -> None:
    file = work / "csv" / "orders_month.csv"
    base = Store(work / "base" / "salesdash.duckdb")
    splits, cli, bare = [], [], []
    for i in range(runs):
        for name, out in (("month", splits), ("month-cli", cli)):
            shutil.rmtree(work / name, ignore_errors=True)
            shutil.copytree(work / "base", work / name)
            store = Store(work / name / "salesdash.duckdb")
            out.append(_split_load(store, file) if name == "month" else _cli_load(store, file))
        bare.append(_bare(file, work))
        print(
            f"run {i}: split {json.dumps(splits[-1], default=round)}, cli {cli[-1]:.1f} s, "
            f"bare {bare[-1]:.2f} s, {load()}",
            flush=True,
        )
    lines = db.scalar(base.reader(), "select count(*) from orders")
    print(f"store before the month: {lines:,} order lines")
    _report("month", splits, cli, bare)


def _report(name: str, splits: list[dict], cli: list[float], bare: list[float]) -> None:
    parts = {k: median([s[k] for s in splits]) for k in splits[0] if k.endswith("_s")}
    per_rollup = {
        r: median([s["rollups"].get(r, 0.0) for s in splits]) for r in splits[0]["rollups"]
    }
    print(f"\n{name}: end to end (CLI: lock, import, refresh, publish) median {median(cli)} s")
    print(f"  split (in process): {parts}")
    print(f"  each rollup: {per_rollup}")
    print(
        f"  bare read_csv {median(bare)} s; import / bare = {parts['import_s'] / median(bare):.2f}"
    )


# --- publish designs ---------------------------------------------------------------------------


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def _parquet_reader(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database whose tables are views over the Parquet files (design B)."""
    con = duckdb.connect(":memory:")
    for file in sorted(folder.glob("*.parquet")):
        if file.stem == "schema_definitions":  # define() below must see no digest, and apply
            continue
        con.execute(f"create view {file.stem} as select * from read_parquet('{file}')")
    db.define(con)
    return con


def designs(work: Path, runs: int) -> None:
    # the store `pages` left (the month loaded by this code, so its macros are this code's)
    store = Store(work / "pages" / "salesdash.duckdb")
    out = work / "designs"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    con = db.connect(store.working)
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    publish: dict[str, list[float]] = {"A copy": [], "A' compacted": [], "B parquet": []}
    for i in range(runs):
        start = time.perf_counter()
        con.execute("checkpoint")
        shutil.copyfile(store.working, out / "copy.duckdb")
        publish["A copy"].append(time.perf_counter() - start)
        (out / "compact.duckdb").unlink(missing_ok=True)
        start = time.perf_counter()
        con.execute(f"attach '{out / 'compact.duckdb'}' as compact")
        con.execute(f"copy from database {_catalog(con)} to compact")
        con.execute("detach compact")
        publish["A' compacted"].append(time.perf_counter() - start)
        shutil.rmtree(out / "parquet", ignore_errors=True)
        (out / "parquet").mkdir()
        start = time.perf_counter()
        for table in tables:
            con.execute(f"copy {table} to '{out / 'parquet' / table}.parquet' (format parquet)")
        publish["B parquet"].append(time.perf_counter() - start)
        print(f"run {i}: { {k: round(v[-1], 1) for k, v in publish.items()} } {load()}", flush=True)
    con.close()
    sizes = {
        "working": _size_mb(store.working),
        "A copy": _size_mb(out / "copy.duckdb"),
        "A' compacted": _size_mb(out / "compact.duckdb"),
        "B parquet": _size_mb(out / "parquet"),
    }
    readers = {
        "working (read-write)": db.connect(store.working),
        "A copy": db.connect(out / "copy.duckdb", read_only=True),
        "B parquet": _parquet_reader(out / "parquet"),
    }
    print(f"\npublish, median of {runs}: { {k: median(v) for k, v in publish.items()} }")
    print(f"disk MB: {sizes}")
    # A' is not queried: `copy from database` copies tables, not the macros every scoped query
    # reads, and a read-only reader cannot create them
    print(f"\npage data functions, uncached, p50 of {runs} runs per function, ms ({load()}):")
    totals: dict[str, dict[str, float]] = {}
    for name, reader in readers.items():
        for page, fns in page_functions(reader).items():
            totals.setdefault(page, {})[name] = sum(_p50_ms(fn, runs) for fn in fns.values())
        reader.close()
    for page, by in totals.items():
        print(f"  {page:9s} " + "  ".join(f"{k}: {v:7.0f}" for k, v in by.items()))


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    return db.scalar(con, "select current_database()")


def _p50_ms(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


# --- first page visits -------------------------------------------------------------------------

VISIT = """
import json, sys, time
from streamlit.testing.v1 import AppTest
import salesdash.forecast, salesdash.targets, salesdash.smart, salesdash.charts  # as a server
                                                          # that has served any page holds them
at = AppTest.from_file(sys.argv[1], default_timeout=600)
start = time.perf_counter()
at.switch_page(f"app_pages/{sys.argv[2]}.py").run()
assert not at.exception, [e.value for e in at.exception]
print(json.dumps({"first_visit_s": time.perf_counter() - start}))
"""


def pages(work: Path, runs: int, demo_store: bool) -> None:
    """Each of Executive, Targets, Forecast opened first in a fresh process (no cache) right
    after a load: the load publishes, the process reads the new snapshot."""
    if demo_store:
        shutil.rmtree(work / "demo-pages", ignore_errors=True)
        store = Store(work / "demo-pages" / "salesdash.duckdb")
        start = time.perf_counter()
        with store.writing("bench: the demo company") as con:
            ingest.seed_demo(con, load_day=date.today())
        print(f"load of the demo company: {time.perf_counter() - start:.1f} s")
    else:
        shutil.rmtree(work / "pages", ignore_errors=True)
        shutil.copytree(work / "base", work / "pages")
        store = Store(work / "pages" / "salesdash.duckdb")
        print(
            f"load of the month file: {_cli_load(store, work / 'csv' / 'orders_month.csv'):.1f} s"
        )
    env = {**os.environ, "SALESDASH_DB": str(store.working)}
    for page in ("executive", "targets", "forecast"):
        samples = []
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", VISIT, str(ROOT / "app.py"), page],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            samples.append(json.loads(done.stdout.strip().splitlines()[-1])["first_visit_s"])
        print(
            f"  {page:10s} first visit median {median(samples)} s "
            f"(runs {[round(s, 2) for s in samples]}), {load()}",
            flush=True,
        )


# --- 100M lines --------------------------------------------------------------------------------

GENERATE = """
insert into orders (batch_id, order_id, line_no, order_date, customer_id, region, channel,
    sales_rep, product, category, quantity, unit_price, revenue, cost)
with lines as (
    select i, i // 3 as o, hash(i // 3) as h, hash(i) as hl
    from range($rows) as t(i)
)
select
    1,
    'O' || o,
    (i % 3 + 1)::integer,
    date '2023-11-16' + (o * 1096 // ($rows // 3))::integer,
    'C' || (h % $customers),
    ['North', 'East', 'South', 'Central', 'Southwest', 'Northwest', 'Northeast'][h % 7 + 1],
    ['direct', 'store', 'online'][(h // 7) % 3 + 1],
    'Rep ' || (h % 7) || '-' || ((h // 21) % 20),
    'P' || (hl % 500),
    'K' || (hl % 500 % 25),
    (1 + hl % 5)::double,
    (10 + hl % 990)::double,
    ((1 + hl % 5) * (10 + hl % 990))::double,
    ((1 + hl % 5) * (10 + hl % 990) * 0.6)::double
from lines
"""


def scale(work: Path, rows: int, runs: int) -> None:
    folder = work / "scale"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = Store(folder / "salesdash.duckdb")
    con = db.connect(store.working)
    start = time.perf_counter()
    with db.transaction(con):
        con.execute(GENERATE, {"rows": rows, "customers": max(rows // 500, 1000)})
        con.execute(
            "insert into ingest_log (batch_id, kind, file_name, file_sha256, rows_loaded, "
            "rows_rejected, rows_duplicate, user_name, loaded_at) "
            "values (1, 'orders', 'generated', '', $n, 0, 0, 'bench', now())",
            {"n": rows},
        )
        rollups.capture(con, "orders", 1)
    print(f"generated {rows:,} lines in {time.perf_counter() - start:.0f} s ({load()})")
    start = time.perf_counter()
    report = refresh.run(con)
    print(f"refresh: {time.perf_counter() - start:.0f} s {report.seconds}")
    start = time.perf_counter()
    store.publish(con)
    print(f"publish: {time.perf_counter() - start:.0f} s")
    con.close()
    print(
        f"disk: working {_size_mb(store.working):,.0f} MB, snapshot "
        f"{_size_mb(store.current().path):,.0f} MB"
    )
    reader = store.reader()
    print(f"page data functions on the snapshot, uncached, p50 of {runs} ({load()}):")
    for page, fns in page_functions(reader).items():
        for name, fn in fns.items():
            print(f"  {page:9s} {name:40s} {_p50_ms(fn, runs):8.0f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "step", choices=["prepare", "first-load", "month", "designs", "pages", "scale"]
    )
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/serving"))
    parser.add_argument("--demo", action="store_true", help="pages: on the demo company")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"{args.step} ({load()})", flush=True)
    if args.step == "prepare":
        prepare(args.dir, args.rows)
    elif args.step == "first-load":
        first_load(args.dir, args.runs)
    elif args.step == "month":
        month(args.dir, args.runs)
    elif args.step == "designs":
        designs(args.dir, args.runs)
    elif args.step == "pages":
        pages(args.dir, args.runs, args.demo)
    else:
        scale(args.dir, args.rows, args.runs)


if __name__ == "__main__":
    main()
