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

from salesdash.forecast.hierarchy import LEVELS_PCT, fit_hierarchy
from salesdash.forecast.models import DEFAULT_METHOD
from salesdash.forecast.series import SEASON_LENGTH

N_ORIGINS = 3


def cutoffs(n_periods: int, horizon: int, min_train: int, n_origins: int = N_ORIGINS) -> list[int]:
    """Training lengths of the origins: a season of test data each when the history allows.

    With a long history the origins are a horizon apart (full, non-overlapping test windows);
    with a short one they are spread over what is left after ``min_train`` periods and the later
    test windows are shorter (three years of months: origins at 24, 28, 32 months).
    """
    room = n_periods - min_train
    if room < 1:
        return []
    step = horizon if room >= n_origins * horizon else max(1, room // n_origins)
    first = n_periods - step * n_origins if room >= n_origins * step else min_train
    return [c for c in range(first, n_periods, step)][:n_origins]


def _scale(train: np.ndarray, m: int) -> float:
    lag = m if len(train) > m + 1 else 1
    diffs = np.abs(train[lag:] - train[:-lag])
    value = float(np.mean(diffs)) if len(diffs) else float("nan")
    return value if value > 0 else float("nan")


def backtest_hierarchy(
    frame: pd.DataFrame,
    *,
    freq: str,
    horizon: int,
    method: str = DEFAULT_METHOD,
    reconciler: str | None = None,
    n_origins: int = N_ORIGINS,
    n_paths: int = 500,
    cny: bool = True,
    point: str = "median",
) -> pd.DataFrame:
    """Rolling-origin backtest of a hierarchy frame (level, unique_id, ds, y).

    Returns:
        One row per series, origin and forecast period: level, unique_id, cutoff (last training
        period), ds, y, yhat, yhat-lo-80 … yhat-hi-95, snaive, scale (MASE denominator), status.
    """
    m = SEASON_LENGTH[freq]
    periods = np.sort(frame["ds"].unique())
    rows = []
    kw = {"reconciler": reconciler} if reconciler else {}
    for cut in cutoffs(len(periods), horizon, 2 * m, n_origins):
        train = frame[frame["ds"] < periods[cut]]
        test_ds = periods[cut : cut + horizon]
        h = len(test_ds)
        fit = fit_hierarchy(
            train, freq=freq, horizon=h, method=method, n_paths=n_paths, cny=cny, point=point, **kw
        )
        for i, (level, uid) in enumerate(fit.keys):
            past = train[(train["level"] == level) & (train["unique_id"] == uid)]["y"].to_numpy()
            actual = frame[(frame["level"] == level) & (frame["unique_id"] == uid)]
            actual = actual.set_index("ds")["y"].reindex(pd.DatetimeIndex(test_ds))
            lag = m if len(past) >= m else 1
            row = {
                "level": level,
                "unique_id": uid,
                "cutoff": pd.Timestamp(periods[cut - 1]),
                "ds": pd.DatetimeIndex(test_ds),
                "y": actual.to_numpy(),
                "yhat": fit.mean[:, i],
                "snaive": past[-lag:][np.arange(h) % lag] if len(past) else np.nan,
                "scale": _scale(past, m),
                "status": fit.fits[i].status,
            }
            for pct in LEVELS_PCT:
                tail = (100 - pct) / 2
                lo, hi = np.percentile(fit.paths[:, :, i], [tail, 100 - tail], axis=0)
                row[f"yhat-lo-{pct}"], row[f"yhat-hi-{pct}"] = lo, hi
            rows.append(pd.DataFrame(row))
    if not rows:
        return pd.DataFrame(columns=["level", "unique_id", "cutoff", "ds", "y", "yhat"])
    return pd.concat(rows, ignore_index=True)


def accuracy(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per series: mase, mase_seasonal_naive, mape, smape, coverage_80, coverage_95, n_origins.

    Origins where the series was too thin to forecast are left out.
    """
    bt = backtest[(backtest.get("status") != "too_thin") & backtest["y"].notna()].copy()
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
