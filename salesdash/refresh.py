"""The refresh step: everything derived from the data, built once per data version by the writer.

After a writer commits a change (a load, an undo, a target edit), ``run`` brings the derived data
of the working database up to date, step by step, each in its own transaction:

1. ``rollups``: the rollup tables, by the parts the batches since the last refresh marked
   (salesdash/rollups.py);
2. ``forecasts``: the forecasts, backtests and sample paths every page shows by default, stored
   by their inputs (salesdash/stored.py) — the Forecast page's hierarchy at each grain and its
   near term (history alone and the pipeline blend, with their backtest), and the progress of
   every target on the last day of data, with the Executive page's summary and outlook for the
   company and each region; and the log of what this data version forecasts for its year, which
   the Forecast page explains the next version's change against (salesdash/forecast/explain.py);
3. ``alerts``: every rule of the Watch page on the new data (salesdash/alerts/), with the
   intervals it compares against stored like the forecasts.

Each step records the data version it finished for (table ``refresh_state``). A step killed
half-way leaves nothing half-done and runs again on the next refresh; a step already up to date
is skipped. Pages then read what the steps stored from the published snapshot (salesdash/store.py)
and compute nothing heavy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from salesdash import alerts, dataset, db, forecast, rollups, smart, stored, targets
from salesdash.scope import Scope

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class RefreshReport:
    """What one refresh did: the data version, and the seconds of each step that ran."""

    data_version: str
    seconds: dict[str, float] = field(default_factory=dict)
    computed: int = 0  # stored results that had to be computed (not found from an earlier one)


def warm_forecasts(con: duckdb.DuckDBPyConnection, as_of: date | None) -> None:
    """Compute what the Forecast, Targets and Executive pages show by default, as they ask for it
    (same functions, same arguments), so that ``stored.recording`` keeps every fit they need.
    ``as_of``: the last day the data covers (``targets.last_covered_day``, the pages' default)."""
    for freq in forecast.FREQS:
        forecast.hierarchy_forecast(con, Scope(), freq=freq, as_of=as_of)
    forecast.near_term(con, Scope(), as_of=as_of)
    if as_of is None:
        return
    everything = Scope()
    smart.assess_targets(con, everything, as_of=as_of)
    targets.executive_summary(con, everything, as_of=as_of)
    targets.year_outlook(con, everything, as_of=as_of)
    for region in dataset.filter_choices(con, everything)["region"]:
        targets.year_outlook(
            con, everything, as_of=as_of, target_scope="region", target_value=region
        )


def _rollups(con: duckdb.DuckDBPyConnection, version: str) -> int:
    with db.transaction(con):
        rollups.refresh(con, rollups.pending(con))
    return 0


def _forecasts(con: duckdb.DuckDBPyConnection, version: str) -> int:
    with db.transaction(con), stored.recording(con, version) as recorder:
        warm_forecasts(con, targets.last_covered_day(con))
        forecast.log_projection(con, version)
    return recorder.computed


def _alerts(con: duckdb.DuckDBPyConnection, version: str) -> int:
    with stored.recording(con, version) as recorder:  # the alerts are saved in one transaction
        alerts.refresh(con)
    return recorder.computed


# The steps in order: name, and the function that brings its part up to date for a version.
STEPS: tuple[tuple[str, Callable[[duckdb.DuckDBPyConnection, str], int]], ...] = (
    ("rollups", _rollups),
    ("forecasts", _forecasts),
    ("alerts", _alerts),
)


def run(con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None) -> RefreshReport:
    """Bring every derived table of the working database ``con`` up to date; skip what already
    is. Rollups always apply the marks that are pending (none: nothing to do)."""
    report = progress or (lambda _f, _s: None)
    version = dataset.data_version(con)
    if db.is_empty(con) and rollups.pending(con) is rollups.Change.NONE:
        return RefreshReport(version)  # a new store: nothing is derived from nothing
    done = dict(con.execute("select step, data_version from refresh_state").fetchall())
    seconds: dict[str, float] = {}
    computed = 0
    for i, (name, step) in enumerate(STEPS):
        pending_rollups = name == "rollups" and rollups.pending(con) is not rollups.Change.NONE
        if done.get(name) == version and not pending_rollups:
            continue
        report(i / len(STEPS), name)
        start = time.perf_counter()
        computed += step(con, version)
        seconds[name] = time.perf_counter() - start
        con.execute(
            "insert or replace into refresh_state values (?, ?, ?, ?)",
            [name, version, seconds[name], datetime.now()],
        )
    if seconds:
        stored.forget_unused(con, version)
    report(1.0, "refreshed")
    return RefreshReport(version, seconds, computed)


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when every step is up to date with the data (nothing for ``run`` to do)."""
    version = dataset.data_version(con)
    done = dict(con.execute("select step, data_version from refresh_state").fetchall())
    pending = rollups.pending(con) is not rollups.Change.NONE
    return not pending and all(done.get(name) == version for name, _ in STEPS)
