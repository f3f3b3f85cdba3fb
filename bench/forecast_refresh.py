"""The forecast part of a refresh: CPU and wall time, before and after, first load and a new month.

Cases, each on one or more stores (``--db``; the bundled demo when none is given):

- ``cold``: ``forecast.hierarchy_forecast(con, Scope())`` in a fresh process on the store opened
  read-only: what ``forecast --json`` computes, the whole hierarchy fitted and backtested from
  nothing. Run with this checkout's code ("after": one BLAS thread per fit, series on worker
  processes) and, with ``--before-src DIR`` (a checkout of the code before, e.g. ``git archive
  0002553 | tar -x -C DIR``), with that code and default BLAS threads ("before"). CPU is the
  process tree's (``tree_cpu``), workers included.
- ``refresh``: in one process, the forecasts step of the refresh (``refresh.warm_forecasts`` and
  the forecast log, in ``stored.recording`` on a copy of the store): first as of the end of the
  month before the data's last complete month on an empty store of results (a first load), then
  as of the data's end (a new month: the histories refitted, earlier backtest origins' fits of
  the hierarchy and of the near term found). Beside it, the seconds of each kind of result.
- ``filter``: ``filter_forecast`` of the four busiest reps and one region × channel cell, on
  demand (no store), after the worker pool is up.

CPU in-process is this process's plus its live workers' (``/proc``). Every figure is a median of
``--runs`` runs; the load average is printed beside it (the machine is shared).

Usage::

    python bench/forecast_refresh.py --db /tmp/fc/big.duckdb --before-src /tmp/fc/main-src
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from salesdash import db, forecast, ingest, refresh, stored  # noqa: E402
from salesdash.forecast import nearterm  # noqa: E402
from salesdash.scope import Scope  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> tuple[int, float]:
    """(parent pid, user + system seconds) of a live process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def tree_cpu() -> float:
    """CPU seconds of this process, its live descendants (the forecast workers and the server
    they fork from) and its reaped children."""
    procs = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                procs[int(entry.name)] = _proc_cpu(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    family = {os.getpid()}
    changed = True
    while changed:
        changed = False
        for pid, (parent, _) in procs.items():
            if parent in family and pid not in family:
                family.add(pid)
                changed = True
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    live = sum(procs[pid][1] for pid in family if pid in procs)
    return live + reaped.ru_utime + reaped.ru_stime


def timed(fn):
    load = os.getloadavg()[0]
    cpu, wall = tree_cpu(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - wall, tree_cpu() - cpu, load


COLD = """
import os, resource
from pathlib import Path
import duckdb
from salesdash import forecast
from salesdash.scope import Scope
TICK = os.sysconf("SC_CLK_TCK")
{helpers}
if __name__ == "__main__":
    forecast.hierarchy_forecast(duckdb.connect({path!r}, read_only=True), Scope())
    print(tree_cpu())
"""


def cold_run(db_path: Path, src: Path) -> tuple[float, float, float]:
    """(wall, cpu, load) of one cold hierarchy forecast in a fresh process running ``src``'s code
    (BLAS threads as that code sets them). CPU is the process tree's, measured by the process
    before it exits: the forecast workers are not its children (the fork server's), so
    ``os.wait4`` would miss them."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("OPENBLAS_NUM_THREADS", None)
    script = Path(tempfile.mkdtemp()) / "cold.py"
    helpers = inspect.getsource(_proc_cpu) + "\n" + inspect.getsource(tree_cpu)
    script.write_text(COLD.format(path=str(db_path), helpers=helpers))
    load = os.getloadavg()[0]
    wall = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(script)], cwd=src, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"the forecast failed with the code of {src} on {db_path}")
    return time.perf_counter() - wall, float(out.stdout.split()[-1]), load


def median_row(label: str, runs: list[tuple]) -> str:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    load = statistics.median(r[2] for r in runs)
    return f"| {label} | {wall:.1f} | {cpu:.1f} | {load:.1f} | {len(runs)} |"


def forecast_step(con: duckdb.DuckDBPyConnection, as_of, version: str) -> dict[str, float]:
    """The refresh's forecasts step standing on ``as_of``; the seconds of each kind of result
    it computed (nested ones counted in their parents too)."""
    with db.transaction(con), stored.recording(con, version):
        refresh.warm_forecasts(con, as_of)
        forecast.log_projection(con, version)
    rows = con.execute(
        "select kind, sum(seconds) from stored_results where used_version = ? group by kind",
        [version],
    ).fetchall()
    return dict(rows)


def refresh_runs(path: Path, runs: int) -> dict[str, list[tuple]]:
    out = {"first load (nothing stored)": [], "new month (stored fits)": []}
    kinds: dict[str, list[dict]] = {label: [] for label in out}
    for run in range(runs):
        copy = Path(tempfile.mkdtemp()) / "refresh.duckdb"
        shutil.copyfile(path, copy)
        con = db.connect(copy)
        con.execute("delete from stored_results")
        stored.clear_local()
        end = forecast.data_grain(con).last_day
        # the month before the last complete one: the store as a load before this one left it
        before = nearterm.near_term_as_of(nearterm.near_term_as_of(end) - timedelta(days=1))
        for k, (label, as_of) in enumerate(zip(out, (before, end), strict=True)):
            spent, wall, cpu, load = timed(
                lambda c=con, a=as_of, v=f"bench-{run}-{k}": forecast_step(c, a, v)
            )
            out[label].append((wall, cpu, load))
            kinds[label].append(spent)
        con.close()
        shutil.rmtree(copy.parent)
    for label, seen in kinds.items():
        names = sorted({name for spent in seen for name in spent})
        parts = ", ".join(
            f"{name} {statistics.median(spent.get(name, 0.0) for spent in seen):.1f}"
            for name in names
        )
        print(f"  {label}: seconds computing, by kind: {parts}", flush=True)
    return out


def filter_runs(con: duckdb.DuckDBPyConnection, runs: int) -> list[tuple]:
    reps = [
        r[0]
        for r in con.execute(
            "select sales_rep from orders where sales_rep is not null "
            "group by 1 order by count(*) desc limit 4"
        ).fetchall()
    ]
    region, channel = con.execute(
        "select region, channel from orders group by all order by count(*) desc limit 1"
    ).fetchone()
    scopes = [Scope(sales_reps=(rep,)) for rep in reps]
    scopes.append(Scope(regions=(region,), channels=(channel,)))
    forecast.filter_forecast(con, scopes[0])  # the worker pool starts once per process
    out = []
    for _ in range(runs):
        for scope in scopes:
            _, wall, cpu, load = timed(lambda s=scope: forecast.filter_forecast(con, s))
            out.append((wall, cpu, load))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, action="append", help="store(s) to measure")
    parser.add_argument("--before-src", type=Path, help="checkout of the code before")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default="cold,refresh,filter")
    args = parser.parse_args()
    cases = args.cases.split(",")
    stores = args.db or []
    if not stores:
        tmp = Path(tempfile.mkdtemp()) / "demo.duckdb"
        con = db.connect(tmp)
        ingest.seed_demo(con, load_day=date.today())
        con.close()
        stores = [tmp]
    print("| case | wall s | CPU s | load | runs |\n|---|---|---|---|---|")
    for path in stores:
        name = path.name
        db.connect(path).close()  # migrations (the stored results table) before reading
        if "cold" in cases:
            if args.before_src:
                before = [cold_run(path, args.before_src) for _ in range(args.runs)]
                print(median_row(f"{name}: cold forecast, before", before), flush=True)
            after = [cold_run(path, ROOT) for _ in range(args.runs)]
            print(median_row(f"{name}: cold forecast, after", after), flush=True)
        if "refresh" in cases:
            for label, rows in refresh_runs(path, args.runs).items():
                print(median_row(f"{name}: forecasts step, {label}", rows), flush=True)
        con = duckdb.connect(str(path), read_only=True)
        if "filter" in cases:
            rows = filter_runs(con, args.runs)
            print(median_row(f"{name}: filter forecast on demand", rows), flush=True)
            print(f"  slowest of {len(rows)}: {max(r[0] for r in rows):.1f} s", flush=True)
        con.close()


if __name__ == "__main__":
    main()
