"""Rolling-origin backtest: refit at each origin, forecast, compare with what happened.

Accuracy measures (utilsforecast's definitions):
- MASE: mean absolute error over the in-sample mean absolute error of the seasonal naive forecast
  (lag one season; lag 1 when the training set is under a season and a bit). Below 1 beats
  "same as last year" in-sample.
- MAPE: mean |error| / |actual| (periods with actual 0 left out) — what a manager reads as
  "typically within ±8% a month".
- sMAPE: mean 2|error| / (|actual| + |forecast|).
- coverage: share of actuals inside the 80% / 95% intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesdash.forecast.hierarchy import (
    DEFAULT_RECONCILER,
    LEVELS_PCT,
    HierarchyFit,
    fit_hierarchies,
    with_widths,
)
from salesdash.forecast.models import CNY_DEFAULT, DEFAULT_METHOD
from salesdash.forecast.series import SEASON_LENGTH

# Origins of a long history (three horizons of room or more): three, a horizon apart (full,
# non-overlapping test years). A short one: four, a quarter of the horizon apart (three years of
# months: the starts of the last four quarters after two years of training).
N_ORIGINS = 3
N_ORIGINS_SHORT = 4
# Rounds of the splits' width calibration (the factors settle within about 1% in three).
CALIBRATION_ROUNDS = 4
# A level's width factor stays within these bounds: a factor outside them would mean the model's
# spread is wrong in kind, not in scale, and a few backtest points should not swing it further.
WIDTH_BOUNDS = (0.2, 5.0)
BANDS = {80: 0.8, 95: 0.95}
# Paths per origin: enough for the 2.5th and 97.5th percentiles the 95% ranges need, half the
# forecast's (which also gives P(hit)), since only coverage is read from them.
BACKTEST_PATHS = 500


def _period_number(ds: pd.DatetimeIndex, freq: str) -> np.ndarray:
    """Periods counted on the calendar: months since year 0, or weeks since Monday 1970-01-05."""
    ds = pd.DatetimeIndex(ds)
    if freq == "M":
        return np.asarray(ds.year * 12 + ds.month - 1)
    return np.asarray((ds - pd.Timestamp("1970-01-05")).days // 7)


def cutoffs(
    periods: pd.DatetimeIndex,
    horizon: int,
    min_train: int,
    freq: str,
    n_origins: int | None = None,
) -> list[int]:
    """Training lengths of the backtest origins, anchored to the calendar.

    Origins fall on periods whose calendar number is a multiple of the step: the horizon for a
    long history (January, for a year of months ahead), a quarter of it otherwise (the starts of
    quarters). The last ``n_origins`` such periods after ``min_train`` are used. Anchored origins
    do not move when a period is added, so the fits at the earlier origins (a pure function of
    their training data, stored by ``stored.remembered``) are reused by the next refresh; a new
    origin appears only once per step.
    """
    n = len(periods)
    room = n - min_train
    if room < 1:
        return []
    long = room >= N_ORIGINS * horizon
    step = horizon if long else max(1, horizon // 4)
    count = n_origins or (N_ORIGINS if long else N_ORIGINS_SHORT)
    numbers = _period_number(periods, freq)
    return [c for c in range(min_train, n) if numbers[c] % step == 0][-count:]


def _scale(train: np.ndarray, m: int) -> float:
    lag = m if len(train) > m + 1 else 1
    diffs = np.abs(train[lag:] - train[:-lag])
    value = float(np.mean(diffs)) if len(diffs) else float("nan")
    return value if value > 0 else float("nan")


def origin_frames(
    frame: pd.DataFrame, *, freq: str, horizon: int, n_origins: int | None = None
) -> list[tuple[int, pd.DataFrame]]:
    """(training length, training frame) of each backtest origin (``cutoffs``)."""
    periods = pd.DatetimeIndex(np.sort(frame["ds"].unique()))
    cuts = cutoffs(periods, horizon, 2 * SEASON_LENGTH[freq], freq, n_origins)
    # a fresh index: the frame is a stored fit's key (stored.remembered hashes the index too)
    return [(cut, frame[frame["ds"] < periods[cut]].reset_index(drop=True)) for cut in cuts]


def backtest_fits(
    frame: pd.DataFrame,
    *,
    freq: str,
    horizon: int,
    method: str = DEFAULT_METHOD,
    reconciler: str = DEFAULT_RECONCILER,
    n_origins: int | None = None,
    n_paths: int = BACKTEST_PATHS,
    cny: bool = CNY_DEFAULT,
) -> list[tuple[int, HierarchyFit]]:
    """The hierarchy fitted at each backtest origin: (training length, slim fit) per origin.

    Every origin forecasts the whole ``horizon`` (the test window may be shorter), so its fit
    depends on its training data alone (and can be stored and reused: ``hierarchy_forecast``).
    """
    origins = origin_frames(frame, freq=freq, horizon=horizon, n_origins=n_origins)
    fits = fit_hierarchies(
        [(train, n_paths) for _, train in origins],
        freq=freq,
        horizon=horizon,
        method=method,
        reconciler=reconciler,
        cny=cny,
    )
    return [(cut, fit.slim()) for (cut, _), fit in zip(origins, fits, strict=True)]


def backtest_frame(
    frame: pd.DataFrame, fits: list[tuple[int, HierarchyFit]], *, freq: str
) -> pd.DataFrame:
    """One row per series, origin and test period: level, unique_id, cutoff (last training
    period), ds, y, yhat, yhat-lo-80 … yhat-hi-95, snaive, scale (MASE denominator), status."""
    m = SEASON_LENGTH[freq]
    periods = np.sort(frame["ds"].unique())
    by_series = {key: part for key, part in frame.groupby(["level", "unique_id"], sort=False)}
    rows = []
    for cut, fit in fits:
        test_ds = pd.DatetimeIndex(periods[cut : cut + len(fit.ds)])
        h = len(test_ds)
        for i, key in enumerate(fit.keys):
            series = by_series[key].set_index("ds")["y"]
            past = series[series.index < periods[cut]].to_numpy()
            lag = m if len(past) >= m else 1
            row = {
                "level": key[0],
                "unique_id": key[1],
                "cutoff": pd.Timestamp(periods[cut - 1]),
                "ds": test_ds,
                "y": series.reindex(test_ds).to_numpy(),
                "yhat": fit.mean[:h, i],
                "snaive": past[-lag:][np.arange(h) % lag] if len(past) else np.nan,
                "scale": _scale(past, m),
                "status": fit.fits[i].status,
            }
            for pct in LEVELS_PCT:
                tail = (100 - pct) / 2
                lo, hi = np.percentile(fit.paths[:, :h, i], [tail, 100 - tail], axis=0)
                row[f"yhat-lo-{pct}"], row[f"yhat-hi-{pct}"] = lo, hi
            rows.append(pd.DataFrame(row))
    if not rows:
        return pd.DataFrame(columns=["level", "unique_id", "cutoff", "ds", "y", "yhat"])
    return pd.concat(rows, ignore_index=True)


def _scored(backtest: pd.DataFrame) -> pd.DataFrame:
    return backtest[(backtest.get("status") != "too_thin") & backtest["y"].notna()]


def _needed_width(bt: pd.DataFrame, pct: int = 80) -> np.ndarray:
    """Per backtest point, the factor the ``pct``% band must be scaled by (about its point
    forecast) to just hold the actual: ≤ 1 inside the band, > 1 outside."""
    above = bt["y"] >= bt["yhat"]
    reach = np.where(above, bt[f"yhat-hi-{pct}"] - bt["yhat"], bt["yhat"] - bt[f"yhat-lo-{pct}"])
    gap = (bt["y"] - bt["yhat"]).abs().to_numpy()
    with np.errstate(all="ignore"):
        return np.where(reach > 0, gap / reach, np.where(gap > 0, np.inf, 0.0))


def calibrate_widths(
    frame: pd.DataFrame, fits: list[tuple[int, HierarchyFit]], *, freq: str
) -> dict[str, float]:
    """Per level of the hierarchy, the factor on the spread of the paths that makes the
    backtest's 80% ranges hold 80% of actuals (``reconcile.scale_spread`` applies it coherently).

    The total's factor is exact: the 80th percentile of its points' needed width
    (``_needed_width``). A split's ranges also carry the total's share of the spread, so its
    factor is found by a few rounds of the same rule with the total's fixed. Factors stay within
    ``WIDTH_BOUNDS``; a level without backtest points keeps 1.
    """
    levels = sorted({key[0] for _, fit in fits for key in fit.keys})
    widths = dict.fromkeys(levels, 1.0)

    def scored() -> pd.DataFrame:
        widened = [(cut, with_widths(fit, widths)) for cut, fit in fits]
        return _scored(backtest_frame(frame, widened, freq=freq))

    def update(bt: pd.DataFrame, level: str) -> None:
        part = bt[bt["level"] == level]
        factor = float(np.quantile(_needed_width(part), BANDS[80])) if len(part) else np.nan
        if np.isfinite(factor) and factor > 0:
            widths[level] = float(np.clip(widths[level] * factor, *WIDTH_BOUNDS))

    bt = scored()
    if "total" in widths:
        update(bt, "total")
    splits = [level for level in levels if level != "total"]
    for _ in range(CALIBRATION_ROUNDS):
        if not splits:
            break
        bt = scored()
        for level in splits:
            update(bt, level)
    return widths


def backtest_hierarchy(
    frame: pd.DataFrame,
    *,
    freq: str,
    horizon: int,
    method: str = DEFAULT_METHOD,
    reconciler: str | None = None,
    n_origins: int | None = None,
    n_paths: int = 500,
    cny: bool = CNY_DEFAULT,
    calibrate: bool = False,
) -> pd.DataFrame:
    """Rolling-origin backtest of a hierarchy frame (level, unique_id, ds, y) — ``backtest_fits``
    then ``backtest_frame``; with ``calibrate`` the ranges are those of ``calibrate_widths``."""
    fits = backtest_fits(
        frame,
        freq=freq,
        horizon=horizon,
        method=method,
        reconciler=reconciler or DEFAULT_RECONCILER,
        n_origins=n_origins,
        n_paths=n_paths,
        cny=cny,
    )
    if calibrate:
        widths = calibrate_widths(frame, fits, freq=freq)
        fits = [(cut, with_widths(fit, widths)) for cut, fit in fits]
    return backtest_frame(frame, fits, freq=freq)


def coverage_by_level(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per level: coverage_80, coverage_95 (share of all its backtest points inside the ranges)
    and n_points."""
    bt = _scored(backtest)
    if bt.empty:
        return pd.DataFrame(columns=["level", "coverage_80", "coverage_95", "n_points"])
    inside = {
        f"coverage_{p}": (bt["y"] >= bt[f"yhat-lo-{p}"]) & (bt["y"] <= bt[f"yhat-hi-{p}"])
        for p in LEVELS_PCT
    }
    frame = pd.DataFrame({"level": bt["level"], **inside})
    out = frame.groupby("level", sort=False).agg(
        coverage_80=("coverage_80", "mean"),
        coverage_95=("coverage_95", "mean"),
        n_points=("coverage_80", "size"),
    )
    return out.reset_index()


