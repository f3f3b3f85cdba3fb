"""Customers by behaviour and value: RFM scores, named segments, ABC value tiers, segment movement.

RFM is computed as of an as-of date (passed in, never today): recency = days from a customer's last
order to the as-of date, frequency = orders (distinct order_id), monetary = revenue (Σ, returns
negative). Every order line up to the as-of date counts — the date range's start does not, so a
customer's whole relationship is scored; a page sets the as-of date from the range's end. The
scope's regions and channels apply (a customer is scored on their orders there); rep, category and
product filters do not (a segment describes the customer, not one product line).

Quintile scores, ties: score = 1 + floor(5 × (rank − 1) / n) with rank = SQL ``rank()`` (ties share
the lowest rank). Equal values always get equal scores; a tie that straddles a quintile edge takes
the lower score, so a big tie at the bottom (many one-order customers) can leave a quintile empty.
Recency ranks the longest absence first, so the most recent customers score 5. Value tiers follow
the same rule: customers with equal revenue share the lower tier.

Segments come from the recency score (R) and the frequency/monetary score FM = ceil((F + M) / 2) on
the usual 5 × 5 RFM map; every segment is a rectangle of that map (``SEGMENT_CELLS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from salesdash.db import run_sql
from salesdash.scope import Scope

# Value tiers (ABC / Pareto): the customers making the first 80% of revenue are A, the next 15% B,
# the last 5% C — the classic split, where a fifth or so of customers make most of the money.
TIER_A_SHARE = 0.80
TIER_B_SHARE = 0.95
VALUE_TIERS = ("A", "B", "C")

# Segment codes (names, descriptions and actions are in messages/customers.toml), best first, and
# the rectangle of the RFM map each covers: (R low, R high, FM low, FM high), both ends included.
SEGMENT_CELLS: dict[str, tuple[int, int, int, int]] = {
    "champions": (5, 5, 4, 5),
    "loyal": (3, 4, 4, 5),
    "potential_loyalists": (4, 5, 2, 3),
    "new": (5, 5, 1, 1),
    "promising": (4, 4, 1, 1),
    "need_attention": (3, 3, 3, 3),
    "about_to_sleep": (3, 3, 1, 2),
    "at_risk": (1, 2, 3, 4),
    "cant_lose": (1, 2, 5, 5),
    "hibernating": (2, 2, 1, 2),
    "lost": (1, 1, 1, 2),
}
SEGMENTS = tuple(SEGMENT_CELLS)
# Customers with no order before the earlier as-of date of a movement comparison.
NOT_YET = "not_yet"


def _segment_grid() -> np.ndarray:
    """The 5 × 5 RFM map as segment numbers (positions in ``SEGMENTS``), [R − 1, FM − 1]."""
    grid = np.full((5, 5), -1, dtype=np.int8)
    for i, (r_lo, r_hi, fm_lo, fm_hi) in enumerate(SEGMENT_CELLS.values()):
        grid[r_lo - 1 : r_hi, fm_lo - 1 : fm_hi] = i
    if (grid < 0).any():
        raise AssertionError("SEGMENT_CELLS leaves part of the RFM map without a segment")
    return grid


SEGMENT_GRID = _segment_grid()


def fm_scores(f_score: pd.Series, m_score: pd.Series) -> pd.Series:
    """The frequency/monetary axis of the segment map: ceil((F + M) / 2), 1–5."""
    return (f_score + m_score + 1) // 2


def segment_of(r_score: pd.Series, fm_score: pd.Series) -> pd.Series:
    """The segment code of each (R, FM) pair of scores, as a categorical in ``SEGMENTS`` order."""
    codes = SEGMENT_GRID[np.asarray(r_score) - 1, np.asarray(fm_score) - 1]
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=list(SEGMENTS)), index=r_score.index
    )


def _n_below(keys: np.ndarray) -> np.ndarray:
    """For each value, how many values are strictly smaller (= SQL ``rank()`` − 1)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if np.issubdtype(keys.dtype, np.integer):
        low, high = int(keys.min()), int(keys.max())
        if high - low <= 4 * n:  # days and order counts: count, don't sort
            counts = np.bincount(keys - low)
            return (np.cumsum(counts) - counts)[keys - low]
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    below = np.empty(n, dtype=np.int64)
    below[order] = run_start
    return below


