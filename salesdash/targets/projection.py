"""The forecast of the rest of a period: sample paths of whole months, and the parts of months
inside the period weighed by their seasonal share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash import stored
from salesdash.periods import add_months, month_end, month_start
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
