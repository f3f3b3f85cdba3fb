"""Sales as time series: complete periods from the database, the partial current period, CNY.

Series are long frames ``unique_id, ds, y`` (Nixtla's format): ``ds`` is the period's first day
(a month's 1st, or a week's Monday), ``y`` the revenue of the period.

The current period is usually partial (data up to the 15th of the month): it is never fitted as if
complete. ``sales_series`` returns complete periods only; ``partial_actuals`` returns the partial
one, which the page draws as "so far" actuals beside the forecast of that same period.

Which days the data covers depends on its grain (``data_grain``), found from the dates alone: an
export of monthly totals dated on the 1st (2012-06-01 for June) covers all of June, not one day of
it; weekly totals dated on a Monday cover that week, dated on another day the week ending there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash.db import run_sql
from salesdash.holidays import CHINESE_NEW_YEAR
from salesdash.scope import Scope

FREQS = ("M", "W")
LEVELS = ("total", "region", "channel", "category")
# Seasonal cycle length per grain: a year of months, a year of (ISO) weeks.
SEASON_LENGTH = {"M": 12, "W": 52}
_GRAIN = {"M": "month", "W": "week"}
# The demo company, and Chinese retail generally: a stock-up fortnight before the holiday, then a
# trough of about ten days from New Year's Day on (shops and offices closed).
CNY_PRE_DAYS = 14
CNY_POST_DAYS = 10


def _check(freq: str, by: str | None = None) -> None:
    if freq not in FREQS:
        raise ValueError(f"unknown grain '{freq}' (use M for months or W for weeks)")
    if by is not None and by not in LEVELS:
        raise ValueError(f"unknown series level '{by}' (use one of {', '.join(LEVELS)})")


def period_end(ds: pd.Series | pd.DatetimeIndex, freq: str) -> pd.DatetimeIndex:
    """The last day of each period that starts on ``ds``."""
    start = pd.DatetimeIndex(ds)
    if freq == "M":
        return start + pd.offsets.MonthEnd(0)
    return start + pd.Timedelta(days=6)


def future_periods(last_ds: pd.Timestamp, horizon: int, freq: str) -> pd.DatetimeIndex:
    """The starts of the ``horizon`` periods after the one starting on ``last_ds``."""
    if freq == "M":
        return pd.date_range(last_ds + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    return pd.date_range(last_ds + pd.Timedelta(days=7), periods=horizon, freq="7D")


@dataclass(frozen=True)
class Grain:
    """What one row of the orders table stands for, and the days the data covers.

    Attributes:
        kind: "lines" (order lines), "daily", "weekly" or "monthly" (totals).
        dated: for weekly and monthly totals, "start" when a row is dated on its period's first
            day (a month's 1st, a week's Monday), "end" when on its last day (a month's last day,
            the last day of a week ending on that weekday); "day" for lines and daily totals.
        first_day, last_day: the first and last day the data covers (a June total dated
            2012-06-01 covers up to 2012-06-30).
    """

    kind: str
    dated: str
    first_day: date
    last_day: date


def grain_from_dates(dates: pd.Series, *, lines: bool) -> Grain | None:
    """The grain of data whose rows carry ``dates`` (each distinct date once or more).

    Args:
        dates: the order dates (any order, repeats allowed).
        lines: the rows look like order lines (they name customers, or several share one day and
            set of dimensions), which decides "lines" against "daily" for day-dated data.

    Returns:
        A Grain, or None without dates. Monthly: every date on the 1st, or every date a month's
        last day (two months or more). Weekly: three dates or more, all on one weekday, a multiple
        of seven days apart. Anything else is dated by the day.
    """
    days = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates).dropna().unique())).sort_values()
    if days.empty:
        return None
    first, last = days[0].date(), days[-1].date()
    gaps = np.diff(days.asi8) // (86_400 * 10**9) if len(days) > 1 else np.array([])
    if len(days) >= 2 and (days.day == 1).all():
        end = (days[-1] + pd.offsets.MonthEnd(0)).date()
        return Grain("monthly", "start", first, end)
    if len(days) >= 2 and days.is_month_end.all():
        return Grain("monthly", "end", days[0].replace(day=1).date(), last)
    if len(days) >= 3 and len(set(days.day_of_week)) == 1 and (gaps % 7 == 0).all():
        if days[0].weekday() == 0:
            return Grain("weekly", "start", first, last + timedelta(days=6))
        return Grain("weekly", "end", first - timedelta(days=6), last)
    return Grain("lines" if lines else "daily", "day", first, last)


def data_grain(con: duckdb.DuckDBPyConnection) -> Grain | None:
    """The grain of the orders in the whole store (see ``grain_from_dates``); None when empty."""
    profile = run_sql(con, "forecast/order_date_profile")
    if profile.empty:
        return None
    row = profile.iloc[0]
    lines = bool(row["n_with_customer"] > 0 or row["max_lines_per_key"] > 1)
    return grain_from_dates(profile["order_date"], lines=lines)


def hierarchy_sales(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    freq: str = "M",
    as_of: date | None = None,
    total_only: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, date | None, Grain | None]:
    """The hierarchy's complete periods and its partial one, from one read of the orders.

    With ``total_only`` just the scope's total (one cheap scan: the series of a filter).

    Returns:
        (history, partial, as_of used, grain): ``history`` as ``hierarchy_series`` returns it,
        ``partial`` as ``partial_actuals``; as_of defaults to the last day the data covers
        (``Grain.last_day``: the month's last day for monthly totals dated on the 1st).
    """
    _check(freq)
    grain = data_grain(con)
    empty = pd.DataFrame(
        {
            "level": pd.Series(dtype="str"),
            "unique_id": pd.Series(dtype="str"),
            "ds": pd.Series(dtype="datetime64[us]"),
            "y": pd.Series(dtype="float64"),
        }
    )
    no_partial = empty.assign(as_of=pd.Series(dtype="datetime64[us]"))
    as_of = as_of or (grain.last_day if grain else None)
    if as_of is None or grain is None:
        return empty, no_partial, as_of, grain
    params = scope.with_dates(None, as_of).params()
    query = "forecast/total_sales" if total_only else "forecast/hierarchy_sales"
    frame = run_sql(con, query, grain=_GRAIN[freq], **params)
    if frame.empty:
        return empty, no_partial, as_of, grain
    frame["ds"] = pd.to_datetime(frame["ds"])
    # The first period is partial too when the data starts inside it (weeks: mid-week).
    frame = frame[frame["ds"] >= pd.Timestamp(grain.first_day)].reset_index(drop=True)
    complete = _complete(frame, freq, as_of)
    history = frame[complete].reset_index(drop=True)
    if not history.empty:
        history = _fill_gaps(history, history["ds"].max(), freq)
    partial = frame[~complete].reset_index(drop=True).assign(as_of=pd.Timestamp(as_of))
    return history, partial, as_of, grain


def _complete(frame: pd.DataFrame, freq: str, as_of: date) -> pd.Series:
    return pd.Series(period_end(frame["ds"], freq) <= pd.Timestamp(as_of), index=frame.index)


def _fill_gaps(frame: pd.DataFrame, last_ds: pd.Timestamp, freq: str) -> pd.DataFrame:
    """Each series from its first period with sales to ``last_ds``, missing periods as 0."""
    parts = []
    step = "MS" if freq == "M" else "7D"
    for (level, uid), part in frame.groupby(["level", "unique_id"], sort=False):
        idx = pd.date_range(part["ds"].min(), last_ds, freq=step)
        y = part.set_index("ds")["y"].reindex(idx, fill_value=0.0)
        parts.append(pd.DataFrame({"level": level, "unique_id": uid, "ds": idx, "y": y.values}))
    if not parts:
        return frame
    return pd.concat(parts, ignore_index=True)


def hierarchy_series(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    freq: str = "M",
    as_of: date | None = None,
) -> pd.DataFrame:
    """Complete-period sales of the whole hierarchy: the total, each region, channel, category.

    Args:
        scope: filters (regions, channels, …) applied; its date range is ignored — a forecast needs
            all the history up to ``as_of``.
        freq: "M" months or "W" weeks (Monday starts).
        as_of: the last day of data to use (default: the last day the data covers, see
            ``data_grain``). Only periods that end on or before it are returned.

    Returns:
        One row per series and complete period: level, unique_id, ds, y. Gaps inside a series are 0;
        a series starts at its first period with sales (a region that opened last year is short).
    """
    return hierarchy_sales(con, scope, freq=freq, as_of=as_of)[0]


def sales_series(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    by: str | None = None,
    freq: str = "M",
    as_of: date | None = None,
) -> pd.DataFrame:
    """Complete-period revenue of one level of the hierarchy, in long format.

    Args:
        scope: filters applied; its date range is ignored (all history up to ``as_of``).
        by: None or "total" for the company (unique_id "total"), else "region", "channel" or
            "category" (unique_id is the region/channel/category value).
        freq: "M" (month starts) or "W" (week starts, Mondays).
        as_of: last day of data (default: the last day the data covers); the partial period
            that contains it is left out (see ``partial_actuals``).

    Returns:
        unique_id, ds, y — one row per series and complete period, gaps filled with 0.
    """
    level = by or "total"
    _check(freq, level)
    frame = hierarchy_series(con, scope, freq=freq, as_of=as_of)
    if frame.empty:
        return frame.drop(columns="level")
    out = frame[frame["level"] == level].drop(columns="level")
    return out.reset_index(drop=True)


def partial_actuals(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    freq: str = "M",
    as_of: date | None = None,
) -> pd.DataFrame:
    """Sales so far in the period that is not complete yet (every level), with how far it is.

    Returns:
        level, unique_id, ds, y, as_of — rows only for the partial period (none when the data ends
        on a period's last day).
    """
    return hierarchy_sales(con, scope, freq=freq, as_of=as_of)[1]


def series_choices(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, list[str]]:
    """The sales reps, categories and products sold in the scope's regions and channels, busiest
    first: {"sales_rep": [...], "category": [...], "product": [...]}."""
    wider = replace(scope, sales_reps=(), categories=(), products=()).with_dates(None, None)
    frame = run_sql(con, "forecast/series_choices", **wider.params())
    return {
        dim: frame.loc[frame["dimension"] == dim, "value"].tolist()
        for dim in ("sales_rep", "category", "product")
    }


def cny_regressors(ds: pd.DatetimeIndex | pd.Series, freq: str) -> np.ndarray:
    """The share of the pre-holiday stock-up window and of the holiday trough in each period.

    Column 0: fraction of the ``CNY_PRE_DAYS`` days before Chinese New Year that fall in the period;
    column 1: fraction of the ``CNY_POST_DAYS`` days from New Year's Day on. Both are 0 outside
    January–March, and they move between January and February with the holiday.
    """
    starts = pd.DatetimeIndex(ds)
    ends = period_end(starts, freq)
    out = np.zeros((len(starts), 2))
    for year in sorted(set(starts.year) | set(ends.year)):
        if year not in CHINESE_NEW_YEAR:
            continue
        holiday = pd.Timestamp(CHINESE_NEW_YEAR[year])
        windows = (
            (holiday - pd.Timedelta(days=CNY_PRE_DAYS), holiday - pd.Timedelta(days=1)),
            (holiday, holiday + pd.Timedelta(days=CNY_POST_DAYS - 1)),
        )
        for col, (w_start, w_end) in enumerate(windows):
            lo = np.maximum(starts.values, w_start.to_datetime64())
            hi = np.minimum(ends.values, w_end.to_datetime64())
            days = (hi - lo) / np.timedelta64(1, "D") + 1
            out[:, col] += np.clip(days, 0, None) / ((w_end - w_start).days + 1)
    return out
