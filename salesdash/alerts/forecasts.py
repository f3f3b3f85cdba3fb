"""The two forecasts the rules need, each behind one small function.

- ``interval_before``: what the forecast made *before* a period said about it (median and 95%
  interval of every series of the hierarchy), for "revenue out of range".
- ``target_outlooks``: every running target's distribution of the period's total (actual to date
  plus sample paths of the rest), for "target pace" and for what any risk does to the chance of
  hitting a target.

Both go through the stored results (salesdash/stored.py): a target's month paths are the ones
the refresh step's forecasts stored for the Targets page (nothing is fitted again), and an
interval is fitted once per history and kept when the refresh step records it
(``stored.recording``), found by every later refresh whose history before the period is the
same. The rules only see
the ``ForecastSource`` protocol, so a test or a replay can hand them other forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Protocol

import duckdb
import numpy as np
import pandas as pd

from salesdash import dataset, forecast, stored, targets
from salesdash.forecast.hierarchy import fit_hierarchy
from salesdash.forecast.models import forecast_series
from salesdash.periods import month_start, period_kind
from salesdash.scope import Scope

INTERVAL_COLUMNS = ["level", "unique_id", "median", "lo95", "hi95"]
# Part of a stored interval's inputs: raise it when ``FittingSource._fit`` changes, so an interval
# stored by the old code is not found (salesdash/stored.py keys on the forecast code only).
INTERVAL_CODE = 1


@dataclass(frozen=True)
class TargetOutlook:
    """A running target and the distribution of its period's total on ``as_of``.

    ``totals`` holds one sample total per forecast path (actual to date + the rest of the
    period); ``p_hit`` is the share reaching ``target``; ``label`` names it across languages:
    "East · revenue · 2026-Q2".
    """

    scope: str
    scope_value: str
    metric: str
    period_start: date
    period_end: date
    target: float
    actual: float
    days_left: int
    totals: np.ndarray = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        # sorted once: P(hit) if an amount is lost is then a binary search, not a pass
        object.__setattr__(self, "_sorted", np.sort(self.totals))
        who = self.scope_value or self.scope
        object.__setattr__(self, "label", " · ".join((who, self.metric, self.period_label)))

    @property
    def key(self) -> str:
        parts = (self.scope, self.scope_value, self.metric, self.period_start, self.period_end)
        return "|".join(str(p) for p in parts)

    @property
    def period_label(self) -> str:
        """2026, 2026-Q2, 2026-04, or the two days of another period."""
        start, end = self.period_start, self.period_end
        kind = period_kind(start, end)
        if kind == "year":
            return str(start.year)
        if kind == "quarter":
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if kind == "month":
            return f"{start:%Y-%m}"
        return f"{start}–{end}"

    @property
    def p_hit(self) -> float:
        return float(self.p_hit_without(0.0))

    @property
    def projection(self) -> float:
        return float(np.median(self.totals))

    def p_hit_without(self, amount: float | np.ndarray) -> float | np.ndarray:
        """The chance of hitting if ``amount`` of the rest of the period does not come (an
        array of amounts gives an array of chances)."""
        n = len(self._sorted)
        reached = n - np.searchsorted(self._sorted, np.add(self.target, amount), side="left")
        return reached / n if np.ndim(reached) else float(reached / n)


class ForecastSource(Protocol):
    def interval_before(
        self, con: duckdb.DuckDBPyConnection, freq: str, period_start: date
    ) -> pd.DataFrame: ...

    def target_outlooks(
        self, con: duckdb.DuckDBPyConnection, as_of: date
    ) -> list[TargetOutlook]: ...


@dataclass(frozen=True)
class FittingSource:
    """Forecasts fitted on demand with the forecast module (``method``: its default ensemble, or
    one member, e.g. "theta" for a quick replay)."""

    method: str = forecast.DEFAULT_METHOD
    n_paths: int = 1000
    seed: int = 0

    def interval_before(
        self, con: duckdb.DuckDBPyConnection, freq: str, period_start: date
    ) -> pd.DataFrame:
        """The forecast of the period starting ``period_start`` made from the complete periods
        before it, for every series of the hierarchy.

        Returns:
            level, unique_id, median, lo95, hi95 (one row per series with a forecast).
        """
        history = forecast.hierarchy_series(
            con, Scope(), freq=freq, as_of=period_start - timedelta(days=1)
        )
        if history.empty or history["ds"].max() != pd.Timestamp(period_start) - _step(freq):
            return pd.DataFrame(columns=INTERVAL_COLUMNS)
        history = stored.rounded(history)
        inputs = (INTERVAL_CODE, history, freq, self.method, self.n_paths, self.seed)
        return stored.remembered(con, "alert_interval", inputs, lambda: self._fit(history, freq))

    def _fit(self, history: pd.DataFrame, freq: str) -> pd.DataFrame:
        fit = fit_hierarchy(
            history, freq=freq, horizon=1, method=self.method, n_paths=self.n_paths, seed=self.seed
        )
        rows = []
        for i, (level, uid) in enumerate(fit.keys):
            if fit.fits[i].status == "too_thin":
                continue
            lo, hi = np.percentile(fit.paths[:, 0, i], [2.5, 97.5])
            median = float(fit.mean[0, i])
            rows.append((level, uid, median, min(lo, median), max(hi, median)))
        return pd.DataFrame(rows, columns=INTERVAL_COLUMNS)

    def target_outlooks(self, con: duckdb.DuckDBPyConnection, as_of: date) -> list[TargetOutlook]:
        """Every target of an additive metric running on ``as_of`` (started, not ended) whose
        scope has history enough for a forecast, with the sample totals of its period — the same
        paths and arithmetic as the Targets page's P(hit) (``targets.target_progress``)."""
        data_start, data_end = dataset.order_date_range(con)
        if data_start is None:
            return []
        data_end = min(data_end, as_of)
        current = targets.current_targets(con, Scope())
        running = current[
            current["metric"].isin(targets.ADDITIVE_METRICS)
            & (current["period_start"] <= as_of)
            & (current["period_end"] > as_of)
        ]
        # the ensemble's month paths are the ones the refresh step stored for the Targets page
        simulate = None if self.method == forecast.DEFAULT_METHOD else self._member()
        out = []
        for (kind, value, metric), group in running.groupby(
            ["scope", "scope_value", "metric"], sort=False
        ):
            frame = targets.daily_metric(con, kind, value, metric, as_of=as_of, scope=Scope())
            daily = targets.daily_series(frame, data_start, max(as_of, data_start))
            history = targets.monthly_history(daily, data_start, data_end)
            if not len(history):
                continue
            paths = targets.simulate_months(
                history,
                (history.index[-1] + pd.offsets.MonthBegin(1)).date(),
                month_start(max(group["period_end"])),
                simulate,
                con=con,
                n_paths=self.n_paths,
                seed=self.seed,
            )
            if paths is None:
                continue
            for row in group.itertuples(index=False):
                start = row.period_start
                actual = float(daily[pd.Timestamp(start) : pd.Timestamp(as_of)].sum())
                rest = targets.rest_of_period(
                    paths,
                    daily,
                    first=max(as_of + timedelta(days=1), start),
                    last=row.period_end,
                    data_start=data_start,
                    data_end=as_of,
                )
                out.append(
                    TargetOutlook(
                        scope=kind,
                        scope_value=value,
                        metric=metric,
                        period_start=start,
                        period_end=row.period_end,
                        target=float(row.target),
                        actual=actual,
                        days_left=(row.period_end - as_of).days,
                        totals=actual + rest,
                    )
                )
        return out

    def _member(self) -> targets.Simulator:
        return partial(_member_paths, method=self.method)


def _member_paths(
    y: pd.Series, horizon: int, *, freq: str, n_paths: int, seed: int, method: str
) -> np.ndarray:
    """``forecast.simulate_paths`` with one member of the ensemble instead of the ensemble."""
    y = y.sort_index()
    fit = forecast_series(
        y.to_numpy(dtype=float),
        y.index,
        horizon,
        freq=freq,
        method=method,
        n_paths=n_paths,
        seed=seed,
    )
    return np.full((n_paths, horizon), np.nan) if fit.status == "too_thin" else fit.paths


def _step(freq: str) -> pd.DateOffset:
    return pd.offsets.MonthBegin(1) if freq == "M" else pd.Timedelta(days=7)
