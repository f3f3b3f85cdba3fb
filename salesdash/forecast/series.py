"""Sales as time series: complete periods from the database, the partial current period, CNY.

Series are long frames ``unique_id, ds, y`` (Nixtla's format): ``ds`` is the period's first day
(a month's 1st, or a week's Monday), ``y`` the revenue of the period.

The current period is usually partial (data up to the 15th of the month): it is never fitted as if
complete. ``sales_series`` returns complete periods only; ``partial_actuals`` returns the partial
one, which the page draws as "so far" actuals beside the forecast of that same period.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from salesdash import dataset
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


def _period_sales(
    con: duckdb.DuckDBPyConnection, scope: Scope, freq: str, as_of: date | None
) -> tuple[pd.DataFrame, date | None]:
    """Every level's sales per period up to ``as_of``, complete or not, and the as-of date used."""
    first, last = dataset.order_date_range(con)
    as_of = as_of or last
    empty = pd.DataFrame(
        {
            "level": pd.Series(dtype="str"),
            "unique_id": pd.Series(dtype="str"),
            "ds": pd.Series(dtype="datetime64[us]"),
            "y": pd.Series(dtype="float64"),
        }
    )
    if as_of is None:
        return empty, None
    params = scope.with_dates(None, as_of).params()
    frame = run_sql(con, "forecast/hierarchy_sales", grain=_GRAIN[freq], **params)
    if frame.empty:
        return empty, as_of
    frame["ds"] = pd.to_datetime(frame["ds"])
    # The first period is partial too when the data starts inside it (weeks: mid-week).
    frame = frame[frame["ds"] >= pd.Timestamp(first)].reset_index(drop=True)
    return frame, as_of


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
        as_of: the last day of data to use (default: the last order date in the database). Only
            periods that end on or before it are returned.

    Returns:
        One row per series and complete period: level, unique_id, ds, y. Gaps inside a series are 0;
        a series starts at its first period with sales (a region that opened last year is short).
    """
    _check(freq)
    frame, as_of = _period_sales(con, scope, freq, as_of)
    if frame.empty:
        return frame
    complete = frame[_complete(frame, freq, as_of)]
    if complete.empty:
        return complete.reset_index(drop=True)
    return _fill_gaps(complete, complete["ds"].max(), freq)


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
        as_of: last day of data (default: last order date in the database); the partial period
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
    _check(freq)
    frame, as_of = _period_sales(con, scope, freq, as_of)
    if frame.empty:
        return frame.assign(as_of=pd.Series(dtype="datetime64[us]"))
    partial = frame[~_complete(frame, freq, as_of)].reset_index(drop=True)
    return partial.assign(as_of=pd.Timestamp(as_of))


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
