"""The sales funnel from lead to contract: how far deals get, where they leak, who converts.

Definitions (DESIGN.md, "Metric definitions"), and the conventions applied here:

- **Stages** in order: lead → qualified → demo → proposal → won (lost is the way out, not a stage).
  A data set may use a subset (Maven: lead → qualified → won/lost); the funnel shows the open stages
  the data uses anywhere (in ``stage`` or ``lost_stage``) plus won, so a stage nobody reached in the
  period still shows, with zero.
- **Reached**: an opportunity has reached every stage up to its current one; a won deal every
  stage; a lost deal the stages up to its ``lost_stage``. When a lost deal has no ``lost_stage``
  it is assumed to have reached the last open stage the data uses (the stage just before won):
  exports without the column come from pipelines where Lost is decided at the end (Maven's data
  dictionary: "Prospecting > Engaging > Won / Lost", and all its lost deals have an engage date).
  The page says how many lost deals this assumption touches.
- **The funnel of a period** holds the opportunities *created* in it (a cohort). A row without
  ``created_date`` belongs to no period and no creation month: it is never in a funnel, and is
  counted apart (``n_undated``, by stage) so the page can say how many there are.
- **Win rate** = won / (won + lost) among deals *closed* in the period (on ``close_date``, or on
  ``created_date`` when the export has none); open deals are not in it. In a creation-month
  cohort (``by="month"``) it is the cohort's closed deals instead, whenever they closed.
- **Sales cycle** = close_date − created_date of the won deals closed in the period: median and
  the p25–p75 spread, in days.
- **Weighted pipeline** = Σ open amount × the historical win rate from its stage: won / closed
  among the closed deals of any date (in the scope's region/rep/product filters) that reached the
  stage. Open deals are those created in the period.
- **Scope**: the date range applies to ``created_date`` (``close_date`` for the win rate); regions,
  sales reps and products filter as everywhere. Opportunities have no sales channel (``source``
  is the channel the lead came from, not direct/store/online), so the channel filter does not
  apply to them.

Every function takes the connection and a Scope and returns a frozen dataclass or a DataFrame
whose grain and columns its docstring states. Rates are 0–1 and None (NaN in frames) when the
denominator is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import binom

from salesdash.db import run_sql
from salesdash.errors import InputError
from salesdash.kpis import ratio, ratio_or_none
from salesdash.scope import Scope

STAGES = ("lead", "qualified", "demo", "proposal", "won")
OPEN_STAGES = STAGES[:4]
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES, start=1)}
WON_RANK = STAGE_RANK["won"]
BREAKDOWNS = ("region", "sales_rep", "product", "source", "month")

# A rep is compared with the rest of their region at each step. Fewer deals than this at the
# step and a rate says little (20 deals give a 95% interval of about ±20 points): marked as a
# small sample, never flagged.
MIN_DEALS_FOR_FLAG = 20
# Flag only a gap a manager would act on (10 points) that is also unlikely to be luck: a
# one-sided exact binomial test of the rep's conversions against the rest of the region's rate.
FLAG_MARGIN = 0.10
FLAG_ALPHA = 0.05

STAGE_COLUMNS = ["stage", "reached", "value", "step_rate", "cumulative_rate", "drop_off"]


@dataclass(frozen=True)
class FunnelSummary:
    """The funnel of a scope and its headline figures.

    Attributes:
        stages: one row per funnel stage in order (see ``funnel_stages``).
        open_pipeline: one row per open stage the data uses (see ``open_pipeline``).
        n_created: dated opportunities created in the period (the funnel's first stage).
        n_won, n_lost: deals won / lost in the period; won_amount: their won value.
        win_rate: n_won / (n_won + n_lost), None without closed deals.
        n_open: open deals created in the period; open_amount, weighted_pipeline: their amount
            and its weighted value; n_open_without_amount: open deals with no amount.
        median_cycle_days, p25_cycle_days, p75_cycle_days: sales cycle of the won deals.
        n_undated: opportunities without created_date (in no funnel); undated_by_stage: stage → n.
        n_lost_stage_assumed: lost deals created in the period with no lost_stage, counted as
            having reached ``assumed_lost_stage``.
    """

    stages: pd.DataFrame = field(repr=False)
    open_pipeline: pd.DataFrame = field(repr=False)
    n_created: int
    n_won: int
    n_lost: int
    won_amount: float
    win_rate: float | None
    n_open: int
    open_amount: float
    weighted_pipeline: float
    n_open_without_amount: int
    median_cycle_days: float | None
    p25_cycle_days: float | None
    p75_cycle_days: float | None
    n_undated: int
    undated_by_stage: dict[str, int]
    n_lost_stage_assumed: int
    assumed_lost_stage: str


def stages_used(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The funnel's stages for this data set, in order: the open stages it uses, then won."""
    used = run_sql(con, "funnel/stages_used")["stage"].tolist()
    return (*used, "won")


def _assumed_lost_stage(stages: tuple[str, ...]) -> str:
    """Where a lost deal without lost_stage is counted: the last open stage (lead if none)."""
    return stages[-2] if len(stages) > 1 else "lead"


def _params(scope: Scope, by: str = "") -> dict[str, Any]:
    return {**scope.params(), "by": by}


def _check_by(by: str) -> None:
    if by not in BREAKDOWNS:
        raise InputError(f"unknown breakdown '{by}' (expected one of: {', '.join(BREAKDOWNS)})")


def _none_if_nan(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


@dataclass(frozen=True)
class _Groups:
    """Every figure per group, as arrays (one row per group), from one aggregated scan.

    reached / value: (groups, 5) deals created in the period reaching rank ≥ 1…5 and their amount;
    n_won, n_lost, won_amount: deals closed in the period; n_open, open_amount, n_without_amount:
    (groups, 4) open deals created in the period by open stage; rates: (4,) historical win rate
    from each open stage (closed deals of any date); undated: stage → n without created_date.
    """

    keys: pd.DataFrame
    stages: tuple[str, ...]
    reached: np.ndarray
    value: np.ndarray
    n_lost_stage_assumed: np.ndarray
    n_won: np.ndarray
    n_lost: np.ndarray
    won_amount: np.ndarray
    n_open: np.ndarray
    open_amount: np.ndarray
    n_without_amount: np.ndarray
    rates: np.ndarray
    undated: dict[str, int]

    @property
    def weighted(self) -> np.ndarray:
        """(groups, 4) open amount × the historical win rate from its stage (0 without one)."""
        return np.round(self.open_amount * np.nan_to_num(self.rates), 2)


def _aggregate(con: duckdb.DuckDBPyConnection, scope: Scope, by: str = "") -> _Groups:
    """Run sql/funnel/facts.sql (one scan) and fold it into per-group arrays with numpy.

    A lost deal without a known lost_stage comes back with no rank; it gets the assumed one
    here. Without region/rep/product filters the aggregate covers every opportunity, so the
    stages the data uses come from it instead of a second scan.
    """
    params = _params(scope, by)
    facts = run_sql(con, "funnel/facts", **params)
    keys = _group_keys(by)
    stage = facts["stage"].to_numpy(dtype=object)
    rank = facts["reached_rank"].to_numpy(dtype=float, na_value=np.nan)
    if any(params[k] for k in ("regions", "sales_reps", "products")):
        stages = stages_used(con)
    else:
        used = np.unique(rank[(stage != "won") & ~np.isnan(rank)])
        stages = (*(STAGES[int(r) - 1] for r in used), "won")
    is_assumed = (stage == "lost") & np.isnan(rank)
    rank[is_assumed] = STAGE_RANK[_assumed_lost_stage(stages)]
    has_rank = ~np.isnan(rank)
    r = np.where(has_rank, rank, 1).astype(int) - 1
    grouped = facts.groupby(keys, dropna=False, sort=False)
    codes = grouped.ngroup().to_numpy()
    key_frame = grouped.size().index.to_frame(index=False)
    n_groups = len(key_frame)
    n = facts["n"].to_numpy(dtype=float)
    amount = facts["amount"].to_numpy(dtype=float)
    created = facts["is_created_in_period"].to_numpy(dtype=bool)
    closed = facts["is_closed_in_period"].to_numpy(dtype=bool)
    won, lost = stage == "won", stage == "lost"
    is_open = np.isin(stage, OPEN_STAGES)

    def per_group(mask: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.bincount(codes[mask], weights[mask], minlength=n_groups)

    def per_group_rank(mask: np.ndarray, weights: np.ndarray, n_ranks: int) -> np.ndarray:
        idx = codes[mask] * n_ranks + r[mask]
        flat = np.bincount(idx, weights[mask], minlength=n_groups * n_ranks)
        return flat.reshape(n_groups, n_ranks)

    def reverse_cumsum(a: np.ndarray) -> np.ndarray:
        return a[..., ::-1].cumsum(axis=-1)[..., ::-1]

    in_funnel = created & has_rank
    open_now = created & is_open
    closed_any = (won | lost) & has_rank
    won_tail = reverse_cumsum(np.bincount(r[closed_any & won], n[closed_any & won], WON_RANK))
    closed_tail = reverse_cumsum(np.bincount(r[closed_any], n[closed_any], WON_RANK))
    undated = facts[facts["is_undated"]].groupby("stage")["n"].sum()
    undated = undated.sort_index(key=lambda s: s.map(STAGE_RANK).fillna(WON_RANK + 1))
    return _Groups(
        keys=key_frame,
        stages=stages,
        reached=reverse_cumsum(per_group_rank(in_funnel, n, WON_RANK)),
        value=reverse_cumsum(per_group_rank(in_funnel, amount, WON_RANK)),
        n_lost_stage_assumed=per_group(created & is_assumed, n),
        n_won=per_group(closed & won, n),
        n_lost=per_group(closed & lost, n),
        won_amount=per_group(closed & won, amount),
        n_open=per_group_rank(open_now, n, WON_RANK - 1),
        open_amount=per_group_rank(open_now, amount, WON_RANK - 1),
        n_without_amount=per_group_rank(
            open_now, n - facts["n_with_amount"].to_numpy(dtype=float), WON_RANK - 1
        ),
        rates=ratio(won_tail[: WON_RANK - 1], closed_tail[: WON_RANK - 1]),
        undated={str(k): int(v) for k, v in undated.items()},
    )


def _stage_long(groups: _Groups, rows: np.ndarray) -> pd.DataFrame:
    """One row per group (of ``rows``) × funnel stage, with the group's key columns first."""
    stages = groups.stages
    cols = [STAGE_RANK[s] - 1 for s in stages]
    reached = groups.reached[rows][:, cols]
    value = groups.value[rows][:, cols]
    previous = np.concatenate([reached[:, :1], reached[:, :-1]], axis=1)
    first = np.tile(np.arange(len(stages)) == 0, len(reached))
    frame = pd.DataFrame(
        {
            "stage": np.tile(np.array(stages, dtype=object), len(reached)),
            "reached": reached.ravel().astype("int64"),
            "value": value.ravel(),
            "step_rate": np.where(first, np.nan, ratio(reached, previous).ravel()),
            "cumulative_rate": ratio(reached, reached[:, :1]).ravel(),
            "drop_off": (previous - reached).ravel().astype("int64"),
        }
    )
    keys = groups.keys.iloc[np.repeat(np.flatnonzero(rows), len(stages))]
    return pd.concat([keys.reset_index(drop=True), frame], axis=1)


def _cycle(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> pd.DataFrame:
    return run_sql(con, "funnel/cycle", **params)


def funnel_stages(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """The funnel of the opportunities created in the scope's period.

    Returns:
        One row per funnel stage, in order: stage, reached (deals that got at least this far),
        value (their amount), step_rate (reached / reached at the previous stage; NaN for the
        first stage), cumulative_rate (reached / reached at the first stage), drop_off (deals
        lost between the previous stage and this one; 0 for the first).
    """
    return funnel_summary(con, scope).stages


def open_pipeline(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Open deals created in the period, by stage, with their weighted value.

    Returns:
        One row per open stage the data uses, in order: stage, n_open, open_amount,
        n_without_amount, win_rate_from_stage (historical won / closed among closed deals that
        reached the stage; NaN without history), weighted_amount (open_amount ×
        win_rate_from_stage, 0 without history).
    """
    return funnel_summary(con, scope).open_pipeline


def _single(groups: _Groups) -> _Groups:
    """The one group of an ungrouped aggregate, or zeros when there are no rows at all."""
    if len(groups.keys):
        return groups
    zeros = {
        name: np.zeros((1, *getattr(groups, name).shape[1:]))
        for name in (
            "reached",
            "value",
            "n_lost_stage_assumed",
            "n_won",
            "n_lost",
            "won_amount",
            "n_open",
            "open_amount",
            "n_without_amount",
        )
    }
    return replace(groups, keys=pd.DataFrame({"group_key": ["all"]}), **zeros)


def funnel_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> FunnelSummary:
    """The funnel, win rate, sales cycle and weighted open pipeline of a scope (see module doc)."""
    groups = _single(_aggregate(con, scope))
    stages = groups.stages
    stage_table = _stage_long(groups, np.array([True])).drop(columns="group_key")
    open_cols = [STAGE_RANK[s] - 1 for s in stages[:-1]]
    pipeline = pd.DataFrame(
        {
            "stage": list(stages[:-1]),
            "n_open": groups.n_open[0, open_cols].astype("int64"),
            "open_amount": groups.open_amount[0, open_cols],
            "n_without_amount": groups.n_without_amount[0, open_cols].astype("int64"),
            "win_rate_from_stage": groups.rates[open_cols],
            "weighted_amount": groups.weighted[0, open_cols],
        }
    )
    n_won, n_lost = int(groups.n_won[0]), int(groups.n_lost[0])
    cycle = _cycle(con, _params(scope))
    quartiles = cycle.iloc[0] if len(cycle) else pd.Series(dtype=float)
    return FunnelSummary(
        stages=stage_table,
        open_pipeline=pipeline,
        n_created=int(stage_table["reached"].iloc[0]),
        n_won=n_won,
        n_lost=n_lost,
        won_amount=float(groups.won_amount[0]),
        win_rate=ratio_or_none(n_won, n_won + n_lost),
        n_open=int(pipeline["n_open"].sum()),
        open_amount=float(pipeline["open_amount"].sum()),
        weighted_pipeline=float(pipeline["weighted_amount"].sum()),
        n_open_without_amount=int(pipeline["n_without_amount"].sum()),
        median_cycle_days=_none_if_nan(quartiles.get("median_cycle_days")),
        p25_cycle_days=_none_if_nan(quartiles.get("p25_cycle_days")),
        p75_cycle_days=_none_if_nan(quartiles.get("p75_cycle_days")),
        n_undated=sum(groups.undated.values()),
        undated_by_stage=groups.undated,
        n_lost_stage_assumed=int(groups.n_lost_stage_assumed[0]),
        assumed_lost_stage=_assumed_lost_stage(stages),
    )


def _group_keys(by: str) -> list[str]:
    return ["group_key", "group_region"] if by == "sales_rep" else ["group_key"]


def _rename_keys(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return frame.rename(columns={"group_key": by, "group_region": "region"})


def funnel_stages_by(con: duckdb.DuckDBPyConnection, scope: Scope, by: str) -> pd.DataFrame:
    """The funnel per group.

    Args:
        by: one of BREAKDOWNS; ``month`` is the creation month (``YYYY-MM``, a cohort);
            ``sales_rep`` groups by (sales_rep, region), since a rep is judged in their region.

    Returns:
        One row per group × funnel stage: the group column(s) (``<by>``, and ``region`` for
        sales_rep), then the columns of ``funnel_stages``. Groups with no opportunity created in
        the period are absent.
    """
    _check_by(by)
    groups = _aggregate(con, scope, by)
    return _rename_keys(_stage_long(groups, groups.reached[:, 0] > 0), by)


def step_names(stages: tuple[str, ...]) -> list[str]:
    """``lead_to_qualified`` … one name per step between consecutive funnel stages."""
    return [f"{a}_to_{b}" for a, b in zip(stages[:-1], stages[1:], strict=True)]


def funnel_breakdown(con: duckdb.DuckDBPyConnection, scope: Scope, by: str) -> pd.DataFrame:
    """The headline figures per group, one row each, for a sortable table.

    Returns:
        One row per group (see ``funnel_stages_by`` for ``by``): the group column(s), n_created,
        n_won, n_lost, win_rate, won_amount, median_cycle_days, n_open, open_amount,
        weighted_pipeline, then ``<step>_rate`` per step (``lead_to_qualified_rate`` …).
        Closed-deal figures follow the win-rate convention of the module doc (deals closed in the
        period; for ``month``, the cohort's closed deals). Groups with deals created or closed in
        the period appear; sorted by n_created, then n_won, largest first (months: in order).
    """
    _check_by(by)
    groups = _aggregate(con, scope, by)
    keys = _group_keys(by)
    stages = groups.stages
    out = groups.keys.copy()
    out["n_created"] = groups.reached[:, 0].astype("int64")
    out["n_won"] = groups.n_won.astype("int64")
    out["n_lost"] = groups.n_lost.astype("int64")
    out["win_rate"] = ratio(groups.n_won, groups.n_won + groups.n_lost)
    out["won_amount"] = groups.won_amount
    cycle = _cycle(con, _params(scope, by))[[*keys, "median_cycle_days"]]
    out = out.merge(cycle, on=keys, how="left")
    out["n_open"] = groups.n_open.sum(axis=1).astype("int64")
    out["open_amount"] = groups.open_amount.sum(axis=1)
    out["weighted_pipeline"] = groups.weighted.sum(axis=1)
    for name, a, b in zip(step_names(stages), stages[:-1], stages[1:], strict=True):
        reached = groups.reached
        out[f"{name}_rate"] = ratio(reached[:, STAGE_RANK[b] - 1], reached[:, STAGE_RANK[a] - 1])
    out = out[(out["n_created"] > 0) | (out["n_won"] + out["n_lost"] > 0)]
    if by == "month":
        out = out.sort_values("group_key")
    else:
        out = out.sort_values(["n_created", "n_won"], ascending=False, kind="stable")
    return _rename_keys(out.reset_index(drop=True), by)


def rep_flags(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Each rep's step conversion against the rest of their region, flagged when far below.

    A rep is ``flagged`` at a step when at least MIN_DEALS_FOR_FLAG of their deals reached the
    step, their conversion is FLAG_MARGIN (10 points) or more below the rest of their region's
    (the region without them), and a one-sided exact binomial test of their conversions against
    that rate gives p < FLAG_ALPHA. Fewer deals: ``small_sample`` (never flagged); a region
    with fewer than MIN_DEALS_FOR_FLAG deals at the step besides the rep: ``no_peers``; else
    ``ok``. Open deals count as not (yet) converted, for the rep and the region alike.

    Returns:
        One row per (region, sales_rep, step): region, sales_rep, step (``lead_to_qualified`` …),
        n_at_step, n_converted, rep_rate, region_rate (rest of the region), gap (rep_rate −
        region_rate), p_value (NaN unless tested), verdict (flagged | ok | small_sample |
        no_peers). Flagged rows first, then by gap, lowest first.
    """
    long = funnel_stages_by(con, scope, "sales_rep")
    stages = tuple(long["stage"].drop_duplicates()) if len(long) else stages_used(con)
    columns = [
        "region",
        "sales_rep",
        "step",
        "n_at_step",
        "n_converted",
        "rep_rate",
        "region_rate",
        "gap",
        "p_value",
        "verdict",
    ]
    if long.empty or len(stages) < 2:
        return pd.DataFrame(columns=columns)
    reached = long.set_index(["region", "sales_rep", "stage"])["reached"].unstack("stage")
    parts = []
    for name, a, b in zip(step_names(stages), stages[:-1], stages[1:], strict=True):
        part = pd.DataFrame({"n_at_step": reached[a], "n_converted": reached[b]}).reset_index()
        totals = part.groupby("region", dropna=False)[["n_at_step", "n_converted"]].transform("sum")
        rest_n = totals["n_at_step"] - part["n_at_step"]
        rest_x = totals["n_converted"] - part["n_converted"]
        part["step"] = name
        part["rep_rate"] = ratio(part["n_converted"], part["n_at_step"])
        part["region_rate"] = ratio(rest_x, rest_n)
        part["gap"] = part["rep_rate"] - part["region_rate"]
        testable = (part["n_at_step"] >= MIN_DEALS_FOR_FLAG) & (rest_n >= MIN_DEALS_FOR_FLAG)
        p = binom.cdf(
            part["n_converted"], part["n_at_step"], part["region_rate"].fillna(0).clip(0, 1)
        )
        part["p_value"] = np.where(testable, p, np.nan)
        part["verdict"] = np.select(
            [
                part["n_at_step"] < MIN_DEALS_FOR_FLAG,
                rest_n < MIN_DEALS_FOR_FLAG,
                (part["gap"] <= -FLAG_MARGIN) & (part["p_value"] < FLAG_ALPHA),
            ],
            ["small_sample", "no_peers", "flagged"],
            default="ok",
        )
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["n_at_step"] = out["n_at_step"].astype("int64")
    out["n_converted"] = out["n_converted"].astype("int64")
    out = out.sort_values(
        ["verdict", "gap"], key=lambda s: s.ne("flagged") if s.name == "verdict" else s
    )
    return out[columns].reset_index(drop=True)


def conversion_trend(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Win rate and step conversion per month, with the number of deals behind each point.

    Win rate is by the month deals closed (won / closed that month); step conversion by the
    month deals were created (reached next / reached this stage, in that cohort).

    Returns:
        One row per month × metric: month (first day, a Timestamp), metric (``win_rate`` or a
        step name such as ``lead_to_qualified``), rate, n_deals (the denominator), in month order.
    """
    cohorts = _aggregate(con, scope, "month")
    rows = cohorts.reached[:, 0] > 0
    months = cohorts.keys["group_key"].to_numpy()[rows]
    parts = []
    for name, a, b in zip(
        step_names(cohorts.stages), cohorts.stages[:-1], cohorts.stages[1:], strict=True
    ):
        at = cohorts.reached[rows, STAGE_RANK[a] - 1]
        nxt = cohorts.reached[rows, STAGE_RANK[b] - 1]
        parts.append(
            pd.DataFrame({"month": months, "metric": name, "rate": ratio(nxt, at), "n_deals": at})
        )
    closing = _aggregate(con, scope, "close_month")
    n_closed = closing.n_won + closing.n_lost
    rows = (n_closed > 0) & closing.keys["group_key"].notna().to_numpy()
    parts.append(
        pd.DataFrame(
            {
                "month": closing.keys["group_key"].to_numpy()[rows],
                "metric": "win_rate",
                "rate": ratio(closing.n_won[rows], n_closed[rows]),
                "n_deals": n_closed[rows],
            }
        )
    )
    out = pd.concat(parts, ignore_index=True)
    out["month"] = pd.to_datetime(out["month"], format="%Y-%m")
    out["n_deals"] = out["n_deals"].astype("int64")
    return out.sort_values(["month", "metric"]).reset_index(drop=True)
