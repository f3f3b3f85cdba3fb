"""Benchmark of the alerts (issue 16) on 10M generated order lines.

    python bench/alerts_bench.py prepare       # demo.generate(rows=10M) into /tmp/watch-bench
    python bench/alerts_bench.py refresh       # alerts.refresh with the forecasts looked up
                                               # (as the store will hand them over): p50 of 5,
                                               # each rule apart, against a bare scan of orders;
                                               # and what fitting those forecasts costs today
    python bench/alerts_bench.py publish       # through the writer: refresh step, alerts with
                                               # the stored forecasts, publication
    python bench/alerts_bench.py page          # the Watch page under AppTest on that snapshot:
                                               # p50 of 5 opens
    python bench/alerts_bench.py false-alarms  # the test company (tests/alerts_company.py) on 12
                                               # monthly as-of dates with the default ensemble

Run with OPENBLAS_NUM_THREADS=1 (one BLAS thread per fit, as the refresh step will). Delete
/tmp/watch-bench afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesdash import alerts, db, demo, rollups  # noqa: E402
from salesdash.alerts import FittingSource, revenue  # noqa: E402
from salesdash.alerts.context import Context  # noqa: E402
from salesdash.store import Store  # noqa: E402

WORK = Path("/tmp/watch-bench")
DB = WORK / "bench.duckdb"
ROWS = 10_000_000
RUNS = 5
AS_OF = date(2026, 11, 15)
NOW = datetime(2026, 11, 16, 7, 0)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def p50(fn, runs: int = RUNS) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn()``."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def prepare(rows: int) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    t0 = time.perf_counter()
    data = demo.generate(rows=rows)
    con = db.connect(DB)
    for batch_id, (kind, frame) in enumerate(data.tables().items(), start=1):
        con.register("frame", frame)
        con.execute(f"insert into {kind} by name select {batch_id} as batch_id, * from frame")
        con.unregister("frame")
        con.execute(
            "insert into ingest_log values (?, ?, ?, 'x', null, null, ?, 0, 0, 'bench', ?, null)",
            [batch_id, kind, f"{kind}.csv", len(frame), NOW],
        )
    rollups.refresh(con)
    n = db.scalar(con, "select count(*) from orders")
    con.close()
    print(f"{n:,} order lines in {DB} ({time.perf_counter() - t0:.0f}s)")


@dataclass(frozen=True)
class LookedUp:
    """Forecasts computed beforehand and looked up by their inputs: the stored forecasts."""

    intervals: dict
    outlooks: list

    def interval_before(self, con, freq, period_start):
        return self.intervals[(freq, period_start)]

    def target_outlooks(self, con, as_of):
        return self.outlooks


def fit_once(con) -> LookedUp:
    """Today's FittingSource once, timed: what the store will have computed."""
    source = FittingSource()
    intervals = {}
    for freq in revenue.RevenueSettings().grains:
        start, _ = revenue.last_complete_period(AS_OF, freq)
        t0, c0 = time.perf_counter(), time.process_time()
        intervals[(freq, start)] = source.interval_before(con, freq, start)
        print(
            f"  fit interval_before({freq}): {time.perf_counter() - t0:.1f}s wall, "
            f"{time.process_time() - c0:.1f}s CPU"
        )
    t0, c0 = time.perf_counter(), time.process_time()
    outlooks = source.target_outlooks(con, AS_OF)
    print(
        f"  fit target_outlooks ({len(outlooks)} targets): {time.perf_counter() - t0:.1f}s wall, "
        f"{time.process_time() - c0:.1f}s CPU"
    )
    return LookedUp(intervals, outlooks)


def bench_refresh() -> None:
    con = db.connect(DB)
    print(load())
    print("forecasts fitted today (the store will hold these):")
    looked_up = fit_once(con)
    settings = alerts.Settings()
    context = Context(NOW, looked_up, tuple(looked_up.outlooks))
    for rule, name in alerts.RULES:
        wall, cpu = p50(lambda r=rule, n=name: r(con, AS_OF, getattr(settings, n), context))
        print(f"  rule {name:<14} p50 {wall:.2f}s wall, {cpu:.2f}s CPU")
    scan = p50(lambda: con.execute("select region, sum(revenue) from orders group by 1").fetchall())
    whole = p50(lambda: alerts.refresh(con, AS_OF, now=NOW, forecasts=looked_up))
    n = len(alerts.stored_alerts(con, on=AS_OF))
    print(f"baseline: one scan of orders (revenue by region) p50 {scan[0]:.2f}s wall")
    print(
        f"alerts.refresh, forecasts looked up: p50 {whole[0]:.2f}s wall, {whole[1]:.2f}s CPU "
        f"= {whole[0] / scan[0]:.1f}× the scan; {n} alerts stored"
    )
    print(load())
    con.close()


def publish() -> None:
    """Through the writer, as a deployment does it: the refresh step (rollups, forecasts), the
    alerts (their target paths read from what the forecasts step stored), the publication."""
    print(load())
    t0 = time.perf_counter()
    with Store(DB).writing("alerts benchmark") as con:
        caught_up = time.perf_counter()
        c0 = time.process_time()
        found = alerts.refresh(con, AS_OF, now=NOW)
        print(
            f"alerts.refresh after the refresh step stored its forecasts: "
            f"{time.perf_counter() - caught_up:.1f}s wall, {time.process_time() - c0:.1f}s CPU, "
            f"{len(found)} alerts (refresh step before it: {caught_up - t0:.0f}s)"
        )
    print(f"published ({time.perf_counter() - t0:.0f}s in all); {load()}")


def bench_page() -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["SALESDASH_DB"] = str(DB)
    print(load())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    times: dict[str, list[float]] = {"watch": [], "overview": []}
    for _ in range(RUNS):
        for page in times:  # Overview, the landing page, is the baseline
            t0 = time.perf_counter()
            at.switch_page(f"app_pages/{page}.py").run()
            times[page].append(time.perf_counter() - t0)
            assert not at.exception, at.exception
    watch, overview = (statistics.median(times[p]) for p in ("watch", "overview"))
    print(
        f"open (app shell included), p50: Watch {watch:.2f}s, Overview {overview:.2f}s "
        f"(Watch/Overview {watch / overview:.2f})"
    )
    print(load())


def false_alarms() -> None:
    from tests import alerts_company as company

    print(load())
    total: Counter = Counter()
    for as_of in company.as_of_dates():
        c = company.company(as_of)
        con = db.connect(":memory:")
        company.load(con, c)
        t0 = time.perf_counter()
        found, _ = alerts.compute(con, as_of, now=c.now)
        counts = Counter((a.kind, a.severity) for a in found)
        total.update(counts)
        print(f"  {as_of} ({time.perf_counter() - t0:.0f}s): {dict(counts)}")
        con.close()
    above = sum(n for (_, severity), n in total.items() if severity != "info")
    info = sum(n for (_, severity), n in total.items() if severity == "info")
    print(f"over 12 dates: {info} info, {above} above info: {dict(total)}")
    print(load())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("prepare", "refresh", "publish", "page", "false-alarms"))
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    {
        "prepare": lambda: prepare(args.rows),
        "refresh": bench_refresh,
        "publish": publish,
        "page": bench_page,
        "false-alarms": false_alarms,
    }[args.step]()
