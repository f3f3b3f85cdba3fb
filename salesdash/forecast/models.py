"""Forecasting one series: statsmodels forecasters with a small fit/forecast surface, an ensemble.

Every member works on the *working scale*: log of the series when it is positive throughout
(sales grow and swing in proportion), the series itself when it has zeros; with the Chinese New
Year effect taken out (a regression on the share of the holiday windows in each period) and, for
weeks, the yearly profile taken out by STL (52 weekly seasonal states are too many for ETS).

A member is ``fit(work, season_length) -> fitted`` and ``fitted.forecast(h)``; ETS also draws
sample paths. The ensemble's point forecast is the mean of its members' forecasts on the working
scale; its sample paths are ETS's, shifted onto the ensemble mean (ETS gave the best-calibrated
intervals in the backtest, Theta's were far too wide — docs/benchmarks.md).

Failures statsmodels is known for (non-convergence, exploding or non-finite forecasts) are caught
per member: the member is dropped and the fact recorded; when none survives the series falls back to
seasonal naive. A forecast back on the original scale is checked again.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.theta import ThetaModel
from statsmodels.tsa.seasonal import STL

from salesdash.forecast.series import SEASON_LENGTH, cny_regressors, future_periods

# Methods the backtest compares; DEFAULT_METHOD is the one chosen on that evidence.
METHODS = ("ensemble", "ets", "arima", "theta", "snaive")
DEFAULT_METHOD = "ensemble"
ENSEMBLE = ("ets", "arima", "theta")
# Fewer complete periods than this: no forecast, "too thin" — under a year of months we cannot
# tell season from trend; under half a year of weeks likewise for the short-term level.
MIN_PERIODS = {"M": 12, "W": 26}
# A forecast beyond this multiple of the largest value seen is an explosion, not a plan.
EXPLODE_FACTOR = 5.0
# A CNY effect needs the holiday's move seen in two years' differences to be told from noise.
MIN_CNY_YEARS = 2
# Larger CNY coefficients (log scale: ×e^3) are a fit to noise, not a holiday.
MAX_CNY_EFFECT = 3.0


class ForecastFailure(RuntimeError):
    """A member produced no usable forecast (did not converge, non-finite, or exploded)."""


@dataclass
class SeriesForecast:
    """The forecast of one series.

    Attributes:
        mean: point forecast per future period (original scale; NaN when too thin).
        paths: sample paths, shape (n_paths, horizon), original scale (empty when too thin).
        model: the model(s) used, e.g. "ensemble[ets(A,Ad,A)+arima(1,0,0)(0,1,1)+theta]".
        status: "ok", "short" (under two seasons: non-seasonal models), "fallback" (members
            failed), "too_thin" (no forecast).
        std_resid: standardised in-sample one-step errors (for correlating series' paths).
        resid_var: variance of in-sample one-step errors on the original scale.
        notes: what failed or was left out, for the record.
        draw: paths from other standard-normal draws of shape (n_paths, horizon).
    """

    mean: np.ndarray
    paths: np.ndarray
    model: str
    status: str
    std_resid: np.ndarray = field(default_factory=lambda: np.zeros(0))
    resid_var: float = float("nan")
    notes: tuple[str, ...] = ()
    draw: Callable[[np.ndarray], np.ndarray] | None = None


# --- members ------------------------------------------------------------------------------------


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)


class _FittedETS:
    def __init__(self, result, spec: str):
        self.result = result
        self.name = f"ets({spec})"

    def forecast(self, h: int) -> np.ndarray:
        return np.asarray(_quiet(self.result.forecast, h), dtype=float)

    def paths(self, h: int, z: np.ndarray) -> np.ndarray:
        """Paths driven by standard-normal draws ``z`` of shape (n_paths, h)."""
        errors = z.T * np.sqrt(self.result.scale)
        sim = _quiet(
            self.result.simulate, h, anchor="end", repetitions=z.shape[0], random_errors=errors
        )
        return np.asarray(sim, dtype=float).reshape(h, -1).T

    def std_resid(self) -> np.ndarray:
        return np.asarray(self.result.resid, dtype=float) / np.sqrt(self.result.scale)

    def fitted(self) -> np.ndarray:
        return np.asarray(self.result.fittedvalues, dtype=float)


def fit_ets(work: np.ndarray, season_length: int) -> _FittedETS:
    """AICc-selected additive ETS, damped trend or none; Holt-Winters seasonal with two seasons.

    With two seasons of data the season is always kept (Holt-Winters): on three years of months
    AICc, charging for twelve seasonal states, would otherwise pick a level model whose intervals
    carry the whole season as noise.
    """
    seasonal = season_length > 1 and len(work) >= 2 * season_length
    specs = [("N", None, False), ("Ad", "add", True)]
    best, best_spec = None, ""
    for label, trend, damped in specs:
        for season in ("add",) if seasonal else (None,):
            try:
                model = ETSModel(
                    work,
                    error="add",
                    trend=trend,
                    damped_trend=damped,
                    seasonal=season,
                    seasonal_periods=season_length if season else None,
                    # Heuristic start values (needs two seasons) fit ten times faster than
                    # estimated ones and, with fewer parameters, win on AICc too.
                    initialization_method="heuristic" if season else "estimated",
                )
                result = _quiet(model.fit, disp=False, maxiter=200)
            except (ValueError, np.linalg.LinAlgError):
                continue
            if not np.isfinite(result.aicc) or not np.isfinite(result.scale):
                continue
            if best is None or result.aicc < best.aicc:
                best, best_spec = result, f"A,{label},{'A' if season else 'N'}"
    if best is None:
        raise ForecastFailure("no ETS variant could be fitted")
    return _FittedETS(best, best_spec)


class _FittedForecast:
    def __init__(self, values_fn, name: str):
        self._fn = values_fn
        self.name = name

    def forecast(self, h: int) -> np.ndarray:
        return np.asarray(self._fn(h), dtype=float)


def fit_arima(work: np.ndarray, season_length: int) -> _FittedForecast:
    """A small ARIMA search: AR(p) with drift on the (seasonally) differenced series, p by AICc.

    ARIMA(p,0,0)(0,1,0) with drift when two seasons exist, else ARIMA(p,1,0) with drift, p in
    0..2, each fitted by least squares on the same sample (statsmodels ``AutoReg``) — the
    state-space ARIMA took seconds per fit on a busy machine, this takes milliseconds.
    """
    seasonal = season_length > 1 and len(work) >= 2 * season_length + 2
    lag = season_length if seasonal else 1
    diff = work[lag:] - work[:-lag]
    best, best_p, best_aicc = None, 0, np.inf
    hold = 2
    for p in range(0, 3):
        if len(diff) - hold < p + 6:
            continue
        result = _quiet(AutoReg(diff[hold - p :] if p < hold else diff, lags=p, trend="c").fit)
        n_obs, k = result.nobs, p + 2
        aicc = result.aic + 2 * k * (k + 1) / max(n_obs - k - 1, 1)
        if np.isfinite(aicc) and aicc < best_aicc:
            best, best_p, best_aicc = result, p, aicc
    if best is None:
        raise ForecastFailure("series too short for the ARIMA search")
    model = best

    def forecast(h: int) -> np.ndarray:
        d = np.asarray(_quiet(model.forecast, h), dtype=float)
        history = list(work)
        for step in range(h):
            history.append(history[-lag] + d[step])
        return np.array(history[len(work) :])

    name = f"arima({best_p},0,0)(0,1,0)" if seasonal else f"arima({best_p},1,0)"
    return _FittedForecast(forecast, name)


def fit_theta(work: np.ndarray, season_length: int) -> _FittedForecast:
    """The Theta method (additive deseasonalising on the working scale)."""
    seasonal = season_length > 1 and len(work) >= 2 * season_length
    model = ThetaModel(
        work, period=season_length, deseasonalize=seasonal, method="additive", use_test=False
    )
    result = _quiet(model.fit)
    return _FittedForecast(lambda h: _quiet(result.forecast, h), "theta")


def fit_snaive(work: np.ndarray, season_length: int) -> _FittedForecast:
    """Seasonal naive: each period as the same period a season ago (naive when under a season)."""
    m = season_length if len(work) >= season_length else 1
    last = work[-m:]
    return _FittedForecast(lambda h: last[np.arange(h) % m], "snaive" if m > 1 else "naive")


MEMBERS = {"ets": fit_ets, "arima": fit_arima, "theta": fit_theta, "snaive": fit_snaive}


# --- scales -------------------------------------------------------------------------------------


@dataclass
class _Scale:
    """Working scale: log (positive series) or identity; CNY effect; STL season for weeks."""

    log: bool
    cny_coef: np.ndarray
    x_hist: np.ndarray
    x_future: np.ndarray
    season_hist: np.ndarray
    season_future: np.ndarray

    def to_work(self, y: np.ndarray) -> np.ndarray:
        z = np.log(y) if self.log else y.astype(float)
        return z - self.x_hist @ self.cny_coef - self.season_hist

    def to_original(self, work_future: np.ndarray) -> np.ndarray:
        z = work_future + self.x_future @ self.cny_coef + self.season_future
        with np.errstate(over="ignore"):
            return np.exp(z) if self.log else z

    def fitted_original(self, work_fitted: np.ndarray) -> np.ndarray:
        z = work_fitted + self.x_hist @ self.cny_coef + self.season_hist
        with np.errstate(over="ignore"):
            return np.exp(z) if self.log else z


def _cny_coefficients(z: np.ndarray, x: np.ndarray, years: np.ndarray, m: int) -> np.ndarray:
    """The CNY effect on the log (or level) scale from seasonal differences.

    Regressing ``z[t] - z[t-m]`` on ``x[t] - x[t-m]`` (and a constant for growth) removes the
    seasonal profile, so only the holiday's move between January and February is left to explain.
    """
    if len(z) <= m + 4:
        return np.zeros(x.shape[1])
    dz = z[m:] - z[:-m]
    dx = x[m:] - x[:-m]
    moved = np.abs(dx).sum(axis=1) > 0
    holiday_years = len(set(years[m:][moved]))
    if holiday_years < MIN_CNY_YEARS:
        return np.zeros(x.shape[1])
    design = np.column_stack([np.ones(len(dz)), dx])
    coef, *_ = np.linalg.lstsq(design, dz, rcond=None)
    effect = coef[1:]
    if not np.all(np.isfinite(effect)) or np.abs(effect).max() > MAX_CNY_EFFECT:
        return np.zeros(x.shape[1])
    return effect


def _scale_for(y: np.ndarray, ds: pd.DatetimeIndex, horizon: int, freq: str, cny: bool) -> _Scale:
    m = SEASON_LENGTH[freq]
    log = bool(np.all(y > 0))
    z = np.log(y) if log else y.astype(float)
    x_hist = cny_regressors(ds, freq)
    x_future = cny_regressors(future_periods(ds[-1], horizon, freq), freq)
    coef = _cny_coefficients(z, x_hist, np.asarray(ds.year), m) if cny else np.zeros(2)
    n = len(y)
    season_hist, season_future = np.zeros(n), np.zeros(horizon)
    if freq == "W" and n >= 2 * m:
        adjusted = z - x_hist @ coef
        season = _quiet(STL(adjusted, period=m, robust=True).fit).seasonal
        season_hist = np.asarray(season, dtype=float)
        season_future = season_hist[n - m + (np.arange(horizon) % m)]
    return _Scale(log, coef, x_hist, x_future, season_hist, season_future)


# --- the forecast of one series -----------------------------------------------------------------


def _exploded(values: np.ndarray, y: np.ndarray) -> bool:
    bound = EXPLODE_FACTOR * max(float(np.max(np.abs(y))), 1.0)
    return not np.all(np.isfinite(values)) or bool(np.any(np.abs(values) > bound))


def _naive_paths(work: np.ndarray, mean: np.ndarray, m: int, z: np.ndarray) -> np.ndarray:
    """Paths around ``mean`` with the spread of seasonal-naive errors, growing per season ahead."""
    lag = m if len(work) > m else 1
    errors = work[lag:] - work[:-lag]
    sigma = float(np.std(errors)) if len(errors) > 1 else float(np.std(work)) or 1.0
    steps = np.sqrt(1 + np.arange(len(mean)) // lag)
    return mean + sigma * steps * z


def too_thin(y: np.ndarray, freq: str) -> bool:
    """True when a series is too short or too sparse for a forecast worth drawing."""
    return len(y) < MIN_PERIODS[freq] or np.count_nonzero(y) < MIN_PERIODS[freq] * 0.75


def forecast_series(
    y: np.ndarray,
    ds: pd.DatetimeIndex,
    horizon: int,
    *,
    freq: str,
    method: str = DEFAULT_METHOD,
    z: np.ndarray | None = None,
    n_paths: int = 1000,
    seed: int = 0,
    cny: bool = True,
) -> SeriesForecast:
    """Forecast one series of complete periods ``horizon`` periods ahead.

    Args:
        y: values of consecutive complete periods (oldest first); ``ds`` their period starts.
        method: "ensemble" (default), or one member: "ets", "arima", "theta", "snaive".
        z: standard-normal draws of shape (n_paths, horizon) driving the sample paths (pass
            correlated draws to get correlated paths across series); drawn from ``seed`` if None.
        cny: take the Chinese New Year effect out before fitting and put it back after.

    Returns:
        A SeriesForecast; status "too_thin" (mean NaN, no paths) when the data cannot carry one.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}' (use one of {', '.join(METHODS)})")
    y = np.asarray(y, dtype=float)
    ds = pd.DatetimeIndex(ds)
    if z is None:
        z = np.random.default_rng(seed).standard_normal((n_paths, horizon))
    if too_thin(y, freq):
        return SeriesForecast(np.full(horizon, np.nan), np.zeros((0, horizon)), "", "too_thin")
    m = SEASON_LENGTH[freq]
    # Weeks: the year's profile is taken out by STL, so the members see no season.
    season_length = m if freq == "M" else 1
    status = "ok" if len(y) >= 2 * m else "short"
    scale = _scale_for(y, ds, horizon, freq, cny)
    work = scale.to_work(y)
    names = ENSEMBLE if method == "ensemble" else (method,)
    if method == "ensemble" and status == "short":
        names = ("ets", "snaive")
    fitted, notes = {}, []
    for name in names:
        try:
            member = MEMBERS[name](work, season_length if name != "snaive" else m)
            values = member.forecast(horizon)
            if _exploded(scale.to_original(values), y):
                raise ForecastFailure("exploding or non-finite forecast")
            fitted[name] = (member, values)
        except (ForecastFailure, ValueError, np.linalg.LinAlgError) as exc:
            notes.append(f"{name}: {exc}")
    if not fitted:
        status = "fallback"
        member = fit_snaive(work, m)
        fitted["snaive"] = (member, member.forecast(horizon))
    elif notes:
        status = "fallback"
    mean_work = np.mean([values for _, values in fitted.values()], axis=0)
    label = "+".join(member.name for member, _ in fitted.values())
    model = f"ensemble[{label}]" if method == "ensemble" and len(fitted) > 1 else label
    if "ets" in fitted:
        ets, ets_mean = fitted["ets"]

        def draw_work(draws: np.ndarray) -> np.ndarray:
            return ets.paths(horizon, draws) - ets_mean + mean_work

        std_resid = ets.std_resid()
        resid = y - scale.fitted_original(ets.fitted())
    else:

        def draw_work(draws: np.ndarray) -> np.ndarray:
            return _naive_paths(work, mean_work, m, draws)

        lag = m if len(work) > m else 1
        d = work[lag:] - work[:-lag]
        std_resid = np.concatenate([np.zeros(lag), (d - d.mean()) / (d.std() or 1.0)])
        resid = np.concatenate([np.zeros(lag), y[lag:] - y[:-lag]])

    def draw(draws: np.ndarray) -> np.ndarray:
        return scale.to_original(draw_work(draws))

    mean = scale.to_original(mean_work)
    paths = draw(z)
    if _exploded(mean, y) or not np.all(np.isfinite(paths)):
        notes.append(f"{model}: exploding or non-finite after back-transform")
        member = fit_snaive(y, m)
        mean = member.forecast(horizon)

        def draw(draws: np.ndarray) -> np.ndarray:
            return _naive_paths(y, mean, m, draws)

        paths = draw(z)
        model, status = member.name, "fallback"
    return SeriesForecast(
        mean=mean,
        paths=paths,
        model=model,
        status=status,
        std_resid=std_resid,
        resid_var=float(np.var(resid)),
        notes=tuple(notes),
        draw=draw,
    )


def simulate_paths(
    y: pd.Series, horizon: int, *, freq: str, n_paths: int = 1000, seed: int = 0
) -> np.ndarray:
    """Draws from the default method's predictive distribution for the next ``horizon`` periods.

    Args:
        y: a series of complete periods indexed by period start (month 1st for "M", Monday for
            "W"), oldest first; gaps must already be filled (0).
        freq: "M" or "W".

    Returns:
        Array of shape (n_paths, horizon); sums are not forced non-negative. All NaN when the series
        is too thin to forecast (see ``too_thin``).
    """
    y = y.sort_index()
    result = forecast_series(
        y.to_numpy(dtype=float),
        pd.DatetimeIndex(y.index),
        horizon,
        freq=freq,
        n_paths=n_paths,
        seed=seed,
    )
    if result.status == "too_thin":
        return np.full((n_paths, horizon), np.nan)
    return result.paths
