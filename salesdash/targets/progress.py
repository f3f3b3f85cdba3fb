"""Where a target stands on a day: one target (``target_progress``), and all of them (``track``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

from salesdash.periods import month_start
from salesdash.scope import Scope
from salesdash.targets.data import (
    ADDITIVE_METRICS,
    covered_range,
    current_targets,
    daily_metric,
    daily_series,
    measured_kind,
)
from salesdash.targets.pacing import pacing_curve, share_between
from salesdash.targets.projection import (
    N_PATHS,
    MonthPaths,
    Simulator,
    forecast_months,
    monthly_history,
    rest_weights,
    with_near_term,
)

if TYPE_CHECKING:
    from salesdash.forecast import NearTerm


@dataclass(frozen=True)
class TargetProgress:
    """Where one target stands on ``as_of`` (money in the data's currency, days in days).

    ``projection*`` and ``p_hit`` are None when there is no forecast (win rate, too little
    history); ``pacing_years`` = 0 means the pacing is a straight line for lack of history.
    """

    scope: str
    scope_value: str
    metric: str
    period_start: date
    period_end: date
    target: float
    owner: str | None
    note: str | None
    as_of: date
    status: str  # "upcoming" | "running" | "closed"
    actual: float
    attainment: float | None
    pacing_share: float
    pacing_years: int
    expected_to_date: float
    ahead_amount: float
    ahead_days: int | None
    days_left: int
    required_daily_rate: float | None
    projection: float | None
    projection_lo80: float | None
    projection_hi80: float | None
    p_hit: float | None


def projected(totals: np.ndarray, target: float) -> tuple[float, float, float, float]:
    """(projection, its 80% range's low and high, P(hit)) of a target from its totals' paths:
    their median, 10th and 90th percentiles, and the share reaching ``target``."""
    projection, lo80, hi80 = (float(np.quantile(totals, q)) for q in (0.5, 0.1, 0.9))
    return projection, lo80, hi80, float(np.mean(totals >= target))


def _status(as_of: date, start: date, end: date) -> str:
    if as_of < start:
        return "upcoming"
    return "closed" if as_of >= end else "running"


@dataclass(frozen=True)
class RestPaths:
    """The sample paths behind one target's projection (what a what-if moves): ``totals`` =
    the actual to date + each forecast month's paths × its weight, the share of ``months[i]``
    inside the rest of the period (``projection.rest_weights``)."""

    months: tuple[date, ...]
    weights: np.ndarray
    totals: np.ndarray


@dataclass(frozen=True)
class Projections:
    """Targets' progress rows (``frame``) and, row by row, the paths of their projections
    (``rest``; None where there is no forecast): the baseline a what-if moves."""

    frame: pd.DataFrame
    rest: tuple[RestPaths | None, ...]


def _actual(daily: pd.Series, start: date, to_date: date) -> float:
    if to_date < start:
        return 0.0
    return float(daily[pd.Timestamp(start) : pd.Timestamp(to_date)].sum())


def rest_paths(
    target_row: dict,
    daily: pd.Series,
    *,
    as_of: date,
    data_start: date,
    month_paths: MonthPaths | None,
) -> RestPaths | None:
    """The paths of a target's projected total on ``as_of``; None when it has no forecast
    (closed, win rate, or no month paths). Arguments as ``target_progress``."""
    start, end = target_row["period_start"], target_row["period_end"]
    if month_paths is None or target_row["metric"] not in ADDITIVE_METRICS or as_of >= end:
        return None
    weights = rest_weights(
        month_paths.months,
        daily,
        first=max(as_of + timedelta(days=1), start),
        last=end,
        data_start=data_start,
        data_end=as_of,
    )
    totals = _actual(daily, start, min(as_of, end)) + month_paths.paths @ weights
    return RestPaths(month_paths.months, weights, totals)


def target_progress(
    target_row: dict,
    daily: pd.Series,
    *,
    as_of: date,
    data_start: date,
    month_paths: MonthPaths | None,
    deals: pd.DataFrame | None = None,
) -> TargetProgress:
    """Where one target stands on ``as_of`` (see the module docstring for every definition).

    Args:
        target_row: period_start, period_end, scope, scope_value, metric, target, owner, note.
        daily: the metric per calendar day from ``data_start`` to ``as_of`` (additive metrics).
        as_of: the day we stand on; nothing after it is used.
        data_start: the first day of data.
        month_paths: forecast paths of whole months from ``as_of``'s month on (None: no forecast).
        deals: for win_rate, daily n_won / n_closed up to ``as_of``.
    """
    paths = rest_paths(
        target_row, daily, as_of=as_of, data_start=data_start, month_paths=month_paths
    )
    return _progress(
        target_row, daily, as_of=as_of, data_start=data_start, paths=paths, deals=deals
    )


def _progress(
    target_row: dict,
    daily: pd.Series,
    *,
    as_of: date,
    data_start: date,
    paths: RestPaths | None,
    deals: pd.DataFrame | None,
) -> TargetProgress:
    start, end = target_row["period_start"], target_row["period_end"]
    target = float(target_row["target"])
    metric = target_row["metric"]
    status = _status(as_of, start, end)
    to_date = min(as_of, end)
    days_left = max(0, (end - max(as_of, start - timedelta(days=1))).days)
    base = {
        k: target_row.get(k)
        for k in ("scope", "scope_value", "metric", "period_start", "period_end", "owner", "note")
    }
    base.update(target=target, as_of=as_of, status=status, days_left=days_left)

    if metric == "win_rate":
        return _win_rate_progress(base, deals, start, to_date, target)

    actual = _actual(daily, start, to_date)
    curve, n_years = pacing_curve(daily, start, end, data_start=data_start, data_end=as_of)
    share = share_between(curve, start, to_date) if to_date >= start else 0.0
    expected = target * share
    reached = curve.index[(curve * target).to_numpy() >= actual - 1e-9]
    day_reached = reached[0].date() if len(reached) else end
    ahead_days = None if status == "upcoming" else (day_reached - to_date).days
    if status != "upcoming" and actual >= target:
        ahead_days = max(ahead_days or 0, 0)
    rest = max(target - actual, 0.0)
    required = rest / days_left if days_left else None

    projection = lo80 = hi80 = p_hit = None
    if status == "closed":
        projection = lo80 = hi80 = actual
        p_hit = 1.0 if actual >= target else 0.0
    elif paths is not None:
        projection, lo80, hi80, p_hit = projected(paths.totals, target)
    return TargetProgress(
        **base,
        actual=actual,
        attainment=actual / target if target else None,
        pacing_share=share,
        pacing_years=n_years,
        expected_to_date=expected,
        ahead_amount=actual - expected,
        ahead_days=ahead_days,
        required_daily_rate=required,
        projection=projection,
        projection_lo80=lo80,
        projection_hi80=hi80,
        p_hit=p_hit,
    )


def _win_rate_progress(
    base: dict, deals: pd.DataFrame | None, start: date, to_date: date, target: float
) -> TargetProgress:
    won = closed = 0
    if deals is not None and not deals.empty and to_date >= start:
        inside = deals[(deals["day"] >= start) & (deals["day"] <= to_date)]
        won, closed = int(inside["n_won"].sum()), int(inside["n_closed"].sum())
    actual = won / closed if closed else 0.0
    return TargetProgress(
        **base,
        actual=actual,
        attainment=actual / target if target and closed else None,
        pacing_share=1.0 if to_date >= start else 0.0,
        pacing_years=0,
        expected_to_date=target,
        ahead_amount=actual - target,
        ahead_days=None,
        required_daily_rate=None,
        projection=None,
        projection_lo80=None,
        projection_hi80=None,
        p_hit=None,
    )


def track(
    con: duckdb.DuckDBPyConnection,
    targets: pd.DataFrame,
    *,
    as_of: date,
    scope: Scope,
    simulate: Simulator | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
    with_forecast: bool = True,
) -> list[TargetProgress]:
    """Progress of every target in ``targets`` (rows as from ``current_targets``) on ``as_of``.

    Actuals are measured on the sales the user of ``scope`` may see (its rights; the page's
    chosen filters do not change a target's actual): the same as everyone's for a target they
    may see, and their regions together for a ``SUM_OF_REGIONS`` row. One forecast per (scope,
    scope_value, metric), long enough for its latest period; none with ``with_forecast=False``
    (then projection and P(hit) are None for running periods). On the last day of data, company
    and region revenue take the months of the near term from the pipeline blend where that is
    the near term's default (``forecast.near_term``).
    """
    return track_with_paths(
        con,
        targets,
        as_of=as_of,
        scope=scope,
        simulate=simulate,
        n_paths=n_paths,
        seed=seed,
        with_forecast=with_forecast,
    )[0]


def track_with_paths(
    con: duckdb.DuckDBPyConnection,
    targets: pd.DataFrame,
    *,
    as_of: date,
    scope: Scope,
    simulate: Simulator | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
    with_forecast: bool = True,
) -> tuple[list[TargetProgress], list[RestPaths | None]]:
    """``track``, and beside each target the paths of its projection (None: no forecast)."""
    data_start, covered_end = covered_range(con)
    if data_start is None:
        data_start = as_of
    data_end = min(covered_end or as_of, as_of)
    rights = scope.rights()
    out: list[TargetProgress] = []
    rests: list[RestPaths | None] = []
    near = cache(lambda: _near_term(con, rights))  # looked up once, if a series needs it
    for (kind, value, metric), group in targets.groupby(
        ["scope", "scope_value", "metric"], sort=False
    ):
        frame = daily_metric(con, measured_kind(kind), value, metric, as_of=as_of, scope=rights)
        daily = pd.Series(dtype=float)
        month_paths = None
        deals = frame if metric == "win_rate" else None
        if metric in ADDITIVE_METRICS:
            daily = daily_series(frame, data_start, max(as_of, data_start))
            last_end = max(group["period_end"])
            history = monthly_history(daily, data_start, min(as_of, data_end))
            if with_forecast and last_end > as_of and len(history):
                month_paths = forecast_months(
                    con,
                    kind,
                    metric,
                    history,
                    month_start(last_end),
                    rights=rights,
                    as_of=as_of,
                    data_start=data_start,
                    history_end=min(as_of, data_end),
                    simulate=simulate,
                    n_paths=n_paths,
                    seed=seed,
                )
            if month_paths is not None and as_of == covered_end:
                month_paths = _blended(near, month_paths, kind, value, metric)
        for row in group.to_dict(orient="records"):
            rest = rest_paths(
                row, daily, as_of=as_of, data_start=data_start, month_paths=month_paths
            )
            rests.append(rest)
            out.append(
                _progress(row, daily, as_of=as_of, data_start=data_start, paths=rest, deals=deals)
            )
    return out, rests


def _near_term(con: duckdb.DuckDBPyConnection, rights: Scope) -> NearTerm:
    from salesdash.forecast import near_term  # the forecast's modules load statsmodels

    return near_term(con, rights)


def _blended(
    near: Callable[[], NearTerm], month_paths: MonthPaths, kind: str, value: str, metric: str
) -> MonthPaths:
    """Company and region revenue: the near term's months from the pipeline blend where it is
    the default (it forecasts revenue per region; other scopes and metrics keep history's)."""
    if metric != "revenue" or kind not in ("company", "region"):
        return month_paths
    wanted = () if kind == "company" else (value,)
    if near().shown != "blend" or (wanted and value not in near().regions):
        return month_paths
    return with_near_term(month_paths, *near().month_paths(wanted))


def target_projections(con: duckdb.DuckDBPyConnection, *, as_of: date, scope: Scope) -> Projections:
    """Every current target the scope shows, its progress on ``as_of`` (as ``track`` gives it,
    in its order) with the paths of its projection."""
    progress, rests = track_with_paths(con, current_targets(con, scope), as_of=as_of, scope=scope)
    return Projections(progress_frame(progress), tuple(rests))


def progress_frame(progress: list[TargetProgress]) -> pd.DataFrame:
    """``TargetProgress`` rows as a DataFrame (one row per target, the dataclass's fields)."""
    if not progress:
        return pd.DataFrame(columns=list(TargetProgress.__dataclass_fields__))
    return pd.DataFrame([asdict(p) for p in progress])
