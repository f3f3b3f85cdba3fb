"""The executive roll-up: this quarter and this year, for the company and each region, and the
year's outlook (actual and forecast, cumulative).

A user who may see only some regions (a manager) never sees the company's figures: their
company-level row is ``SUM_OF_REGIONS``, the sum of their own regions, named by them."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash import dataset
from salesdash.periods import add_months, month_end, month_start, period_kind, period_of
from salesdash.scope import Scope, sum_name
from salesdash.targets.data import (
    SUM_OF_REGIONS,
    covered_range,
    current_targets,
    daily_metric,
    daily_series,
    measured_kind,
)
from salesdash.targets.pacing import pacing_curve
from salesdash.targets.progress import Projections, progress_frame, track_with_paths
from salesdash.targets.projection import (
    N_PATHS,
    Simulator,
    forecast_months,
    monthly_history,
    rest_of_period,
)

# Traffic light on P(hit): green when hitting is more likely than not by a clear margin, red when
# missing is; amber in between, where the next weeks decide.
P_GREEN = 0.7
P_RED = 0.4


def traffic_light(p_hit: float | None) -> str | None:
    """ "green" (P ≥ 70%), "amber" or "red" (P < 40%); None without a probability."""
    if p_hit is None or pd.isna(p_hit):
        return None
    return "green" if p_hit >= P_GREEN else ("red" if p_hit < P_RED else "amber")


def resolve_target(
    current: pd.DataFrame, scope: str, scope_value: str, metric: str, start: date, end: date
) -> tuple[float | None, str]:
    """The target of a scope over [start, end] and where it comes from.

    Returns:
        (target, source): "set" (a target for exactly this period), "sum_of_periods" (same-scope
        calendar years, else quarters, else months inside the period, tiling it day for day),
        "sum_of_regions" (the company, or a ``SUM_OF_REGIONS`` row: every region's target in
        ``current`` so resolved), or (None, "none").
    """
    same = current[
        (current["scope"] == scope)
        & (current["scope_value"] == scope_value)
        & (current["metric"] == metric)
    ]
    exact = same[(same["period_start"] == start) & (same["period_end"] == end)]
    if len(exact):
        return float(exact["target"].iloc[0]), "set"
    inside = same[(same["period_start"] >= start) & (same["period_end"] <= end)]
    for kind in ("year", "quarter", "month"):
        parts = inside[
            [
                period_kind(a, b) == kind
                for a, b in zip(inside["period_start"], inside["period_end"], strict=True)
            ]
        ]
        days = sum((r.period_end - r.period_start).days + 1 for r in parts.itertuples())
        if len(parts) and days == (end - start).days + 1:
            return float(parts["target"].sum()), "sum_of_periods"
    if scope in ("company", SUM_OF_REGIONS):
        regions = current.loc[current["scope"] == "region", "scope_value"].unique()
        parts = [resolve_target(current, "region", r, metric, start, end)[0] for r in regions]
        if len(parts) and all(p is not None for p in parts):
            return float(sum(parts)), "sum_of_regions"
    return None, "none"


def total_row(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[str, str]:
    """The (scope, scope_value) of the company-level row ``scope``'s user sees: the company, or
    for a user who may see only some regions the sum of those with sales (``SUM_OF_REGIONS``)."""
    if scope.allowed_regions is None:
        return "company", ""
    return SUM_OF_REGIONS, sum_name(dataset.filter_choices(con, scope)["region"])


def executive_summary(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    as_of: date,
    metric: str = "revenue",
    simulate: Simulator | None = None,
) -> pd.DataFrame:
    """This quarter and this year, for the company (or the user's regions together) and each
    region the scope shows, on ``as_of``.

    Returns:
        one row per (period_kind in quarter/year, scope company/regions/region, scope_value):
        the ``TargetProgress`` fields plus ``period_kind``, ``target_source`` (see
        ``resolve_target``), ``light`` (see ``traffic_light``) and ``gap`` = target −
        projection. Scopes without any target are left out; the scope's chosen regions narrow
        the regions listed, not the total row.
    """
    return executive_projections(con, scope, as_of=as_of, metric=metric, simulate=simulate).frame


def executive_projections(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    as_of: date,
    metric: str = "revenue",
    simulate: Simulator | None = None,
) -> Projections:
    """``executive_summary``'s rows with the sample paths of each projection (for what-ifs)."""
    visible = current_targets(con, scope.rights())
    chosen = current_targets(con, scope)
    region_values = sorted(chosen.loc[chosen["scope"] == "region", "scope_value"].unique())
    rows = []
    for kind in ("quarter", "year"):
        start, end = period_of(kind, as_of)
        for scope_kind, value in [total_row(con, scope)] + [("region", r) for r in region_values]:
            target, source = resolve_target(visible, scope_kind, value, metric, start, end)
            if target is None:
                continue
            rows.append(
                {
                    "period_start": start,
                    "period_end": end,
                    "scope": scope_kind,
                    "scope_value": value,
                    "metric": metric,
                    "target": target,
                    "owner": None,
                    "note": None,
                    "period_kind": kind,
                    "target_source": source,
                }
            )
    if not rows:
        return Projections(pd.DataFrame(), ())
    wanted = pd.DataFrame(rows)
    progress, rests = track_with_paths(con, wanted, as_of=as_of, scope=scope, simulate=simulate)
    frame = progress_frame(progress)
    keys = ["scope", "scope_value", "metric", "period_start", "period_end"]
    extra = wanted[keys + ["period_kind", "target_source"]]
    frame = frame.merge(extra, on=keys, how="left", validate="one_to_one")
    # object, not pandas 3's string dtype: a target without odds keeps None, not NaN (the pages
    # look lights up by name: 'executive.light.nan' raised KeyError)
    lights = [traffic_light(p) for p in frame["p_hit"]]
    frame["light"] = pd.Series(lights, index=frame.index, dtype=object)
    frame["gap"] = frame["target"] - frame["projection"]
    return Projections(frame, tuple(rests))


def biggest_gaps(summary: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` region rows of ``executive_summary`` whose projection falls furthest short."""
    if summary.empty:
        return summary
    regions = summary[(summary["scope"] == "region") & (summary["gap"] > 0)]
    return regions.sort_values("gap", ascending=False).head(n)


def year_outlook(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    as_of: date,
    target_scope: str | None = None,
    target_value: str = "",
    metric: str = "revenue",
    simulate: Simulator | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> tuple[pd.DataFrame, float | None]:
    """Cumulative actual and forecast of the metric through the end of ``as_of``'s year, for
    one target scope (default: the company-level row ``scope``'s user sees, ``total_row``),
    measured on the sales the user may see.

    Returns:
        (frame, year_target). frame: one row per month end of the year and series: ``ds``
        (month end, or ``as_of`` for the running month), ``series`` ("actual" | "forecast"),
        ``y`` (cumulative; the forecast's median), ``lo80``, ``hi80`` (forecast only). The
        forecast starts at ``as_of`` with the actual to date, so the two lines join. With a year
        target, series "target" is the target phased over the year (expected by each month's
        end, by the seasonal pace of earlier years: ``pacing_curve``), the line to be above.
    """
    rights = scope.rights()
    if target_scope is None:
        target_scope, target_value = total_row(con, scope)
    start, end = period_of("year", as_of)
    visible = current_targets(con, rights)
    target, _ = resolve_target(visible, target_scope, target_value, metric, start, end)
    data_start, data_end = covered_range(con)
    if data_start is None:
        return pd.DataFrame(columns=["ds", "series", "y", "lo80", "hi80"]), target
    measured = daily_metric(
        con, measured_kind(target_scope), target_value, metric, as_of=as_of, scope=rights
    )
    daily = daily_series(measured, data_start, as_of)
    rows = []
    if target is not None:
        curve, _ = pacing_curve(daily, start, end, data_start=data_start, data_end=as_of)
        m = start
        while m <= end:
            share = float(curve[pd.Timestamp(month_end(m))])
            rows.append({"ds": month_end(m), "series": "target", "y": target * share})
            m = add_months(m, 1)
    cum = 0.0
    m = start
    while m <= min(as_of, end):
        upto = min(month_end(m), as_of)
        cum += float(daily[pd.Timestamp(m) : pd.Timestamp(upto)].sum())
        rows.append({"ds": upto, "series": "actual", "y": cum, "lo80": None, "hi80": None})
        m = add_months(m, 1)
    if as_of < end:
        history = monthly_history(daily, data_start, min(as_of, data_end))
        month_paths = None
        if len(history):
            month_paths = forecast_months(
                con,
                target_scope,
                metric,
                history,
                month_start(end),
                rights=rights,
                as_of=as_of,
                data_start=data_start,
                history_end=min(as_of, data_end),
                simulate=simulate,
                n_paths=n_paths,
                seed=seed,
            )
        if month_paths is not None:
            rows.append({"ds": as_of, "series": "forecast", "y": cum, "lo80": cum, "hi80": cum})
            first = as_of + timedelta(days=1)
            m = month_start(first)
            while m <= end:
                paths = cum + rest_of_period(
                    month_paths,
                    daily,
                    first=first,
                    last=month_end(m),
                    data_start=data_start,
                    data_end=as_of,
                )
                lo, mid, hi = (float(np.quantile(paths, q)) for q in (0.1, 0.5, 0.9))
                rows.append(
                    {"ds": month_end(m), "series": "forecast", "y": mid, "lo80": lo, "hi80": hi}
                )
                m = add_months(m, 1)
    return pd.DataFrame(rows), target
