"""The forecast of the rest of a period: sample paths of whole months, and the parts of months
inside the period weighed by their seasonal share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash import dataset, stored
from salesdash.periods import add_months, month_end, month_start
from salesdash.scope import Scope
from salesdash.targets.data import SUM_OF_REGIONS, daily_metric, daily_series
from salesdash.targets.pacing import pacing_curve, share_between

# Sample paths per series: 1000 gives P(hit) to about ±1.5 percentage points (one s.e. at 50%).
N_PATHS = 1000
# Paths are drawn for whole years of months (12, 24 …) and cut to the months asked for, so the
# quarter's and the year's targets of one series, and its year outlook, share one stored draw.
MONTHS_SIMULATED = 12
# Below this many complete months there is no forecast worth its name (one year and a quarter:
# one seasonal cycle plus a few months to see the trend).
MIN_MONTHS_FOR_FORECAST = 15

Simulator = Callable[..., np.ndarray]


def default_simulator(con: duckdb.DuckDBPyConnection | None = None) -> Simulator:
    """The forecast's sample paths; with ``con``, the paths the refresh step stored for that
    database (salesdash/stored.py), computed only when none are stored for this history."""
    from salesdash.forecast import simulate_paths

    if con is None:
        return simulate_paths

    def stored_paths(history: pd.Series, horizon: int, **kw: object) -> np.ndarray:
        inputs = (history.round(stored.DECIMALS), horizon, *sorted(kw.items()))
        return stored.remembered(
            con,
            "month_paths",
            inputs,
            lambda: simulate_paths(history.round(stored.DECIMALS), horizon, **kw),
        )

    return stored_paths


def monthly_history(daily: pd.Series, data_start: date, as_of: date) -> pd.Series:
    """Complete months of the metric before ``as_of``'s month (or through it, on its last day).

    The first month counts only when the data starts on its first day.
    """
    first = data_start if data_start.day == 1 else add_months(data_start, 1)
    last = month_start(as_of) if as_of != month_end(as_of) else add_months(as_of, 1)
    if first >= last:
        return pd.Series(dtype=float)
    sums = daily[pd.Timestamp(first) : pd.Timestamp(last - timedelta(days=1))]
    monthly = sums.groupby(sums.index.to_period("M")).sum()
    monthly.index = monthly.index.to_timestamp()
    return monthly.astype(float)


@dataclass(frozen=True)
class MonthPaths:
    """Sample paths of whole months: ``paths[:, i]`` is the metric of ``months[i]``."""

    months: tuple[date, ...]
    paths: np.ndarray


def simulate_months(
    history: pd.Series,
    first_month: date,
    last_month: date,
    simulate: Simulator | None = None,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> MonthPaths | None:
    """Paths from ``first_month`` to ``last_month`` (the months right after ``history``), drawn
    by ``simulate`` (None: ``default_simulator(con)``, the paths stored in ``con``).

    Months cannot sell less than nothing, so paths are clipped at 0. Returns None when the
    history is too short to forecast.
    """
    if len(history) < MIN_MONTHS_FOR_FORECAST or last_month < first_month:
        return None
    months = []
    m = first_month
    while m <= last_month:
        months.append(m)
        m = add_months(m, 1)
    horizon = MONTHS_SIMULATED * -(-len(months) // MONTHS_SIMULATED)
    simulate = simulate or default_simulator(con)
    paths = np.asarray(simulate(history, horizon, freq="M", n_paths=n_paths, seed=seed))
    paths = paths[:, : len(months)]
    if np.isnan(paths).any():  # the forecast found the series too thin
        return None
    return MonthPaths(tuple(months), np.clip(paths, 0.0, None))


def forecast_months(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    metric: str,
    history: pd.Series,
    last_month: date,
    *,
    rights: Scope,
    as_of: date,
    data_start: date,
    history_end: date,
    simulate: Simulator | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> MonthPaths | None:
    """Paths of the months after ``history`` (complete months of one target scope's metric)
    through ``last_month``: the forecast of that history — or, for a ``SUM_OF_REGIONS`` row over
    several regions, the sum of each region's own paths (the ones the regions' rows use, stored
    by the refresh), joined with the dependence the stored hierarchy forecast found between the
    regions (``summed_paths``): no fit of the sum on page view, and the total agrees with its
    parts."""
    first_month = (history.index[-1] + pd.offsets.MonthBegin(1)).date()
    regions = dataset.filter_choices(con, rights)["region"] if kind == SUM_OF_REGIONS else []
    if len(regions) < 2:
        return simulate_months(
            history, first_month, last_month, simulate, con=con, n_paths=n_paths, seed=seed
        )
    parts = []
    for region in regions:
        frame = daily_metric(con, "region", region, metric, as_of=as_of, scope=rights)
        daily = daily_series(frame, data_start, max(as_of, data_start))
        paths = simulate_months(
            monthly_history(daily, data_start, history_end),
            first_month,
            last_month,
            simulate,
            con=con,
            n_paths=n_paths,
            seed=seed,
        )
        if paths is None:  # a region too thin to forecast: so is any sum with it
            return None
        parts.append(paths)
    return summed_paths(parts, region_ranks(con, regions))


def summed_paths(parts: list[MonthPaths], ranks: np.ndarray | None) -> MonthPaths:
    """The path-wise sum of several series' month paths, each series' paths first put in the
    order ``ranks`` gives (the Schaake shuffle): ``ranks[:, h, j]`` is the rank, among all paths,
    of path i of series j at step h in a joint forecast of the series (steps past its horizon
    take its last). Each series keeps its own distribution; the sum gets the joint forecast's
    dependence. Without ``ranks`` (or with another number of paths) the paths are summed as
    drawn: the forecast draws every series from the same seed, so they move together — the
    widest, most cautious range."""
    total = np.zeros_like(parts[0].paths)
    if ranks is not None and ranks.shape[0] != total.shape[0]:
        ranks = None
    for j, part in enumerate(parts):
        paths = part.paths
        if ranks is not None:
            steps = np.minimum(np.arange(paths.shape[1]), ranks.shape[1] - 1)
            paths = np.take_along_axis(np.sort(paths, axis=0), ranks[:, steps, j], axis=0)
        total += paths
    return MonthPaths(parts[0].months, total)


def region_ranks(con: duckdb.DuckDBPyConnection, regions: list[str]) -> np.ndarray | None:
    """Ranks (paths × months × regions) of ``regions``' reconciled paths in the stored monthly
    forecast of the hierarchy (the one the refresh step keeps); None when a region is not in it."""
    from salesdash import forecast

    fit = forecast.select(forecast.hierarchy_forecast(con, Scope(), freq="M"), "region")
    index = {uid: i for i, (_, uid) in enumerate(fit.keys)}
    if not all(r in index for r in regions) or fit.paths.size == 0:
        return None
    paths = fit.paths[:, :, [index[r] for r in regions]]
    return np.argsort(np.argsort(paths, axis=0, kind="stable"), axis=0, kind="stable")


def rest_weights(
    months: tuple[date, ...],
    daily: pd.Series,
    *,
    first: date,
    last: date,
    data_start: date,
    data_end: date,
) -> np.ndarray:
    """The share of each of ``months``' metric that falls inside [first, last]: 1 for a whole
    month, the seasonal share of that calendar month for a part of one, 0 outside."""
    weights = np.zeros(len(months))
    for i, m in enumerate(months):
        lo, hi = max(first, m), min(last, month_end(m))
        if lo > hi:
            continue
        if lo == m and hi == month_end(m):
            weights[i] = 1.0
        else:
            curve, _ = pacing_curve(
                daily, m, month_end(m), data_start=data_start, data_end=data_end
            )
            weights[i] = share_between(curve, lo, hi)
    return weights


def rest_of_period(
    month_paths: MonthPaths,
    daily: pd.Series,
    *,
    first: date,
    last: date,
    data_start: date,
    data_end: date,
) -> np.ndarray:
    """Sample paths of the metric over [first, last]: whole months, and parts of months weighed
    by the seasonal share of that calendar month falling in the part (``rest_weights``)."""
    weights = rest_weights(
        month_paths.months,
        daily,
        first=first,
        last=last,
        data_start=data_start,
        data_end=data_end,
    )
    return month_paths.paths @ weights


def with_near_term(
    month_paths: MonthPaths, months: tuple[date, ...], paths: np.ndarray
) -> MonthPaths:
    """``month_paths`` with each of ``months`` drawn from ``paths`` (n_paths, len(months))
    instead: the pipeline blend's months where it is the near term's default. Sales cannot be
    negative, so the paths are clipped at 0 as ``simulate_months`` clips its own."""
    out = month_paths.paths.copy()
    n = min(len(out), len(paths))
    for j, m in enumerate(months):
        if m in month_paths.months:
            out[:n, month_paths.months.index(m)] = np.clip(paths[:n, j], 0.0, None)
    return MonthPaths(month_paths.months, out[:n])
