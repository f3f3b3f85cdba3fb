"""What-if: a scenario applied to a forecast's reconciled sample paths, the hierarchy kept coherent.

A scenario is a list of ``Change``s, each to one series of the hierarchy from a period on:
- a share: ``Change("region", "East", date(2026, 12, 1), factor=1.05)`` — East +5% from December;
- an amount a period: ``Change("region", "East", start, amount=-12_000)`` — a lost customer's
  expected revenue a month, or a deal won (+ its amount in its close month, less what the
  forecast already expected of it) or lost (− what was expected of it).

Every path moves (so ranges and the chance of reaching a target move with the projection), and the
change flows to the total and, split by the children's shares of the forecast, to the other ways
of splitting it (which channel a region's extra sales go through is not in the hierarchy; the
forecast's own mix is the best guess). Regions, channels and categories still sum to the total,
path by path. Pure and fast: a scenario on the stored paths takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from salesdash.forecast.hierarchy import interval_frame
from salesdash.forecast.reconcile import SPLITS, round_coherent

if TYPE_CHECKING:
    from salesdash.forecast import HierarchyForecast


@dataclass(frozen=True)
class Change:
    """One change of a scenario: series (level, unique_id) from the period containing ``start``
    to the one containing ``end`` (None: to the horizon), its paths × ``factor`` + ``amount``."""

    level: str
    unique_id: str
    start: date
    end: date | None = None
    factor: float = 1.0
    amount: float = 0.0


def scenario_paths(
    keys: Sequence[tuple[str, str]],
    ds: pd.DatetimeIndex,
    mean: np.ndarray,
    paths: np.ndarray,
    changes: Sequence[Change],
) -> tuple[np.ndarray, np.ndarray]:
    """``(mean, paths)`` with every change applied (see the module docstring); both coherent when
    the inputs are.

    Args:
        keys: (level, unique_id) of the last axis; ds: starts of the forecast periods.
        mean: point forecasts (h, k); paths: sample paths (n, h, k).
    """
    keys = list(keys)
    total = keys.index(("total", "total"))
    ends = _period_ends(ds)
    new_mean, new_paths = mean.astype(float).copy(), paths.astype(float).copy()
    for change in changes:
        if (change.level, change.unique_id) not in keys:
            raise ValueError(f"no series {change.level} '{change.unique_id}' in this forecast")
        i = keys.index((change.level, change.unique_id))
        on = (ends >= pd.Timestamp(change.start)) & (
            True if change.end is None else ds <= pd.Timestamp(change.end)
        )
        delta_mean = np.where(on, new_mean[:, i] * (change.factor - 1) + change.amount, 0.0)
        delta_paths = np.where(on, new_paths[:, :, i] * (change.factor - 1) + change.amount, 0.0)
        for target, delta in ((new_mean, delta_mean), (new_paths, delta_paths)):
            target[..., i] += delta
            if i != total:
                target[..., total] += delta
            for level in SPLITS:
                if level == change.level:
                    continue
                children = [j for j, key in enumerate(keys) if key[0] == level]
                if children:
                    target[..., children] += _shares(mean, children) * delta[..., None]
    return new_mean, new_paths


def _period_ends(ds: pd.DatetimeIndex) -> pd.DatetimeIndex:
    step = ds[1] - ds[0] if len(ds) > 1 else pd.Timedelta(days=27)
    if step >= pd.Timedelta(days=28):
        return ds + pd.offsets.MonthEnd(0)
    return ds + pd.Timedelta(days=6)


def _shares(mean: np.ndarray, children: list[int]) -> np.ndarray:
    """Each child's share of its split's forecast per period, shape (h, len(children))."""
    part = mean[:, children]
    sums = part.sum(axis=1, keepdims=True)
    even = np.full_like(part, 1.0 / len(children))
    return np.where(sums != 0, part / np.where(sums != 0, sums, 1.0), even)


def _shown_mean(result: HierarchyForecast, ds: pd.DatetimeIndex) -> np.ndarray:
    """The forecast's point forecasts as shown (rounded coherent), shape (h, k); the paths' mean
    for series too thin to show."""
    mean = result.paths.mean(axis=0)
    shown = result.forecast.set_index(["level", "unique_id", "ds"])["yhat"]
    for i, (level, uid) in enumerate(result.keys):
        if (level, uid, ds[0]) in shown.index:
            mean[:, i] = shown.loc[(level, uid)].reindex(ds).to_numpy()
    return mean


def _forecast_periods(result: HierarchyForecast) -> pd.DatetimeIndex | None:
    ds = pd.DatetimeIndex(sorted(result.forecast["ds"].unique()))
    return ds if len(ds) == result.paths.shape[1] and len(ds) else None


def what_if(result: HierarchyForecast, changes: Sequence[Change]) -> HierarchyForecast:
    """A whole-hierarchy forecast (before ``select``) as it would be under ``changes``: forecast
    (points and ranges) and paths moved, everything else (history, accuracy, grain) as it was.
    Never mixed up with the baseline: a new result, the baseline untouched."""
    ds = _forecast_periods(result)
    if ds is None:  # every series too thin: nothing to move
        return result
    keys = list(result.keys)
    mean = _shown_mean(result, ds)
    new_mean, new_paths = scenario_paths(keys, ds, mean, result.paths, changes)
    frame = interval_frame(keys, ds, new_paths, round_coherent(new_mean, keys))
    frame = frame.merge(result.forecast[["level", "unique_id"]].drop_duplicates())
    return replace(result, forecast=frame, paths=new_paths)


def scenario_deltas(result: HierarchyForecast, changes: Sequence[Change]) -> pd.DataFrame:
    """What ``changes`` add to each series' forecast in each period (negative: take off).

    Returns:
        One row per series of the hierarchy, indexed by (level, unique_id), one column per
        forecast period start: the scenario's point forecast minus the baseline's. Coherent as
        the forecast is (the regions' rows sum to the total's). Empty without a forecast.
    """
    ds = _forecast_periods(result)
    if ds is None:
        return pd.DataFrame()
    keys = list(result.keys)
    mean = _shown_mean(result, ds)
    no_paths = np.zeros((0, len(ds), len(keys)))
    new_mean, _ = scenario_paths(keys, ds, mean, no_paths, changes)
    index = pd.MultiIndex.from_tuples(keys, names=["level", "unique_id"])
    return pd.DataFrame((new_mean - mean).T, index=index, columns=ds)
