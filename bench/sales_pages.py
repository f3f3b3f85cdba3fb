"""Benchmark of the sales pages (Overview, Explore, Team) on 10M generated order lines.

    python bench/sales_pages.py prepare   # demo.generate(rows=10M) into /tmp/issue-4/bench.duckdb
    python bench/sales_pages.py run       # rollups.refresh, then p50 of 7 runs per data function
                                          # against the same question asked of pandas in memory

Delete /tmp/issue-4 afterwards.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesdash import db, demo, rollups  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["prepare", "run"])
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.rows)
    else:
        run()


if __name__ == "__main__":
    main()
