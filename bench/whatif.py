"""What-if on the Executive and Targets pages: how long a scenario takes from the stored paths.

On a store whose refresh has run (``--store``: its working file; by default the bundled demo,
loaded and refreshed into a temporary store first), reading its published snapshot as a page
does:

- ``baseline``: what a page computes once per publication and caches (``ui.query``): the
  Executive page's projections with their paths (``targets.executive_projections``), the Targets
  page's (``targets.target_projections``), from the stored month paths;
- ``what-if``: what every change of the scenario costs, nothing cached: the steps resolved
  against the data (``scenarios.resolve``: the near term read from the store, a key customer's
  months), their change to every series and month of the stored forecast
  (``forecast.scenario_deltas``) and every target moved (``targets.what_if``), for a region
  +5%, a key customer lost, the biggest open deal won, and all three at once;
- for scale, in the same run: the projections computed with nothing stored (every target
  series' paths fitted), what a what-if would cost if it refitted.

Every figure is a median of ``--runs`` runs, with the load average beside it.

Usage::

    python bench/whatif.py [--store data/salesdash.duckdb] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesdash import db, forecast, ingest, scenarios, stored, targets  # noqa: E402
from salesdash.periods import add_months  # noqa: E402
from salesdash.scope import Scope  # noqa: E402
from salesdash.store import Store  # noqa: E402


def median_ms(fn, runs: int) -> tuple[float, float]:
    """(median milliseconds, median load average) of ``runs`` calls of ``fn``."""
    times, loads = [], []
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.median(loads)


def demo_store() -> Store:
    store = Store(Path(tempfile.mkdtemp()) / "salesdash.duckdb")
    with store.writing("bench: the demo company") as con:
        ingest.seed_demo(con)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="the store's working database file")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    store = Store(args.store) if args.store else demo_store()
    con = store.reader()
    as_of = targets.last_covered_day(con)
    near = forecast.near_term(con, Scope())
    start = add_months(near.as_of, 2)  # from next month on (the month after the partial one)
    customer = scenarios.key_customers(con, Scope(), as_of=near.as_of).iloc[0]["customer_id"]
    deal = scenarios.open_deals(near).iloc[0]["opportunity_id"]
    region = sorted(near.regions)[0]
    cases = {
        f"{region} +5%": (scenarios.Step("region", region, start, pct=5.0),),
        "a key customer lost": (scenarios.Step("customer", customer, start),),
        "the biggest open deal won": (scenarios.Step("deal", deal, start, outcome="won"),),
    }
    cases["all three"] = tuple(step for steps in cases.values() for step in steps)

    print("| step | page | ms (median) | load | runs |\n|---|---|---|---|---|")
    baselines = {
        "Executive": lambda: targets.executive_projections(con, Scope(), as_of=as_of),
        "Targets": lambda: targets.target_projections(con, as_of=as_of, scope=Scope()),
    }
    for page, baseline in baselines.items():
        ms, load = median_ms(baseline, args.runs)
        print(
            f"| baseline from the stored paths (once per publication) | {page} | {ms:.0f}"
            f" | {load:.1f} | {args.runs} |",
            flush=True,
        )
        projections = baseline()
        for label, steps in cases.items():
            ms, load = median_ms(
                lambda s=steps, p=projections: targets.what_if(
                    p, scenarios.deltas(con, Scope(), s)
                ),
                args.runs,
            )
            print(
                f"| what-if: {label} | {page} | {ms:.0f} | {load:.1f} | {args.runs} |", flush=True
            )

    unstored = con.execute("select count(*) from stored_results").fetchone()[0]
    con.close()
    # Scale: the Executive page's projections with nothing stored (the month paths fitted).
    stored.clear_local()
    copy = Path(tempfile.mkdtemp()) / "nothing-stored.duckdb"
    copy.write_bytes(store.current().path.read_bytes())
    bare = db.connect(copy)
    bare.execute("delete from stored_results")
    load = os.getloadavg()[0]
    begin = time.perf_counter()
    targets.executive_projections(bare, Scope(), as_of=as_of)
    print(
        f"| baseline with nothing stored (every series fitted) | Executive"
        f" | {(time.perf_counter() - begin) * 1000:.0f} | {load:.1f} | 1 |"
    )
    print(f"\nstore: {unstored} stored results; as of {as_of}; scenarios from {start}")


if __name__ == "__main__":
    main()
