"""Make forecasts add up: regions, channels and categories each sum to the company total.

The hierarchy is *grouped*: one total and three ways of splitting it. Series are keyed
``(level, unique_id)`` with level total|region|channel|category. Coherence is a set of linear
constraints ``C @ v = 0`` (one per splitting level: total − Σ children = 0).

Methods:
- ``bottom_up``: the total is the sum of the regions; channels and categories are scaled to it.
- ``wls``: MinT with a diagonal covariance (each series weighted by its in-sample error variance):
  the smallest weighted change that satisfies every constraint,
  ``ṽ = v − W Cᵀ (C W Cᵀ)⁻¹ C v``.
- ``ols``: the same with equal weights.
- ``none``: base forecasts as they are (incoherent; for the backtest's comparison).

Reconciliation is linear (``bottom_up`` is linear given the scale factors), so it applies to the
point forecasts and to every sample path alike: reconciled intervals are quantiles of reconciled
paths.
"""

from __future__ import annotations

import numpy as np

RECONCILERS = ("bottom_up", "wls", "ols", "none")
SPLITS = ("region", "channel", "category")


def constraint_matrix(keys: list[tuple[str, str]]) -> np.ndarray:
    """One row per splitting level present: +1 on the total, −1 on each of its children."""
    total = keys.index(("total", "total"))
    rows = []
    for level in SPLITS:
        children = [i for i, (lv, _) in enumerate(keys) if lv == level]
        if not children:
            continue
        row = np.zeros(len(keys))
        row[total] = 1.0
        row[children] = -1.0
        rows.append(row)
    return np.array(rows).reshape(len(rows), len(keys))


def reconcile(
    values: np.ndarray,
    keys: list[tuple[str, str]],
    method: str,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Coherent version of ``values`` (last axis = series in ``keys`` order).

    Args:
        values: base forecasts, shape (..., len(keys)) — points (h, k) or paths (n, h, k).
        method: one of RECONCILERS.
        weights: per-series error variances for "wls" (positive).
    """
    if method not in RECONCILERS:
        raise ValueError(f"unknown reconciliation '{method}' (use one of {RECONCILERS})")
    if method == "none":
        return values
    total = keys.index(("total", "total"))
    if method == "bottom_up":
        out = values.copy()
        present = [lv for lv in SPLITS if any(k[0] == lv for k in keys)]
        if not present:
            return out
        bottom = [i for i, k in enumerate(keys) if k[0] == present[0]]
        out[..., total] = values[..., bottom].sum(axis=-1)
        for level in present[1:]:
            children = [i for i, k in enumerate(keys) if k[0] == level]
            sums = values[..., children].sum(axis=-1, keepdims=True)
            safe = np.where(sums == 0, 1.0, sums)
            share = np.where(sums == 0, 1.0 / len(children), values[..., children] / safe)
            out[..., children] = share * out[..., [total]]
        return out
    c = constraint_matrix(keys)
    if c.shape[0] == 0:
        return values
    w = np.ones(len(keys)) if method == "ols" or weights is None else np.asarray(weights, float)
    usable = np.isfinite(w) & (w > 0)
    w = np.where(usable, w, w[usable].max() if usable.any() else 1.0)
    wc = w[:, None] * c.T
    projection = np.eye(len(keys)) - wc @ np.linalg.solve(c @ wc, c)
    return values @ projection.T


def reconcile_nonnegative(
    points: np.ndarray,
    paths: np.ndarray,
    keys: list[tuple[str, str]],
    method: str,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Reconcile point forecasts and sample paths alike: (points, paths, the method used).

    A weighted projection can push a small series below zero to satisfy the constraints; sales
    cannot be negative, so when ``method`` does that to non-negative base points, bottom-up (which
    only adds and scales) is used instead.
    """
    mean = reconcile(points, keys, method, weights)
    if method != "bottom_up" and (mean < 0).any() and (points >= 0).all():
        method = "bottom_up"
        mean = reconcile(points, keys, method, weights)
    return mean, reconcile(paths, keys, method, weights), method


def round_coherent(values: np.ndarray, keys: list[tuple[str, str]]) -> np.ndarray:
    """Round points of shape (h, k) to cents so every split still sums to the rounded total.

    The total is rounded once; each level's children are rounded and the cents lost to rounding go
    to its largest child (never more than half a cent per child).
    """
    out = np.round(values, 2)
    rows = np.arange(out.shape[0])
    total = keys.index(("total", "total"))
    for level in SPLITS:
        children = [i for i, k in enumerate(keys) if k[0] == level]
        if not children:
            continue
        gap = np.round(out[:, total] - out[:, children].sum(axis=1), 2)
        largest = np.array(children)[np.argmax(np.abs(out[:, children]), axis=1)]
        out[rows, largest] += gap
    return np.round(out, 2)


def scale_spread(
    mean: np.ndarray,
    paths: np.ndarray,
    keys: list[tuple[str, str]],
    widths: dict[str, float],
) -> np.ndarray:
    """Coherent paths whose spread around ``mean`` is scaled per level of the hierarchy.

    Scaling each level's deviations by its own factor would break the sums. So each child's
    deviation is split in two: its share of the total's deviation (by its share of the total's
    point forecast) and the rest, which sums to zero across the children of a split. The total's
    deviation, and every child's share of it, is scaled by ``widths["total"]``; the rest by the
    child's level's factor. Every split still sums to the total, path by path.

    Args:
        mean: coherent point forecasts, shape (h, k); paths: coherent paths (n, h, k).
        widths: factor per level (total, region, channel, category); a level left out keeps 1.
    """
    total = keys.index(("total", "total"))
    k_total = widths.get("total", 1.0)
    deviation = paths - mean[None]
    out = mean[None] + k_total * deviation
    for level in SPLITS:
        children = [i for i, key in enumerate(keys) if key[0] == level]
        if not children:
            continue
        sums = mean[:, children].sum(axis=1, keepdims=True)
        share = np.where(sums != 0, mean[:, children] / np.where(sums != 0, sums, 1.0), 0.0)
        share = np.where(sums != 0, share, 1.0 / len(children))
        common = share[None] * deviation[:, :, [total]]
        own = deviation[:, :, children] - common
        out[:, :, children] = (
            mean[None, :, children] + k_total * common + widths.get(level, 1.0) * own
        )
    return out