def accuracy(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per series: mase, mase_seasonal_naive, mape, smape, coverage_80, coverage_95, n_origins.

    Origins where the series was too thin to forecast are left out.
    """
    bt = _scored(backtest).copy()
    columns = ["level", "unique_id", "mase", "mase_seasonal_naive", "mape", "smape"]
    columns += [f"coverage_{p}" for p in LEVELS_PCT] + ["n_origins"]
    if bt.empty:
        return pd.DataFrame(columns=columns)
    err = (bt["y"] - bt["yhat"]).abs()
    bt["se"] = err / bt["scale"]
    bt["se_naive"] = (bt["y"] - bt["snaive"]).abs() / bt["scale"]
    bt["ape"] = (err / bt["y"].abs()).where(bt["y"] != 0)
    denom = bt["y"].abs() + bt["yhat"].abs()
    bt["sape"] = (2 * err / denom).where(denom > 0, 0.0)
    for pct in LEVELS_PCT:
        inside = (bt["y"] >= bt[f"yhat-lo-{pct}"]) & (bt["y"] <= bt[f"yhat-hi-{pct}"])
        bt[f"coverage_{pct}"] = inside.astype(float)
    out = (
        bt.groupby(["level", "unique_id"], sort=False)
        .agg(
            mase=("se", "mean"),
            mase_seasonal_naive=("se_naive", "mean"),
            mape=("ape", "mean"),
            smape=("sape", "mean"),
            coverage_80=("coverage_80", "mean"),
            coverage_95=("coverage_95", "mean"),
            n_origins=("cutoff", "nunique"),
        )
        .reset_index()
    )
    return out[columns]
