"""What ``rollups.refresh`` costs inside a 10M-row orders load, with other areas' rollup files.

    python bench/ingest_rollups.py /tmp/issue-2/orders-10000000.csv /tmp/issue-2/rollups

The second argument is a folder of ``sql/rollups/*.sql`` files (e.g. copied from the branches
that add them); the script points ``rollups.ROLLUP_DIR`` at it, loads the file into a fresh
database and prints the seconds (wall and CPU) of each ingest step, the refresh included.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesdash import db, ingest, rollups  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    csv, rollup_dir = Path(sys.argv[1]), Path(sys.argv[2])
    rollups.ROLLUP_DIR = rollup_dir
    print("rollups:", ", ".join(rollups.names()))
    with tempfile.TemporaryDirectory(dir=csv.parent) as tmp:
        con = db.connect(Path(tmp) / "rollups.duckdb")
        con.execute("set enable_progress_bar = false")
        marks = [(time.perf_counter(), cpu(), "start")]

        def progress(_fraction: float, step: str) -> None:
            marks.append((time.perf_counter(), cpu(), step))

        ingest.ingest_file(con, csv, "orders", progress=progress)
        for (t0, c0, step), (t1, c1, _) in zip(marks, marks[1:], strict=False):
            print(f"{step:20s} wall {t1 - t0:7.2f} s  cpu {c1 - c0:7.2f} s")
        t0, c0 = time.perf_counter(), cpu()
        rollups.refresh(con)
        print(
            f"{'refresh alone':20s} wall {time.perf_counter() - t0:7.2f} s  cpu {cpu() - c0:7.2f} s"
        )
        con.close()


if __name__ == "__main__":
    main()
