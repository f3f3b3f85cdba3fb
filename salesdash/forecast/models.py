"""Forecasting one series: statsmodels forecasters with a small fit/forecast surface, an ensemble.

Every member forecasts on the *working scale*: log of the series when it is positive throughout
(sales grow and swing in proportion), the series itself when it has zeros; with the Chinese New
Year effect taken out (a regression on the share of the holiday windows in each period) and, for
weeks, the yearly profile taken out as Fourier terms (52 weekly seasonal states are too many).

A member is ``fit(work, season_length, *, log) -> fitted`` and ``fitted.forecast(h)``; ETS also
draws sample paths. The default ensemble (monthly) has four members: ETS additive on the working
scale, ETS on the sales scale (multiplicative errors, an AutoETS-like search), Theta and seasonal
naive; weekly it leaves seasonal naive out. Its point forecast is the mean of the members' forecasts
on the working scale (on the log scale, a geometric mean of sales); its sample paths are ETS's
(half of them from a seasonal ETS when AICc chose a non-seasonal one), shifted onto the ensemble
mean. In the backtest of docs/benchmarks.md ("Forecast") this scored mean MASE 0.834 against
statsforecast AutoETS's 0.852 on 12 monthly series, and its 80% intervals held 78.2% of actuals.

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
from threadpoolctl import threadpool_limits

from salesdash.forecast.series import SEASON_LENGTH, cny_regressors, future_periods

# Methods the backtest compares; DEFAULT_METHOD is the one chosen on that evidence.
METHODS = ("ensemble", "ets", "ets_sales", "arima", "theta", "snaive")
DEFAULT_METHOD = "ensemble"
# Members of the ensemble per grain. Seasonal naive pulls monthly forecasts towards last year's
# month; a week of last year is mostly noise (weekly demo total: MASE 0.75 with it, 0.69 without).
ENSEMBLE = {"M": ("ets", "ets_sales", "theta", "snaive"), "W": ("ets", "ets_sales", "theta")}
# Fewer complete periods than this: no forecast, "too thin" — under a year of months we cannot
# tell season from trend; under half a year of weeks likewise for the short-term level.
MIN_PERIODS = {"M": 12, "W": 26}
# A forecast beyond this multiple of the largest value seen is an explosion, not a plan.
EXPLODE_FACTOR = 5.0
# A CNY effect needs the holiday's move seen in two years' differences to be told from noise.
MIN_CNY_YEARS = 2
# Harmonics of the weekly yearly profile: smooth enough not to soak up a year's noise (a 52-state
# season fitted on three years would, and the intervals came out far too narrow).
FOURIER_TERMS = 6
# The Chinese New Year regressor is off by default: on the demo company (three years, two moves of
# the holiday to learn from) the backtest was worse with it, monthly and weekly
# (docs/benchmarks.md); the seasonal models already carry the average January/February shape.
# It stays available (cny=True) and measured, for histories with more holiday moves.
CNY_DEFAULT = False
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
        model: the model(s) used, e.g. "ensemble[ets(A,Ad,A)+ets_sales(M,A,M)+theta+snaive]".
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
    def __init__(self, result, spec: str, candidates: dict | None = None):
        self.result = result
        self.name = f"ets({spec})"
        # every variant the search fitted (spec -> result): the seasonal alternative comes from here
        self.candidates = candidates or {}

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


class _FittedForecast:
    def __init__(self, values_fn, name: str):
        self._fn = values_fn
        self.name = name

    def forecast(self, h: int) -> np.ndarray:
        return np.asarray(self._fn(h), dtype=float)


def _ets_search(x: np.ndarray, season_length: int, variants: tuple[tuple[str, str, str], ...]):
    """The AICc-best ETS fit among ``variants`` (error, trend N|A|Ad, season N|A|M), its spec, and
    every variant that fitted (spec -> result).

    Seasonal variants need two full seasons; variants that fail to fit or give a non-finite AICc
    are skipped. Initial states are estimated, so AICc compares seasonal and non-seasonal fairly.
    """
    seasonal = season_length > 1 and len(x) >= 2 * season_length
    fitted = {}
    for error, trend, season in variants:
        if season != "N" and not seasonal:
            continue
        try:
            model = ETSModel(
                x,
                error={"A": "add", "M": "mul"}[error],
                trend=None if trend == "N" else "add",
                damped_trend=trend == "Ad",
                seasonal={"N": None, "A": "add", "M": "mul"}[season],
                seasonal_periods=season_length if season != "N" else None,
            )
            result = _quiet(model.fit, disp=False, maxiter=200)
        except (ValueError, np.linalg.LinAlgError):
            continue
        if np.isfinite(result.aicc) and np.isfinite(result.scale):
            fitted[f"{error},{trend},{season}"] = result
    if not fitted:
        raise ForecastFailure("no ETS variant could be fitted")
    best_spec = min(fitted, key=lambda spec: fitted[spec].aicc)
    return fitted[best_spec], best_spec, fitted


def fit_ets(work: np.ndarray, season_length: int, *, log: bool = False) -> _FittedETS:
    """AICc-selected additive ETS on the working scale: no or damped trend, seasonal or not.

    Additive on the log scale is multiplicative on sales. On noisy regional series AICc often
    picks a level model, and the backtest preferred that (docs/benchmarks.md) to forcing
    Holt-Winters. Its sample paths are the ensemble's intervals.
    """
    variants = tuple(("A", trend, season) for trend in ("N", "Ad") for season in ("A", "N"))
    result, spec, candidates = _ets_search(work, season_length, variants)
    return _FittedETS(result, spec, candidates)


def _seasonal_alternative(
    work: np.ndarray, season_length: int, ets: _FittedETS, horizon: int
) -> list[tuple[_FittedETS, np.ndarray]]:
    """The AICc-best seasonal ETS on the working scale, when AICc chose a non-seasonal one and two
    seasons exist: (fit, its forecast), else nothing.

    The ensemble's sample paths are an equal mixture of the chosen ETS's and this one's. A level
    model counts the seasonal swing as noise while the ensemble's mean (Theta, seasonal naive)
    follows the season, so its paths alone were too wide (the demo total's 80% ranges held 100% of
    actuals); a seasonal model fitted on two or three years alone was too narrow (69.8%; both in
    docs/benchmarks.md, "Forecast"). ``fit_ets``'s search has already fitted the seasonal variants
    (``ets.candidates``); they are reused, not fitted again.
    """
    if season_length <= 1 or len(work) < 2 * season_length or ets.name.endswith(",A)"):
        return []
    seasonal = {spec: r for spec, r in ets.candidates.items() if spec.endswith(",A")}
    if not seasonal:
        try:
            variants = (("A", "N", "A"), ("A", "Ad", "A"))
            seasonal = _ets_search(work, season_length, variants)[2]
        except ForecastFailure:
            return []
    spec = min(seasonal, key=lambda key: seasonal[key].aicc)
    alternative = _FittedETS(seasonal[spec], spec)
    return [(alternative, alternative.forecast(horizon))]


def fit_ets_sales(work: np.ndarray, season_length: int, *, log: bool = False) -> _FittedForecast:
    """AICc-selected ETS on the sales scale: statsforecast AutoETS's search, multiplicative errors.

    Trend none, additive or damped; season none, additive or multiplicative. A series with zeros
    gets additive errors and no multiplicative season. Unlike ``fit_ets`` it may keep an undamped
    trend and an additive season on a growing level, so the two ETS members err differently (the
    ensemble gained from both, docs/benchmarks.md). The forecast is taken back to the working scale;
    a non-positive one there is non-finite and the member is dropped.
    """
    x = np.exp(work) if log else work
    positive = bool(np.all(x > 0))
    error = "M" if positive else "A"
    seasons = ("N", "A", "M") if positive else ("N", "A")
    variants = tuple((error, trend, season) for trend in ("N", "A", "Ad") for season in seasons)
    result, spec, _ = _ets_search(x, season_length, variants)

    def forecast(h: int) -> np.ndarray:
        values = np.asarray(_quiet(result.forecast, h), dtype=float)
        if not log:
            return values
        with np.errstate(all="ignore"):
            return np.log(np.where(values > 0, values, np.nan))

    return _FittedForecast(forecast, f"ets_sales({spec})")


def fit_arima(work: np.ndarray, season_length: int, *, log: bool = False) -> _FittedForecast:
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


def fit_theta(work: np.ndarray, season_length: int, *, log: bool = False) -> _FittedForecast:
    """The Theta method (additive deseasonalising on the working scale)."""
    seasonal = season_length > 1 and len(work) >= 2 * season_length
    model = ThetaModel(
        work, period=season_length, deseasonalize=seasonal, method="additive", use_test=False
    )
    result = _quiet(model.fit)
    return _FittedForecast(lambda h: _quiet(result.forecast, h), "theta")


def fit_snaive(work: np.ndarray, season_length: int, *, log: bool = False) -> _FittedForecast:
    """Seasonal naive: each period as the same period a season ago (naive when under a season)."""
    m = season_length if len(work) >= season_length else 1
    last = work[-m:]
    return _FittedForecast(lambda h: last[np.arange(h) % m], "snaive" if m > 1 else "naive")


# Members share one signature: ``fit(work, season_length, *, log) -> fitted`` with
# ``fitted.forecast(h)`` on the working scale; ``log`` says whether ``work`` is the log of sales
# (only ``ets_sales``, which models sales themselves, needs it).
MEMBERS = {
    "ets": fit_ets,
    "ets_sales": fit_ets_sales,
    "arima": fit_arima,
    "theta": fit_theta,
    "snaive": fit_snaive,
}


# --- scales -------------------------------------------------------------------------------------


@dataclass
class _Scale:
    """Working scale: log (positive series) or identity; CNY effect; yearly profile for weeks."""

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


def _fourier(ds: pd.DatetimeIndex) -> np.ndarray:
    angle = 2 * np.pi * np.asarray(ds.dayofyear, dtype=float) / 365.25
    k = np.arange(1, FOURIER_TERMS + 1)
    return np.column_stack([np.sin(np.outer(angle, k)), np.cos(np.outer(angle, k))])


def _yearly_profile(
    z: np.ndarray, ds: pd.DatetimeIndex, future: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """The yearly shape of a weekly series: Fourier terms fitted with a level and a trend."""
    t = np.arange(len(z), dtype=float)
    design = np.column_stack([np.ones(len(z)), t, _fourier(ds)])
    coef, *_ = np.linalg.lstsq(design, z, rcond=None)
    return _fourier(ds) @ coef[2:], _fourier(future) @ coef[2:]


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
        future = future_periods(ds[-1], horizon, freq)
        season_hist, season_future = _yearly_profile(z - x_hist @ coef, ds, future)
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


class _MixtureDraw:
    """Paths from ETS models (path i from model i mod len(spread): an equal mixture of their
    distributions), shifted onto the ensemble's mean, back on the original scale.

    A class, not a closure, so a fit made in a worker process can be sent back and drawn from.
    """

    def __init__(self, spread: list[tuple[_FittedETS, np.ndarray]], mean_work, scale: _Scale):
        self.spread, self.mean_work, self.scale = spread, mean_work, scale

    def __call__(self, draws: np.ndarray) -> np.ndarray:
        horizon = draws.shape[1]
        out = np.empty_like(draws, dtype=float)
        for i, (model_i, mean_i) in enumerate(self.spread):
            rows = slice(i, None, len(self.spread))
            if len(draws[rows]):
                out[rows] = model_i.paths(horizon, draws[rows]) - mean_i + self.mean_work
        return self.scale.to_original(out)


class _NaiveDraw:
    """Paths around ``mean`` with the spread of seasonal-naive errors (``_naive_paths``), back on
    the original scale (``scale`` None: already there)."""

    def __init__(self, work: np.ndarray, mean: np.ndarray, m: int, scale: _Scale | None):
        self.work, self.mean, self.m, self.scale = work, mean, m, scale

    def __call__(self, draws: np.ndarray) -> np.ndarray:
        paths = _naive_paths(self.work, self.mean, self.m, draws)
        return paths if self.scale is None else self.scale.to_original(paths)


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
    cny: bool = CNY_DEFAULT,
) -> SeriesForecast:
    """Forecast one series of complete periods ``horizon`` periods ahead.

    Args:
        y: values of consecutive complete periods (oldest first); ``ds`` their period starts.
        method: "ensemble" (default), or one member: "ets", "ets_sales", "arima", "theta",
            "snaive".
        z: standard-normal draws of shape (n_paths, horizon) driving the sample paths (pass
            correlated draws to get correlated paths across series); drawn from ``seed`` if None.
        cny: take the Chinese New Year effect out before fitting and put it back after
            (default ``CNY_DEFAULT``, off: see there).

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
    # Weeks: the year's profile is taken out first (Fourier terms), so members see no season.
    season_length = m if freq == "M" else 1
    status = "ok" if len(y) >= 2 * m else "short"
    scale = _scale_for(y, ds, horizon, freq, cny)
    work = scale.to_work(y)
    names = ENSEMBLE[freq] if method == "ensemble" else (method,)
    if method == "ensemble" and status == "short":
        names = ("ets", "snaive")
    fitted, notes = {}, []
    for name in names:
        try:
            member = MEMBERS[name](work, season_length if name != "snaive" else m, log=scale.log)
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
        spread = [(ets, ets_mean), *_seasonal_alternative(work, season_length, ets, horizon)]
        draw = _MixtureDraw(spread, mean_work, scale)
        std_resid = ets.std_resid()
        resid = y - scale.fitted_original(ets.fitted())
    else:
        draw = _NaiveDraw(work, mean_work, m, scale)
        lag = m if len(work) > m else 1
        d = work[lag:] - work[:-lag]
        std_resid = np.concatenate([np.zeros(lag), (d - d.mean()) / (d.std() or 1.0)])
        resid = np.concatenate([np.zeros(lag), y[lag:] - y[:-lag]])

    mean = scale.to_original(mean_work)
    paths = draw(z)
    if _exploded(mean, y) or not np.all(np.isfinite(paths)):
        notes.append(f"{model}: exploding or non-finite after back-transform")
        member = fit_snaive(y, m)
        mean = member.forecast(horizon)
        draw = _NaiveDraw(y, mean, m, None)
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
    with threadpool_limits(limits=1):  # one BLAS thread per fit, as in parallel.fit_many
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
