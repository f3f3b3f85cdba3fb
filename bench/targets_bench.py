"""Time the Targets/Executive computations on the demo data (python bench/targets_bench.py).

Cold = the per-process forecast cache cleared before each run; the baseline is the same tracking
without any forecast (actuals, pacing, SMART inputs only), measured in the same run.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from salesdash import db, ingest, rollups, smart, stored, targets
from salesdash.scope import Scope

RUNS = 3
AS_OF = date(2026, 11, 15)


def timed(fn) -> float:
    samples = []
    for _ in range(RUNS):
        stored.clear_local()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    con = db.connect(":memory:")
    ingest.seed_demo(con, load_day=date.today())
    rollups.refresh(con, rollups.pending(con))
    current = targets.current_targets(con, Scope())
    baseline = timed(
        lambda: targets.track(con, current, as_of=AS_OF, scope=Scope(), with_forecast=False)
    )
    assess = timed(lambda: smart.assess_targets(con, Scope(), as_of=AS_OF))
    summary = timed(lambda: targets.executive_summary(con, Scope(), as_of=AS_OF))
    stored.clear_local()
    targets.executive_summary(con, Scope(), as_of=AS_OF)
    start = time.perf_counter()
    targets.year_outlook(con, Scope(), as_of=AS_OF)
    warm_outlook = time.perf_counter() - start
    print(f"targets: {len(current)}; median of {RUNS} runs")
    print(f"track without forecast (baseline): {baseline:.2f} s")
    print(f"assess_targets, cold forecasts:    {assess:.2f} s ({assess / baseline:.0f}x)")
    print(f"executive_summary, cold forecasts: {summary:.2f} s ({summary / baseline:.0f}x)")
    print(f"year_outlook after the summary:    {warm_outlook:.2f} s (company paths reused)")


if __name__ == "__main__":
    main()
