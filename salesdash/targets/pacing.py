"""Seasonal pacing: the share of a period's metric that earlier years put on or before each day."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from salesdash.periods import years_earlier

# Years of history behind the seasonal pacing: three is enough to average out one odd year and
# short enough that an old sales pattern does not outweigh the current one.
PACING_YEARS = 3


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
        lo, hi = years_earlier(start, k), years_earlier(end, k)
        if lo < data_start or hi > data_end:
            continue
        shifted = [pd.Timestamp(years_earlier(d.date(), k)) for d in days]
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
