"""Forecasts of revenue executives can trust: accurate, coherent, with honest intervals.

The pieces (all long format ``unique_id, ds, y``):
- ``series``: complete-period sales of the hierarchy (total, regions, channels, categories) from the
  database; the data's grain; the partial current period kept apart; Chinese New Year regressors.
- ``models``: statsmodels forecasters (ETS on logs and on sales, a small ARIMA search, Theta,
  seasonal naive) and the default ensemble, with guards against non-finite or exploding forecasts.
- ``parallel``: fits on worker processes, one BLAS thread each.
- ``hierarchy`` / ``reconcile``: all series at once, correlated sample paths, made coherent.
- ``backtest``: rolling-origin accuracy (MASE, MAPE, sMAPE, interval coverage) at origins anchored
  to the calendar, and the ranges' widths calibrated per level.
- ``pipeline``: the near term from open deals (stage win rates, slippage), blended with history.
- ``nearterm``: the near term the pages show, history alone or the blend, whichever won the
  backtest.
- ``scenario``: what-if on the reconciled sample paths.

``hierarchy_forecast`` is what the refresh step stores and the page and the CLI read;
``filter_forecast`` is fitted on demand for a filter no stored level covers; ``select`` cuts out
one level for display.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from salesdash import stored
from salesdash.forecast.backtest import (
    BACKTEST_PATHS,
    accuracy,
    backtest_frame,
    calibrate_widths,
    coverage_by_level,
    origin_frames,
)
from salesdash.forecast.explain import ProjectionChange, explain_change, log_projection
from salesdash.forecast.hierarchy import (
    DEFAULT_RECONCILER,
    HierarchyFit,
    fit_hierarchies,
    fit_hierarchy,
    interval_frame,
    with_widths,
)
from salesdash.forecast.models import (
    DEFAULT_METHOD,
    MIN_PERIODS,
    forecast_series,
    simulate_paths,
)
from salesdash.forecast.nearterm import NearTerm, near_term
from salesdash.forecast.reconcile import round_coherent
from salesdash.forecast.regions import fitted_on_demand, levels_for, regions_forecast
from salesdash.forecast.scenario import Change, scenario_deltas, what_if
from salesdash.forecast.series import (
    FREQS,
    LEVELS,
    Grain,
    data_grain,
    hierarchy_sales,
    hierarchy_series,
    partial_actuals,
    sales_series,
    series_choices,
)
from salesdash.scope import Scope

__all__ = [
    "DEFAULT_HORIZON",
    "FREQS",
    "LEVELS",
    "Grain",
    "HierarchyForecast",
    "ProjectionChange",
    "covering_series",
    "explain_change",
    "log_projection",
    "scope_forecast",
    "data_grain",
    "filter_forecast",
    "Change",
    "NearTerm",
    "near_term",
    "scenario_deltas",
    "what_if",
    "forecast_series",
    "forecast_view",
    "hierarchy_forecast",
    "hierarchy_series",
    "levels_for",
    "partial_actuals",
    "sales_series",
    "select",
    "series_choices",
    "simulate_paths",
]

# A year ahead in months; half a year in weeks (weekly detail further out is noise).
DEFAULT_HORIZON = {"M": 12, "W": 26}
MAX_HORIZON = {"M": 36, "W": 104}


@dataclass(frozen=True)
class HierarchyForecast:
    """Forecast, history and backtest accuracy of every series of a hierarchy.

    Attributes:
        freq, horizon, as_of: grain, periods ahead, last day of data used.
        history: level, unique_id, ds, y — complete periods the models saw.
        partial: level, unique_id, ds, y, as_of — the current, incomplete period (not fitted).
        forecast: level, unique_id, ds, yhat, yhat-lo-80, yhat-hi-80, yhat-lo-95, yhat-hi-95 —
            reconciled (regions, channels and categories each sum to the total to the cent);
            series too thin to forecast have no rows.
        accuracy: level, unique_id, mase, mase_seasonal_naive, mape, smape, coverage_80,
            coverage_95, n_origins — rolling-origin backtest of the same method.
        series: level, unique_id, status (ok|short|fallback|too_thin), model, n_periods.
        keys, paths: (level, unique_id) per series and reconciled sample paths of shape
            (n_paths, horizon, len(keys)) — for the probability of reaching a target.
        coverage: level, width, coverage_80, coverage_95, n_points — per level of the hierarchy,
            the factor its ranges were widened (>1) or narrowed (<1) by so that the backtest's
            80% ranges hold 80% of actuals, and what they held with it.
        grain: what a row of the data is (order lines, daily, weekly or monthly totals) and the
            days it covers (None without data); see ``series.data_grain``.
    """

    freq: str
    horizon: int
    as_of: date | None
    history: pd.DataFrame
    partial: pd.DataFrame
    forecast: pd.DataFrame
    accuracy: pd.DataFrame
    series: pd.DataFrame
    keys: tuple[tuple[str, str], ...]
    paths: np.ndarray
    coverage: pd.DataFrame
    grain: Grain | None


def _empty_forecast(freq: str, horizon: int, as_of, history, partial, grain) -> HierarchyForecast:
    cols = ["level", "unique_id", "ds", "yhat"]
    return HierarchyForecast(
        freq,
        horizon,
        as_of,
        history,
        partial,
        pd.DataFrame(columns=cols),
        accuracy(pd.DataFrame(columns=["level", "unique_id", "cutoff", "y", "yhat"])),
        pd.DataFrame(columns=["level", "unique_id", "status", "model", "n_periods"]),
        (),
        np.zeros((0, horizon, 0)),
        pd.DataFrame(columns=["level", "width", "coverage_80", "coverage_95", "n_points"]),
        grain,
    )


def hierarchy_forecast(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    freq: str = "M",
    horizon: int | None = None,
    as_of: date | None = None,
    n_paths: int = 1000,
    seed: int = 0,
) -> HierarchyForecast:
    """Forecast the total and every region, channel and category in ``scope``, and backtest it.

    Args:
        scope: filters (regions, channels …); the date range is ignored, all history is used.
            A user who may see only some regions gets them, and their sum as the total, cut
            from the company's stored forecast (``regions.regions_forecast``); a rep, or a
            further filter of a restricted user, gets ``filter_forecast`` of it.
        freq: "M" or "W"; horizon: periods ahead (default 12 months / 26 weeks).
        as_of: last day of data (default: the last day the data covers); its period, if partial,
            is not fitted.

    Returns:
        A HierarchyForecast (see its attributes); ranges calibrated per level on the backtest.
        Deterministic for a given ``seed``. The result is stored (``stored.remembered``), and so
        is each fit inside it (the forecast's and each backtest origin's, keyed by its training
        data): a new month refits the history, and the backtest only at a new origin.
    """
    options = {"freq": freq, "horizon": horizon, "as_of": as_of, "n_paths": n_paths, "seed": seed}
    if scope.restricted:
        if fitted_on_demand(scope):
            return filter_forecast(con, scope, **options)
        return regions_forecast(
            hierarchy_forecast(con, Scope(), **options), scope.effective_regions()
        )
    horizon = _horizon(freq, horizon)
    history, partial, as_of_used, grain = hierarchy_sales(con, scope, freq=freq, as_of=as_of)
    history = stored.rounded(history)
    if history.empty or not (history["level"] == "total").any():
        return _empty_forecast(freq, horizon, as_of_used, history, partial, grain)

    def remembered_fits(frames: list[tuple[pd.DataFrame, int]]) -> list[HierarchyFit]:
        return [
            stored.remembered(
                con,
                "hierarchy_fit",
                (frame, freq, horizon, n, seed),
                lambda f=frame, n=n: fit_hierarchy(
                    f, freq=freq, horizon=horizon, n_paths=n, seed=seed
                ).slim(),
            )
            for frame, n in frames
        ]

    fitted = stored.remembered(
        con,
        "hierarchy_forecast",
        (history, freq, horizon, n_paths, seed),
        lambda: _fit_and_backtest(history, freq, horizon, n_paths, remembered_fits),
    )
    return HierarchyForecast(freq, horizon, as_of_used, history, partial, *fitted, grain)


# Backtest origins of a filter's forecast: two (the latest quarter starts) keep it within the
# 2 s a page may take on demand; its accuracy is said with that count.
FILTER_ORIGINS = 2


def filter_forecast(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    freq: str = "M",
    horizon: int | None = None,
    as_of: date | None = None,
    n_paths: int = 1000,
    seed: int = 0,
) -> HierarchyForecast:
    """Forecast the revenue of any filter (one rep, one product, a region × channel cell) on
    demand: the scope's total alone, fitted like a stored series, backtested at
    ``FILTER_ORIGINS`` origins, every fit in one parallel batch.

    Honest when history is thin: under ``MIN_PERIODS`` complete periods the series is "too_thin"
    and gets no forecast (the history and partial period are still there to draw); under two
    seasons it is "short" and the simpler models are used. Its ranges are the model's own, not
    calibrated (a few backtest points would calibrate noise); their backtest coverage is in
    ``accuracy`` and ``coverage``. Same arguments and result as ``hierarchy_forecast``, with one
    series, "total". Nothing is stored: the caller caches it per data version.
    """
    horizon = _horizon(freq, horizon)
    history, partial, as_of_used, grain = hierarchy_sales(
        con, scope, freq=freq, as_of=as_of, total_only=True
    )
    history = stored.rounded(history)
    if history.empty:
        return _empty_forecast(freq, horizon, as_of_used, history, partial, grain)

    def batch(frames: list[tuple[pd.DataFrame, int]]) -> list[HierarchyFit]:
        fits = fit_hierarchies(frames, freq=freq, horizon=horizon, seed=seed)
        return [fit.slim() for fit in fits]

    fitted = _fit_and_backtest(
        history, freq, horizon, n_paths, batch, calibrate=False, n_origins=FILTER_ORIGINS
    )
    return HierarchyForecast(freq, horizon, as_of_used, history, partial, *fitted, grain)


def _horizon(freq: str, horizon: int | None) -> int:
    horizon = horizon or DEFAULT_HORIZON.get(freq, 12)
    if not 1 <= horizon <= MAX_HORIZON.get(freq, 36):
        raise ValueError(f"horizon must be 1–{MAX_HORIZON.get(freq, 36)} periods, not {horizon}")
    return horizon


def _fit_and_backtest(
    history: pd.DataFrame,
    freq: str,
    horizon: int,
    n_paths: int,
    fits_of: Callable[[list[tuple[pd.DataFrame, int]]], list[HierarchyFit]],
    *,
    calibrate: bool = True,
    n_origins: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple, np.ndarray, pd.DataFrame]:
    """The heavy part of a forecast: forecast, accuracy, series, keys, paths and coverage.

    ``fits_of`` fits (or finds) the hierarchy of each (frame, n_paths): the history's and each
    backtest origin's. With ``calibrate`` the ranges are widened or narrowed per level
    (``backtest.calibrate_widths``).
    """
    trains = origin_frames(history, freq=freq, horizon=horizon, n_origins=n_origins)
    base, *fits = fits_of([(history, n_paths)] + [(t, BACKTEST_PATHS) for _, t in trains])
    origins = [(cut, fit) for (cut, _), fit in zip(trains, fits, strict=True)]
    widths = calibrate_widths(history, origins, freq=freq) if calibrate else {}
    fit = with_widths(base, widths)
    backtest = backtest_frame(
        history, [(cut, with_widths(f, widths)) for cut, f in origins], freq=freq
    )
    coverage = coverage_by_level(backtest)
    coverage.insert(1, "width", coverage["level"].map(widths).fillna(1.0))
    means = round_coherent(fit.mean, fit.keys)
    frame = interval_frame(fit.keys, fit.ds, fit.paths, means)
    thin_keys = {key for key, f in zip(fit.keys, fit.fits, strict=True) if f.status == "too_thin"}
    thin = [key in thin_keys for key in zip(frame["level"], frame["unique_id"], strict=True)]
    counts = history.groupby(["level", "unique_id"], sort=False).size()
    series = pd.DataFrame(
        {
            "level": [k[0] for k in fit.keys],
            "unique_id": [k[1] for k in fit.keys],
            "status": [f.status for f in fit.fits],
            "model": [f.model for f in fit.fits],
            "n_periods": [int(counts[k]) for k in fit.keys],
        }
    )
    return (
        frame[~np.array(thin, dtype=bool)].reset_index(drop=True),
        accuracy(backtest),
        series,
        tuple(fit.keys),
        fit.paths,
        coverage,
    )


def select(
    result: HierarchyForecast, by: str | None = None, unique_id: str | None = None
) -> HierarchyForecast:
    """One level of a forecast: the total (``by`` None), or each region, channel or category;
    with ``unique_id``, that one series of the level alone."""
    level = by or "total"
    if level not in LEVELS:
        raise ValueError(f"unknown series level '{level}' (use one of {', '.join(LEVELS)})")
    index = [
        i for i, key in enumerate(result.keys) if key[0] == level and unique_id in (None, key[1])
    ]

    def cut(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        keep = frame["level"] == level
        if unique_id is not None and "unique_id" in frame:
            keep &= frame["unique_id"] == unique_id
        return frame[keep].drop(columns="level").reset_index(drop=True)

    return replace(
        result,
        history=cut(result.history),
        partial=cut(result.partial),
        forecast=cut(result.forecast),
        accuracy=cut(result.accuracy),
        series=cut(result.series),
        coverage=cut(result.coverage),
        keys=tuple(result.keys[i] for i in index),
        paths=result.paths[:, :, index],
    )


@dataclass(frozen=True)
class SeriesSummary:
    """What the page says beside one series' chart.

    Attributes:
        status: ok | short | fallback | too_thin; model: the model(s) used.
        n_periods / min_periods: complete periods of history, and the least that gets a forecast.
        mase, mase_seasonal_naive, mape, coverage_80, n_origins: backtest (None when untested).
        beats_seasonal_naive: the method's MASE is below seasonal naive's on the same test.
    """

    status: str
    model: str
    n_periods: int
    min_periods: int
    mase: float | None
    mase_seasonal_naive: float | None
    mape: float | None
    coverage_80: float | None
    n_origins: int
    beats_seasonal_naive: bool | None


def series_summary(result: HierarchyForecast, unique_id: str) -> SeriesSummary:
    """Status, model and backtest accuracy of one series of a (selected) forecast."""
    row = result.series[result.series["unique_id"] == unique_id].iloc[0]
    acc = result.accuracy[result.accuracy["unique_id"] == unique_id]

    def value(column: str) -> float | None:
        if acc.empty or pd.isna(acc[column].iloc[0]):
            return None
        return float(acc[column].iloc[0])

    mase, naive = value("mase"), value("mase_seasonal_naive")
    return SeriesSummary(
        status=str(row["status"]),
        model=str(row["model"]),
        n_periods=int(row["n_periods"]),
        min_periods=MIN_PERIODS[result.freq],
        mase=mase,
        mase_seasonal_naive=naive,
        mape=value("mape"),
        coverage_80=value("coverage_80"),
        n_origins=0 if acc.empty else int(acc["n_origins"].iloc[0]),
        beats_seasonal_naive=None if mase is None or naive is None else mase < naive,
    )


def covering_series(scope: Scope) -> tuple[str, str] | None:
    """The series of the whole company's hierarchy whose revenue is exactly ``scope``'s: the
    total without any filter, a region, channel or category when one alone is chosen (the regions
    a user may see count as chosen). None for anything else: a rep, a product, two regions, a
    region × channel cell."""
    chosen = {
        "region": scope.effective_regions(),
        "channel": scope.channels,
        "category": scope.categories,
        "sales_rep": scope.sales_reps,
        "product": scope.products,
    }
    picked = [(level, values) for level, values in chosen.items() if values]
    if not picked:
        return ("total", "total")
    if len(picked) == 1 and picked[0][0] in LEVELS and len(picked[0][1]) == 1:
        return (picked[0][0], picked[0][1][0])
    return None


def scope_forecast(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    freq: str = "M",
    horizon: int | None = None,
) -> HierarchyForecast:
    """The forecast of ``scope``'s revenue, one series (``select``-ed: no level column): cut from
    the whole company's stored hierarchy where one of its series is exactly the scope
    (``covering_series``), else fitted on demand (``filter_forecast``, unique_id "total")."""
    series = covering_series(scope)
    if series is None:
        return select(filter_forecast(con, scope, freq=freq, horizon=horizon))
    level, uid = series
    return select(hierarchy_forecast(con, Scope(), freq=freq, horizon=horizon), level, uid)


def forecast_view(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    by: str | None = None,
    freq: str = "M",
    horizon: int | None = None,
    as_of: date | None = None,
) -> HierarchyForecast:
    """The forecast of one level (what the page shows and the CLI prints)."""
    return select(hierarchy_forecast(con, scope, freq=freq, horizon=horizon, as_of=as_of), by)


__all__ += [
    "DEFAULT_METHOD",
    "DEFAULT_RECONCILER",
    "MIN_PERIODS",
    "SeriesSummary",
    "series_summary",
]
