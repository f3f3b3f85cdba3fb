"""Targets: what was promised, where we stand, where we will land, and the odds of making it.

Everything is computed as of an explicit date (``as_of``; the dashboard defaults it to the last
order date), using only data up to that date, so any past day can be replayed.

Definitions (DESIGN.md, "Metric definitions"):

- actual to date: the metric over ``[period_start, min(as_of, period_end)]``.
- attainment = actual / target.
- seasonal pacing: the share of the period's metric that history says falls on or before
  ``as_of``. The period is shifted back 1..``PACING_YEARS`` years; every shifted copy lying wholly
  inside the data contributes its daily values, pooled (so a bigger year weighs more). With no
  such year the pacing is a straight line over the days of the period (``pacing_years = 0`` tells).
- expected to date = target × pacing share; ahead/behind in money = actual − expected; in days =
  the day the expected curve reaches today's actual minus ``as_of`` (negative: behind).
- projection = actual + forecast of the rest of the period. The forecast gives sample paths of
  whole months (``forecast.simulate_paths`` on the complete months before ``as_of``). A month
  partly inside the rest (the month ``as_of`` falls in, or a period ending mid-month) counts
  with the seasonal share of that month's metric that history puts in the part still to come
  (the same pooled daily profile as pacing, over that calendar month in earlier years). The
  projection is the median of the paths' totals, its 80% interval their 10th and 90th
  percentiles, and P(hit) the share of paths reaching the target.
- win rate (a ratio) has no forecast: no projection or P(hit), and pacing is flat
  (expected to date = the target rate).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd

from salesdash import dataset
from salesdash.db import execute_sql, run_sql
from salesdash.errors import InputError
from salesdash.ingest.batches import log_batch, next_batch_id
from salesdash.periods import add_months, month_start, quarter_start
from salesdash.scope import Scope

SCOPES = ("company", "region", "channel", "sales_rep", "category", "product")
METRICS = ("revenue", "orders", "new_customers", "win_rate")
ADDITIVE_METRICS = ("revenue", "orders", "new_customers")
# Column of daily_orders.sql holding each additive metric.
_DAILY_COLUMN = {"revenue": "revenue", "orders": "n_orders", "new_customers": "n_new_customers"}

# Years of history behind the seasonal pacing: three is enough to average out one odd year and
# short enough that an old sales pattern does not outweigh the current one.
PACING_YEARS = 3
# Sample paths per series: 1000 gives P(hit) to about ±1.5 percentage points (one s.e. at 50%).
N_PATHS = 1000
# Below this many complete months there is no forecast worth its name (one year and a quarter:
# one seasonal cycle plus a few months to see the trend).
MIN_MONTHS_FOR_FORECAST = 15

Simulator = Callable[..., np.ndarray]


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


def default_simulator() -> Simulator:
    """The forecast module's sample paths (imported late: the forecast area is its own issue)."""
    from salesdash.forecast import simulate_paths

    return simulate_paths


# --- data --------------------------------------------------------------------------------------


def current_targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per target (the latest batch wins): period_start, period_end, scope, scope_value
    ('' for the company), metric, target, owner, note, batch_id."""
    frame = run_sql(con, "targets/current")
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """First and last order date in the data."""
    row = con.execute("select min(order_date), max(order_date) from orders").fetchall()[0]
    return row[0], row[1]


def daily_metric(
    con: duckdb.DuckDBPyConnection,
    scope_kind: str,
    scope_value: str,
    metric: str,
    *,
    as_of: date,
    regions: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The metric per day for one target scope, up to ``as_of``.

    Returns:
        one row per day with activity: ``day`` (date) and ``value`` (revenue, orders or new
        customers); for win_rate ``n_won`` and ``n_closed`` instead of ``value``.
    """
    params = {"as_of": as_of, "scope_kind": scope_kind, "scope_value": scope_value}
    if metric == "win_rate":
        frame = run_sql(con, "targets/daily_deals", regions=list(regions), **params)
    else:
        frame = run_sql(con, "targets/daily_orders", regions=list(regions), **params)
        frame = frame.rename(columns={_DAILY_COLUMN[metric]: "value"})[["day", "value"]]
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    return frame


def daily_series(frame: pd.DataFrame, start: date, end: date) -> pd.Series:
    """``frame`` (day, value) as a float Series with one entry per calendar day of [start, end]."""
    index = pd.date_range(start, end, freq="D")
    if frame.empty:
        return pd.Series(0.0, index=index)
    values = frame.set_index(pd.to_datetime(frame["day"]))["value"].astype(float)
    return values.groupby(level=0).sum().reindex(index, fill_value=0.0)


