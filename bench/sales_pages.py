"""Benchmark of the sales pages (Overview, Explore, Team) on 10M generated order lines.

    python bench/sales_pages.py prepare   # demo.generate(rows=10M) into /tmp/issue-4/bench.duckdb
    python bench/sales_pages.py run       # rollups.refresh, then p50 of 7 runs per data function
                                          # against the same question asked of pandas in memory
    python bench/sales_pages.py pages     # each page under AppTest on that database: first run,
                                          # p50 of 7 cached reruns, peak RSS of the app process

Delete /tmp/issue-4 afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from salesdash import breakdowns, db, demo, kpis, rollups, scorecards  # noqa: E402
from salesdash.scope import Scope  # noqa: E402

WORK = Path("/tmp/issue-4")
DB = WORK / "bench.duckdb"
ROWS = 10_000_000
RUNS = 7


def prepare(rows: int) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    t0 = time.perf_counter()
    data = demo.generate(rows=rows)
    print(f"generated {len(data.orders):,} order lines in {time.perf_counter() - t0:.0f}s")
    con = db.connect(DB)
    for kind, frame in data.tables().items():
        con.register("frame", frame)
        con.execute(f"insert into {kind} by name select 0 as batch_id, * from frame")
        con.unregister("frame")
    data.orders.to_parquet(WORK / "orders.parquet")
    con.close()
    print(f"loaded into {DB}")


AS_OF = date(2026, 11, 15)
SCOPE = Scope(date(2025, 12, 1), AS_OF)  # the default view: the last 12 months


def _p50(fn, runs: int = RUNS) -> tuple[float, float]:
    """Median wall and CPU (all threads of this process) milliseconds of ``fn()``."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def page_functions(con) -> dict[str, dict[str, object]]:
    """The data functions each page calls on first load (default view, first drill steps)."""
    east = Scope(SCOPE.start_date, SCOPE.end_date, regions=("East",))
    rep = run_sql_first_rep(con, east)
    drilled = Scope(SCOPE.start_date, SCOPE.end_date, regions=("East",), sales_reps=(rep,))
    customer = breakdowns.breakdown(con, drilled, "customer")["value"].iloc[0]
    return {
        "overview": {
            "kpi_summary": lambda: kpis.kpi_summary(con, SCOPE),
            "revenue_trend(week)": lambda: kpis.revenue_trend(con, SCOPE, "week"),
            "breakdown(region)": lambda: breakdowns.breakdown(con, SCOPE, "region"),
            "breakdown(channel)": lambda: breakdowns.breakdown(con, SCOPE, "channel"),
        },
        "explore": {
            "breakdown(region, top 15)": lambda: breakdowns.breakdown(
                con, SCOPE, "region", limit=15
            ),
            "breakdown(sales_rep | East, top 15)": lambda: breakdowns.breakdown(
                con, east, "sales_rep", limit=15
            ),
            "breakdown(customer | East, rep, top 15)": lambda: breakdowns.breakdown(
                con, drilled, "customer", limit=15
            ),
            "breakdown(customer, top 15)": lambda: breakdowns.breakdown(
                con, SCOPE, "customer", limit=15
            ),
            "breakdown(product | one customer)": lambda: breakdowns.breakdown(
                con, drilled, "product", customers=(customer,), limit=15
            ),
            "series(week, total)": lambda: breakdowns.series(con, SCOPE, "week"),
            "series(month, region)": lambda: breakdowns.series(con, SCOPE, "month", "region"),
            "crosstab(region × category)": lambda: breakdowns.crosstab(
                con, SCOPE, "region", "category"
            ),
            "pareto(customer)": lambda: breakdowns.pareto(con, SCOPE, "customer"),
            "pareto(product)": lambda: breakdowns.pareto(con, SCOPE, "product"),
            "channel_comparison": lambda: breakdowns.channel_comparison(con, SCOPE),
        },
        "team": {
            "rep_scorecards": lambda: scorecards.rep_scorecards(con, SCOPE),
            "manager_rollup": lambda: scorecards.manager_rollup(con, SCOPE),
        },
    }


def run_sql_first_rep(con, scope: Scope) -> str:
    frame = breakdowns.breakdown(con, scope, "sales_rep")
    return frame["value"].dropna().iloc[0]