def quintile_scores(values: np.ndarray, *, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1–5 by quintile: 1 + floor(5 × (rank − 1) / n), rank as SQL ``rank()`` gives it.

    Ties share the lowest rank, so equal values get equal scores and a tie across a quintile edge
    takes the lower score. With ``higher_is_better=False`` the smallest values score 5.
    """
    keys = np.asarray(values)
    if not higher_is_better:
        keys = -keys
    n = len(keys)
    return (1 + (5 * _n_below(keys)) // max(n, 1)).astype(np.int32)


def value_tiers(monetary: np.ndarray) -> np.ndarray:
    """ABC tier of each customer from their revenue (see ``TIER_A_SHARE``, ``TIER_B_SHARE``).

    Customers by revenue, largest first: A while the positive revenue of the customers before them
    is under 80% of the positive total, B under 95%, else C; no positive revenue is C. Customers
    with equal revenue count as before each other, so a tie across an edge takes the lower tier.

    Returns:
        Each customer's tier as its position in ``VALUE_TIERS`` (0 = A, 1 = B, 2 = C).
    """
    values = np.asarray(monetary, dtype=float)
    ordered = np.sort(values)
    prefix = np.concatenate([[0.0], np.cumsum(np.maximum(ordered, 0.0))])
    total = prefix[-1]
    at_least = total - prefix[np.searchsorted(ordered, values, side="left")]
    before = at_least - np.maximum(values, 0.0)
    tier = np.full(len(values), 2, dtype=np.int8)
    tier[(values > 0) & (before < TIER_B_SHARE * total)] = 1
    tier[(values > 0) & (before < TIER_A_SHARE * total)] = 0
    return tier


def rfm_table(con: duckdb.DuckDBPyConnection, scope: Scope, as_of: date) -> pd.DataFrame:
    """RFM scores, segment and value tier of every customer with an order up to ``as_of``.

    Args:
        con: the database.
        scope: its regions and channels apply; its dates do not (see the module docstring).
        as_of: the day the scores describe; orders after it are ignored.

    Returns:
        One row per customer, in no particular order: customer_id, first_order_date,
        last_order_date, recency_days, frequency, monetary, r_score, f_score, m_score, fm_score,
        segment, value_tier.
    """
    frame = run_sql(con, "customers/rfm", as_of=as_of, **scope.params())
    frame["r_score"] = quintile_scores(frame["recency_days"].to_numpy(), higher_is_better=False)
    frame["f_score"] = quintile_scores(frame["frequency"].to_numpy())
    frame["m_score"] = quintile_scores(frame["monetary"].to_numpy())
    frame["fm_score"] = fm_scores(frame["f_score"], frame["m_score"])
    frame["segment"] = segment_of(frame["r_score"], frame["fm_score"])
    frame["value_tier"] = pd.Categorical.from_codes(
        value_tiers(frame["monetary"].to_numpy()), categories=list(VALUE_TIERS)
    )
    return frame


def segment_summary(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per segment, in ``SEGMENTS`` order (empty segments included).

    Returns:
        One row per segment: segment, n_customers, revenue, customer_share, revenue_share (of the
        positive revenue total; 0–1), recency_days_median, frequency_mean.
    """
    grouped = rfm.groupby("segment", observed=False).agg(
        n_customers=("customer_id", "size"),
        revenue=("monetary", "sum"),
        recency_days_median=("recency_days", "median"),
        frequency_mean=("frequency", "mean"),
    )
    out = grouped.reindex(list(SEGMENTS)).rename_axis("segment").reset_index()
    out["n_customers"] = out["n_customers"].fillna(0).astype(int)
    out["revenue"] = out["revenue"].fillna(0.0)
    total_customers = max(len(rfm), 1)
    positive = rfm["monetary"].clip(lower=0).sum()
    out["customer_share"] = out["n_customers"] / total_customers
    out["revenue_share"] = out["revenue"] / positive if positive > 0 else 0.0
    return out


def segment_map(rfm: pd.DataFrame) -> pd.DataFrame:
    """The segment map's rectangles with their figures, for drawing.

    Returns:
        One row per segment: segment, r_low, r_high, fm_low, fm_high, n_customers, customer_share,
        revenue, revenue_share.
    """
    cells = pd.DataFrame(
        [(code, *box) for code, box in SEGMENT_CELLS.items()],
        columns=["segment", "r_low", "r_high", "fm_low", "fm_high"],
    )
    figures = segment_summary(rfm)[
        ["segment", "n_customers", "customer_share", "revenue", "revenue_share"]
    ]
    return cells.merge(figures, on="segment", how="left")


def tier_summary(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per value tier A/B/C: value_tier, n_customers, customer_share, revenue, revenue_share."""
    grouped = rfm.groupby("value_tier", observed=False).agg(
        n_customers=("customer_id", "size"), revenue=("monetary", "sum")
    )
    out = grouped.reindex(list(VALUE_TIERS)).rename_axis("value_tier").reset_index()
    out["n_customers"] = out["n_customers"].fillna(0).astype(int)
    out["revenue"] = out["revenue"].fillna(0.0)
    positive = rfm["monetary"].clip(lower=0).sum()
    out["customer_share"] = out["n_customers"] / max(len(rfm), 1)
    out["revenue_share"] = out["revenue"] / positive if positive > 0 else 0.0
    return out


def tier_segment_overlap(rfm: pd.DataFrame) -> pd.DataFrame:
    """Customers per segment (rows, ``SEGMENTS`` order) and value tier (columns A, B, C)."""
    table = pd.crosstab(rfm["segment"], rfm["value_tier"])
    return (
        table.reindex(index=list(SEGMENTS), columns=list(VALUE_TIERS), fill_value=0)
        .rename_axis(index="segment", columns=None)
        .reset_index()
    )


def segment_movement(
    con: duckdb.DuckDBPyConnection, scope: Scope, from_date: date, to_date: date
) -> pd.DataFrame:
    """How customers moved between segments from one as-of date to another.

    Scores are re-ranked at each date (quintiles of the customers of that date). A customer with
    no order up to ``from_date`` comes from ``NOT_YET``.

    Returns:
        One row per (from_segment, to_segment) that happened: from_segment, to_segment,
        n_customers, revenue (monetary at ``to_date``).
    """
    before = rfm_table(con, scope, from_date)[["customer_id", "segment"]]
    after = rfm_table(con, scope, to_date)[["customer_id", "segment", "monetary"]]
    moved = after.merge(before, on="customer_id", how="left", suffixes=("_to", "_from"))
    moved["segment_from"] = moved["segment_from"].astype("string").fillna(NOT_YET)
    moved["segment_to"] = moved["segment_to"].astype("string")
    out = (
        moved.groupby(["segment_from", "segment_to"])
        .agg(n_customers=("customer_id", "size"), revenue=("monetary", "sum"))
        .reset_index()
        .rename(columns={"segment_from": "from_segment", "segment_to": "to_segment"})
    )
    order = {code: i for i, code in enumerate((NOT_YET, *SEGMENTS))}
    return out.sort_values(["from_segment", "to_segment"], key=lambda s: s.map(order)).reset_index(
        drop=True
    )


@dataclass(frozen=True)
class RfmSummary:
    """The headline of an RFM run (the CLI's JSON)."""

    as_of: date
    n_customers: int
    revenue: float
    segments: dict[str, dict[str, float]]
    value_tiers: dict[str, dict[str, float]]

    @property
    def n_slipping(self) -> int:
        """Customers who were valuable and are drifting away: At risk plus Can't lose them."""
        return sum(int(self.segments[s]["n_customers"]) for s in ("at_risk", "cant_lose"))


def rfm_summary(rfm: pd.DataFrame, as_of: date) -> RfmSummary:
    """Counts and revenue per segment and per value tier."""
    seg = segment_summary(rfm)
    tiers = tier_summary(rfm)
    return RfmSummary(
        as_of=as_of,
        n_customers=len(rfm),
        revenue=round(float(rfm["monetary"].sum()), 2),
        segments={
            row.segment: {
                "n_customers": int(row.n_customers),
                "revenue": round(float(row.revenue), 2),
                "revenue_share": round(float(row.revenue_share), 4),
            }
            for row in seg.itertuples()
        },
        value_tiers={
            row.value_tier: {
                "n_customers": int(row.n_customers),
                "revenue": round(float(row.revenue), 2),
                "revenue_share": round(float(row.revenue_share), 4),
            }
            for row in tiers.itertuples()
        },
    )


# The per-customer table as the CLI writes it.
EXPORT_COLUMNS = [
    "customer_id",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "segment",
    "value_tier",
]


def movement_matrix(moves: pd.DataFrame) -> pd.DataFrame:
    """``segment_movement`` as a grid: rows from_segment (``NOT_YET`` first), columns to_segment."""
    grid = moves.pivot_table(
        index="from_segment", columns="to_segment", values="n_customers", aggfunc="sum"
    )
    return grid.reindex(index=[NOT_YET, *SEGMENTS], columns=list(SEGMENTS)).fillna(0).astype(int)


def moved(moves: pd.DataFrame, from_segment: str, *to_segments: str) -> int:
    """How many customers went from ``from_segment`` to any of ``to_segments`` (none: anywhere)."""
    hit = moves[moves["from_segment"] == from_segment]
    if to_segments:
        hit = hit[hit["to_segment"].isin(to_segments)]
    return int(hit["n_customers"].sum())