# --- pacing ------------------------------------------------------------------------------------


def _years_earlier(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def pacing_curve(
    daily: pd.Series,
    start: date,
    end: date,
    *,
    data_start: date,
    data_end: date,
    years: int = PACING_YEARS,
) -> tuple[pd.Series, int]:
    """The cumulative share of a window's metric by each of its days, from earlier years.

    Args:
        daily: metric per calendar day (index: Timestamps), covering the data.
        start, end: the window (both included), e.g. a target's period or a month.
        data_start, data_end: the days the data covers; an earlier copy of the window counts only
            when it lies wholly inside them.
        years: how many years back to look.

    Returns:
        (curve, n_years): curve indexed by the window's days, rising to 1.0 on ``end``; n_years
        earlier copies were used; 0 means none had data and the curve is a straight line.
    """
    days = pd.date_range(start, end, freq="D")
    pooled = np.zeros(len(days))
    n_years = 0
    for k in range(1, years + 1):
        lo, hi = _years_earlier(start, k), _years_earlier(end, k)
        if lo < data_start or hi > data_end:
            continue
        shifted = [pd.Timestamp(_years_earlier(d.date(), k)) for d in days]
        values = daily.reindex(shifted, fill_value=0.0).to_numpy()
        if values.sum() <= 0:
            continue
        pooled += values
        n_years += 1
    if n_years == 0:
        pooled = np.ones(len(days))
    return pd.Series(np.cumsum(pooled) / pooled.sum(), index=days), n_years


def share_between(curve: pd.Series, first: date, last: date) -> float:
    """The share of the window ``curve`` describes that falls in [first, last] (clipped)."""
    lo, hi = max(pd.Timestamp(first), curve.index[0]), min(pd.Timestamp(last), curve.index[-1])
    if lo > hi:
        return 0.0
    before = curve[curve.index < lo]
    return float(curve[hi] - (before.iloc[-1] if len(before) else 0.0))


# --- forecast of the rest ----------------------------------------------------------------------


def month_end(d: date) -> date:
    return add_months(d, 1) - timedelta(days=1)


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
    simulate: Simulator,
    *,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> MonthPaths | None:
    """Paths from ``first_month`` to ``last_month`` (the months right after ``history``).

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
    paths = _simulate_once(
        simulate, tuple(history.index), tuple(history.to_numpy()), len(months), n_paths, seed
    )
    if np.isnan(paths).any():  # the forecast found the series too thin
        return None
    return MonthPaths(tuple(months), np.clip(paths, 0.0, None))


@lru_cache(maxsize=128)
def _simulate_once(
    simulate: Simulator, index: tuple, values: tuple, horizon: int, n_paths: int, seed: int
) -> np.ndarray:
    """One forecast per distinct series: the Targets and Executive pages and the year outlook
    ask for the same company and region paths, and a forecast costs seconds."""
    history = pd.Series(values, index=pd.DatetimeIndex(index), dtype=float)
    paths = np.asarray(simulate(history, horizon, freq="M", n_paths=n_paths, seed=seed))
    paths.setflags(write=False)
    return paths


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
    by the seasonal share of that calendar month falling in the part."""
    total = np.zeros(month_paths.paths.shape[0])
    for i, m in enumerate(month_paths.months):
        lo, hi = max(first, m), min(last, month_end(m))
        if lo > hi:
            continue
        if lo == m and hi == month_end(m):
            share = 1.0
        else:
            curve, _ = pacing_curve(
                daily, m, month_end(m), data_start=data_start, data_end=data_end
            )
            share = share_between(curve, lo, hi)
        total += month_paths.paths[:, i] * share
    return total


# --- one target --------------------------------------------------------------------------------


def _status(as_of: date, start: date, end: date) -> str:
    if as_of < start:
        return "upcoming"
    return "closed" if as_of >= end else "running"


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

    actual = (
        float(daily[pd.Timestamp(start) : pd.Timestamp(to_date)].sum()) if to_date >= start else 0.0
    )
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
    elif month_paths is not None:
        totals = actual + rest_of_period(
            month_paths,
            daily,
            first=max(as_of + timedelta(days=1), start),
            last=end,
            data_start=data_start,
            data_end=as_of,
        )
        projection, lo80, hi80 = (float(np.quantile(totals, q)) for q in (0.5, 0.1, 0.9))
        p_hit = float(np.mean(totals >= target))
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


# --- all targets -------------------------------------------------------------------------------


def track(
    con: duckdb.DuckDBPyConnection,
    targets: pd.DataFrame,
    *,
    as_of: date,
    regions: tuple[str, ...] = (),
    simulate: Simulator | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
    with_forecast: bool = True,
) -> list[TargetProgress]:
    """Progress of every target in ``targets`` (rows as from ``current_targets``) on ``as_of``.

    One forecast per (scope, scope_value, metric), long enough for its latest period; none with
    ``with_forecast=False`` (then projection and P(hit) are None for running periods).
    """
    data_start, data_end = data_range(con)
    if data_start is None:
        data_start = as_of
    data_end = min(data_end or as_of, as_of)
    if with_forecast:
        simulate = simulate or default_simulator()
    out: list[TargetProgress] = []
    for (kind, value, metric), group in targets.groupby(
        ["scope", "scope_value", "metric"], sort=False
    ):
        frame = daily_metric(con, kind, value, metric, as_of=as_of, regions=regions)
        daily = pd.Series(dtype=float)
        month_paths = None
        deals = frame if metric == "win_rate" else None
        if metric in ADDITIVE_METRICS:
            daily = daily_series(frame, data_start, max(as_of, data_start))
            last_end = max(group["period_end"])
            history = monthly_history(daily, data_start, min(as_of, data_end))
            if with_forecast and last_end > as_of and len(history):
                first_month = (history.index[-1] + pd.offsets.MonthBegin(1)).date()
                month_paths = simulate_months(
                    history,
                    first_month,
                    month_start(last_end),
                    simulate,
                    n_paths=n_paths,
                    seed=seed,
                )
        for row in group.to_dict(orient="records"):
            out.append(
                target_progress(
                    row,
                    daily,
                    as_of=as_of,
                    data_start=data_start,
                    month_paths=month_paths,
                    deals=deals,
                )
            )
    return out


def progress_frame(progress: list[TargetProgress]) -> pd.DataFrame:
    """``TargetProgress`` rows as a DataFrame (one row per target, the dataclass's fields)."""
    if not progress:
        return pd.DataFrame(columns=list(TargetProgress.__dataclass_fields__))
    return pd.DataFrame([asdict(p) for p in progress])


def default_as_of(con: duckdb.DuckDBPyConnection) -> date | None:
    """The data's real last day (``dataset.Freshness``): where the dashboard stands unless told
    otherwise."""
    return dataset.data_freshness(con).last_order_date


def period_of(kind: str, as_of: date) -> tuple[date, date]:
    """The calendar quarter or year (``kind``) containing ``as_of``."""
    if kind == "quarter":
        start = quarter_start(as_of)
        return start, add_months(start, 3) - timedelta(days=1)
    if kind == "year":
        return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    raise ValueError(f"unknown period kind '{kind}' (expected quarter or year)")


def period_kind(start: date, end: date) -> str:
    """The calendar period [start, end] is: "month", "quarter", "year" or "other"."""
    if start.day != 1 or end < start:
        return "other"
    kinds = {1: "month", 3: "quarter", 12: "year"}
    for months, kind in kinds.items():
        if add_months(start, months) - timedelta(days=1) == end:
            return kind
    return "other"


def rollup_gaps(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Parent targets against the sum of their children's, one row per parent and child scope.

    Columns: scope, scope_value, metric, period_start, period_end, parent_target, child_scope,
    child_months (length of the summed children's periods), n_children, children_target,
    gap (children − parent: negative means the children do not cover the parent).
    """
    frame = run_sql(con, "targets/rollup_gaps")
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


# --- executive summary -------------------------------------------------------------------------

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
        "sum_of_regions" (the company: every region's target so resolved), or (None, "none").
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
    if scope == "company":
        regions = current.loc[current["scope"] == "region", "scope_value"].unique()
        parts = [resolve_target(current, "region", r, metric, start, end)[0] for r in regions]
        if len(parts) and all(p is not None for p in parts):
            return float(sum(parts)), "sum_of_regions"
    return None, "none"


def executive_summary(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: date,
    metric: str = "revenue",
    regions: tuple[str, ...] = (),
    simulate: Simulator | None = None,
) -> pd.DataFrame:
    """This quarter and this year, for the company and each region, on ``as_of``.

    Returns:
        one row per (period_kind in quarter/year, scope company/region, scope_value): the
        ``TargetProgress`` fields plus ``period_kind``, ``target_source`` (see
        ``resolve_target``), ``light`` (see ``traffic_light``) and ``gap`` = target − projection.
        Scopes without any target are left out; ``regions`` narrows the regions listed.
    """
    current = current_targets(con)
    known = run_sql(con, "targets/scope_values")
    region_values = sorted(known.loc[known["scope"] == "region", "scope_value"].dropna())
    if regions:
        region_values = [r for r in region_values if r in regions]
    rows = []
    for kind in ("quarter", "year"):
        start, end = period_of(kind, as_of)
        for scope, value in [("company", "")] + [("region", r) for r in region_values]:
            target, source = resolve_target(current, scope, value, metric, start, end)
            if target is None:
                continue
            rows.append(
                {
                    "period_start": start,
                    "period_end": end,
                    "scope": scope,
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
        return pd.DataFrame()
    wanted = pd.DataFrame(rows)
    progress = progress_frame(track(con, wanted, as_of=as_of, simulate=simulate))
    keys = ["scope", "scope_value", "metric", "period_start", "period_end"]
    frame = progress.merge(wanted[keys + ["period_kind", "target_source"]], on=keys)
    # object, not pandas 3's string dtype: a target without odds keeps None, not NaN (the pages
    # look lights up by name: 'executive.light.nan' raised KeyError)
    lights = [traffic_light(p) for p in frame["p_hit"]]
    frame["light"] = pd.Series(lights, index=frame.index, dtype=object)
    frame["gap"] = frame["target"] - frame["projection"]
    return frame


def biggest_gaps(summary: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` region rows of ``executive_summary`` whose projection falls furthest short."""
    if summary.empty:
        return summary
    regions = summary[(summary["scope"] == "region") & (summary["gap"] > 0)]
    return regions.sort_values("gap", ascending=False).head(n)


def year_outlook(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: date,
    scope: str = "company",
    scope_value: str = "",
    metric: str = "revenue",
    simulate: Simulator | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> tuple[pd.DataFrame, float | None]:
    """Cumulative actual and forecast of the metric through the end of ``as_of``'s year.

    Returns:
        (frame, year_target). frame: one row per month end of the year and series: ``ds``
        (month end, or ``as_of`` for the running month), ``series`` ("actual" | "forecast"),
        ``y`` (cumulative; the forecast's median), ``lo80``, ``hi80`` (forecast only). The
        forecast starts at ``as_of`` with the actual to date, so the two lines join.
    """
    start, end = period_of("year", as_of)
    target, _ = resolve_target(current_targets(con), scope, scope_value, metric, start, end)
    data_start, data_end = data_range(con)
    if data_start is None:
        return pd.DataFrame(columns=["ds", "series", "y", "lo80", "hi80"]), target
    daily = daily_series(
        daily_metric(con, scope, scope_value, metric, as_of=as_of), data_start, as_of
    )
    rows = []
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
            first_month = (history.index[-1] + pd.offsets.MonthBegin(1)).date()
            month_paths = simulate_months(
                history,
                first_month,
                month_start(end),
                simulate or default_simulator(),
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


# --- hooks for other pages, and editing --------------------------------------------------------


def attainment_by(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    scope_kind: str = "sales_rep",
    as_of: date,
    metric: str = "revenue",
    period: str | None = None,
) -> pd.DataFrame:
    """Attainment of the targets of one scope kind whose period contains ``as_of`` (no forecast).

    Args:
        period: "month", "quarter" or "year"; None takes each value's shortest period.

    Returns:
        one row per scope_value (scope_value, period_start, period_end, metric, target, actual,
        attainment, expected_to_date, ahead_amount), limited to ``scope``'s sales reps or regions
        when it names some (reps by their team's region).
    """
    current = current_targets(con)
    current = current[
        (current["scope"] == scope_kind)
        & (current["metric"] == metric)
        & (current["period_start"] <= as_of)
        & (current["period_end"] >= as_of)
    ]
    kinds = [
        period_kind(a, b)
        for a, b in zip(current["period_start"], current["period_end"], strict=True)
    ]
    if period is not None:
        current = current[[k == period for k in kinds]]
    current = (
        current.assign(
            _days=[
                (b - a).days
                for a, b in zip(current["period_start"], current["period_end"], strict=True)
            ]
        )
        .sort_values(["scope_value", "_days"])
        .drop_duplicates("scope_value")
        .drop(columns="_days")
    )
    if scope_kind == "sales_rep" and scope.sales_reps:
        current = current[current["scope_value"].isin(scope.sales_reps)]
    regions = scope.effective_regions()
    if regions and scope_kind == "region":
        current = current[current["scope_value"].isin(regions)]
    elif regions and scope_kind == "sales_rep":
        teams = con.execute("select sales_rep, region from teams").df()
        reps = teams.loc[teams["region"].isin(regions), "sales_rep"]
        current = current[current["scope_value"].isin(reps)]
    columns = [
        "scope_value",
        "period_start",
        "period_end",
        "metric",
        "target",
        "actual",
        "attainment",
        "expected_to_date",
        "ahead_amount",
    ]
    frame = progress_frame(track(con, current, as_of=as_of, with_forecast=False))
    return frame[columns] if not frame.empty else pd.DataFrame(columns=columns)


def rep_attainment(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame | None:
    """The Team page's hook (``scorecards.rep_attainment``): each rep's attainment of the
    shortest revenue target containing the scope's last day (or the data's, if earlier).

    Returns:
        sales_rep, attainment, target, actual, period_start, period_end; None without targets.
    """
    last = default_as_of(con)
    if last is None:
        return None
    as_of = min(scope.end_date or last, last)
    frame = attainment_by(con, scope, scope_kind="sales_rep", as_of=as_of)
    if frame.empty:
        return None
    frame = frame.rename(columns={"scope_value": "sales_rep"})
    return frame[["sales_rep", "attainment", "target", "actual", "period_start", "period_end"]]


EDIT_FILE_NAME = "edited on the Targets page"
EDIT_COLUMNS = (
    "period_start",
    "period_end",
    "scope",
    "scope_value",
    "metric",
    "target",
    "owner",
    "note",
)


def changed_targets(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``after`` that are new or differ from ``before`` (both in EDIT_COLUMNS).

    Raises:
        InputError: a row has no period, an unknown scope or metric, or no numeric target.
    """
    after = after[list(EDIT_COLUMNS)].copy()
    after = after.dropna(how="all")
    for col in ("period_start", "period_end"):
        after[col] = pd.to_datetime(after[col], errors="coerce").dt.date
    after["target"] = pd.to_numeric(after["target"], errors="coerce")
    after["scope_value"] = after["scope_value"].fillna("").astype(str)
    for i, row in enumerate(after.itertuples(index=False), start=1):
        if pd.isna(row.period_start) or pd.isna(row.period_end):
            raise InputError(f"row {i}: period_start and period_end must be dates")
        if row.scope not in SCOPES:
            raise InputError(f"row {i}: scope '{row.scope}' is not one of {', '.join(SCOPES)}")
        if row.metric not in METRICS:
            raise InputError(f"row {i}: metric '{row.metric}' is not one of {', '.join(METRICS)}")
        if pd.isna(row.target):
            raise InputError(f"row {i}: target must be a number")

    def key(frame: pd.DataFrame) -> pd.Series:
        return frame.astype(str).agg("|".join, axis=1)

    old = set(
        key(
            before[list(EDIT_COLUMNS)]
            .astype(object)
            .where(before[list(EDIT_COLUMNS)].notna(), None)
        )
    )
    new = after.astype(object).where(after.notna(), None)
    return after[~key(new).isin(old).to_numpy()].reset_index(drop=True)


def save_edits(
    con: duckdb.DuckDBPyConnection, edits: pd.DataFrame, *, user_name: str | None = None
) -> int | None:
    """Store edited or added targets as one new batch (kind targets, undoable); its id.

    ``edits`` holds the changed rows only (see ``changed_targets``); None when there are none.
    The latest batch wins in ``current_targets``, so an edit replaces the target it changes.
    """
    if edits.empty:
        return None
    frame = edits[list(EDIT_COLUMNS)].copy()
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    con.execute("begin transaction")
    try:
        batch_id = next_batch_id(con)
        con.register("edited_targets", frame)
        execute_sql(con, "targets/insert_edited", batch_id=batch_id)
        log_batch(
            con,
            batch_id=batch_id,
            kind="targets",
            file_name=EDIT_FILE_NAME,
            file_sha256=digest,
            rows_loaded=len(frame),
            user_name=user_name,
        )
        con.unregister("edited_targets")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return int(batch_id)