def pandas_functions(frame: pd.DataFrame) -> dict[str, object]:
    """The same questions asked of the order lines held in a pandas frame (the baseline)."""
    firsts = None

    def scoped(scope: Scope) -> pd.DataFrame:
        d = frame["order_date"]
        return frame[(d >= pd.Timestamp(scope.start_date)) & (d <= pd.Timestamp(scope.end_date))]

    def kpi(scope: Scope) -> dict:
        nonlocal firsts
        firsts = frame.groupby("customer_id")["order_date"].min()
        s = scoped(scope)
        active = s["customer_id"].dropna().unique()
        first = firsts.loc[active]
        return {
            "revenue": s["revenue"].sum(),
            "orders": s["order_id"].nunique(),
            "active": len(active),
            "new": int((first >= pd.Timestamp(scope.start_date)).sum()),
        }

    def by(scope: Scope, dim: str) -> pd.DataFrame:
        return (
            scoped(scope)
            .groupby(dim, dropna=False)
            .agg(
                revenue=("revenue", "sum"),
                n_orders=("order_id", "nunique"),
                n_customers=("customer_id", "nunique"),
            )
        )

    return {
        "overview": lambda: [
            kpi(SCOPE),
            kpi(SCOPE.previous_period()),
            kpi(SCOPE.same_period_last_year()),
            scoped(SCOPE).groupby(scoped(SCOPE)["order_date"].dt.to_period("W"))["revenue"].sum(),
            by(SCOPE, "region"),
            by(SCOPE, "channel"),
        ],
        "explore": lambda: [
            by(SCOPE, "region"),
            by(SCOPE, "sales_rep"),
            scoped(SCOPE).groupby("customer_id")["revenue"].sum().nlargest(15),
            scoped(SCOPE).groupby("customer_id")["revenue"].sum().sort_values().cumsum(),
            scoped(SCOPE).groupby("product")["revenue"].sum().sort_values().cumsum(),
            scoped(SCOPE).pivot_table(
                index="region", columns="category", values="revenue", aggfunc="sum"
            ),
            by(SCOPE, "channel"),
            by(SCOPE.previous_period(), "channel"),
        ],
        "team": lambda: [by(SCOPE, "sales_rep"), by(SCOPE.previous_period(), "sales_rep")],
    }


def run() -> None:
    con = db.connect(DB)
    n_lines = db.scalar(con, "select count(*) from orders")
    t0 = time.perf_counter()
    con.execute("begin transaction")
    rollups.refresh(con)
    con.execute("commit")
    print(f"order lines: {n_lines:,}; rollups.refresh: {time.perf_counter() - t0:.1f}s")
    print(f"load average at start: {os.getloadavg()}")
    for table in sorted(
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_name like 'rollup_sales%'"
        ).fetchall()
    ):
        print(f"  {table}: {db.scalar(con, f'select count(*) from {table}'):,} rows")
    print(f"\nuncached data functions, p50 of {RUNS} runs, scope {SCOPE.start_date}..{AS_OF}")
    print(f"  {'page':9s} {'function':40s} {'wall ms':>8s} {'cpu ms':>8s}")
    totals = {}
    for page, fns in page_functions(con).items():
        totals[page] = 0.0
        for name, fn in fns.items():
            wall, cpu = _p50(fn)
            totals[page] += wall
            print(f"  {page:9s} {name:40s} {wall:8.1f} {cpu:8.1f}")
    frame = pd.read_parquet(WORK / "orders.parquet")
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    print("\npage totals: rollups vs pandas on the in-memory frame (p50 of 3 for pandas)")
    for page, fn in pandas_functions(frame).items():
        ms, _ = _p50(fn, runs=3)
        print(
            f"  {page:9s} salesdash {totals[page]:8.1f} ms  pandas {ms:9.1f} ms  "
            f"ratio {ms / totals[page]:6.1f}x"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process (incl. the pandas frame): {peak:,.0f} MB")


def pages() -> None:
    """Each page under AppTest: the first (uncached) run and cached reruns; peak RSS."""
    from streamlit.testing.v1 import AppTest

    os.environ["SALESDASH_DB"] = str(DB)
    for page in ("overview", "explore", "team"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        t0 = time.perf_counter()
        at.switch_page(f"app_pages/{page}.py").run()
        first = (time.perf_counter() - t0) * 1000
        assert not at.exception, [e.value for e in at.exception]
        wall, cpu = _p50(at.run)
        print(
            f"  {page:9s} first run {first:8.0f} ms   cached rerun p50 {wall:6.0f} ms wall "
            f"{cpu:6.0f} ms cpu"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the app process (AppTest runs the app in-process): {peak:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["prepare", "run", "pages"])
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.rows)
    elif args.step == "pages":
        pages()
    else:
        run()


if __name__ == "__main__":
    main()
