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

from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import binom

from salesdash.db import run_sql
from salesdash.errors import InputError
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


def _ratio(num: Any, den: Any) -> Any:
    """num / den with NaN where den is 0 (works on scalars and arrays)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return out if out.ndim else float(out)


def _none_if_nan(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _stage_long(reach: pd.DataFrame, stages: tuple[str, ...], keys: list[str]) -> pd.DataFrame:
    """Counts per (keys, reached_rank) → one row per keys × stage with the funnel columns."""
    ranks = [STAGE_RANK[s] for s in stages]
    all_ranks = list(range(1, WON_RANK + 1))
    # groupby + unstack keeps only the groups that occur (pivot_table with dropna=False would
    # make every region × rep combination) and keeps a missing key as its own group.
    grouped = reach.groupby([*keys, "reached_rank"], dropna=False)[["n", "amount"]].sum()
    counts = grouped["n"].unstack("reached_rank").reindex(columns=all_ranks)
    index = counts.index
    amounts = grouped["amount"].unstack("reached_rank").reindex(columns=all_ranks)
    counts, amounts = counts.fillna(0).to_numpy(), amounts.fillna(0).to_numpy()
    # Reached stage r = every deal whose last stage is r or later: a reversed cumulative sum.
    reached = counts[:, ::-1].cumsum(axis=1)[:, ::-1][:, [r - 1 for r in ranks]]
    value = amounts[:, ::-1].cumsum(axis=1)[:, ::-1][:, [r - 1 for r in ranks]]
    previous = np.concatenate([reached[:, :1], reached[:, :-1]], axis=1)
    frame = pd.DataFrame(
        {
            "stage": np.tile(np.array(stages, dtype=object), len(reached)),
            "reached": reached.ravel().astype("int64"),
            "value": value.ravel(),
            "step_rate": np.where(
                np.tile(np.arange(len(stages)) == 0, len(reached)),
                np.nan,
                _ratio(reached, previous).ravel(),
            ),
            "cumulative_rate": _ratio(reached, reached[:, :1]).ravel(),
            "drop_off": (previous - reached).ravel().astype("int64"),
        }
    )
    key_frame = index.to_frame(index=False).loc[np.repeat(np.arange(len(index)), len(stages))]
    return pd.concat([key_frame.reset_index(drop=True), frame], axis=1)


def _facts(
    con: duckdb.DuckDBPyConnection, scope: Scope, by: str = ""
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The one-scan aggregate every figure is derived from (see sql/funnel/facts.sql), with the
    assumed rank filled in for lost deals without lost_stage, and the funnel's stages.

    Without region/rep/product filters the aggregate covers every opportunity, so the stages the
    data uses come from it instead of a second scan.
    """
    params = _params(scope, by)
    facts = run_sql(con, "funnel/facts", **params).astype({"reached_rank": "float64"})
    if any(params[k] for k in ("regions", "sales_reps", "products")):
        stages = stages_used(con)
    else:
        ranks = facts.loc[facts["stage"].ne("won"), "reached_rank"].dropna().unique()
        stages = (*(STAGES[int(r) - 1] for r in sorted(ranks)), "won")
    assumed = facts["stage"].eq("lost") & facts["reached_rank"].isna()
    facts["is_lost_stage_assumed"] = assumed
    facts.loc[assumed, "reached_rank"] = float(STAGE_RANK[_assumed_lost_stage(stages)])
    return facts, stages


def _reach(facts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Opportunities created in the period per keys × reached_rank: n, amount, assumed lost."""
    rows = facts[facts["is_created_in_period"] & facts["reached_rank"].notna()]
    rows = rows.assign(n_lost_stage_assumed=rows["n"].where(rows["is_lost_stage_assumed"], 0))
    cols = ["n", "amount", "n_lost_stage_assumed"]
    out = rows.groupby([*keys, "reached_rank"], dropna=False)[cols].sum().reset_index()
    return out.astype({"reached_rank": "int64"})


def _closed(facts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Deals closed in the period per group: n_won, n_lost, won_amount, win_rate."""
    rows = facts[facts["is_closed_in_period"]]
    won = rows["stage"].eq("won")
    rows = rows.assign(
        n_won=rows["n"].where(won, 0),
        n_lost=rows["n"].where(~won, 0),
        won_amount=rows["amount"].where(won, 0.0),
    )
    out = rows.groupby(keys, dropna=False)[["n_won", "n_lost", "won_amount"]].sum().reset_index()
    out["win_rate"] = _ratio(out["n_won"], out["n_won"] + out["n_lost"])
    return out


def _stage_win_rates(facts: pd.DataFrame) -> pd.DataFrame:
    """Per open stage rank: won / closed among closed deals of any date that reached it."""
    closed = facts[facts["stage"].isin(["won", "lost"]) & facts["reached_rank"].notna()]
    closed = closed.assign(n_won=closed["n"].where(closed["stage"].eq("won"), 0))
    by_rank = closed.groupby("reached_rank")[["n_won", "n"]].sum()
    by_rank = by_rank.reindex([float(r) for r in range(1, WON_RANK + 1)], fill_value=0)
    tail = by_rank.iloc[::-1].cumsum().iloc[::-1].iloc[: WON_RANK - 1]
    return pd.DataFrame(
        {
            "stage_rank": [float(r) for r in range(1, WON_RANK)],
            "win_rate_from_stage": _ratio(tail["n_won"], tail["n"]),
        }
    )


def _open(facts: pd.DataFrame, keys: list[str], rates: pd.DataFrame) -> pd.DataFrame:
    """Open deals created in the period per keys × stage_rank, weighted by the stage win rate."""
    rows = facts[facts["is_created_in_period"] & facts["stage"].isin(OPEN_STAGES)]
    rows = rows.assign(n_without_amount=rows["n"] - rows["n_with_amount"])
    cols = ["n", "amount", "n_without_amount"]
    out = rows.groupby([*keys, "reached_rank"], dropna=False)[cols].sum().reset_index()
    out = out.rename(columns={"n": "n_open", "amount": "open_amount", "reached_rank": "stage_rank"})
    out = out.merge(rates, on="stage_rank", how="left")
    weighted = out["open_amount"] * out["win_rate_from_stage"].fillna(0)
    out["weighted_amount"] = weighted.round(2)
    return out


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


def _pipeline_by_stage(facts: pd.DataFrame, stages: tuple[str, ...]) -> pd.DataFrame:
    used = pd.DataFrame({"stage_rank": [float(STAGE_RANK[s]) for s in stages[:-1]]})
    rates = _stage_win_rates(facts)
    rows = _open(facts, ["group_key"], rates).drop(columns=["group_key", "win_rate_from_stage"])
    out = used.merge(rows, on="stage_rank", how="left").merge(rates, on="stage_rank", how="left")
    out = out.fillna(
        {"n_open": 0, "open_amount": 0.0, "n_without_amount": 0, "weighted_amount": 0.0}
    )
    out["stage"] = out["stage_rank"].astype(int).map(dict(enumerate(STAGES, start=1)))
    out = out.astype({"n_open": "int64", "n_without_amount": "int64"})
    return out[
        [
            "stage",
            "n_open",
            "open_amount",
            "n_without_amount",
            "win_rate_from_stage",
            "weighted_amount",
        ]
    ]


def funnel_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> FunnelSummary:
    """The funnel, win rate, sales cycle and weighted open pipeline of a scope (see module doc)."""
    params = _params(scope)
    facts, stages = _facts(con, scope)
    reach = _reach(facts, ["group_key"])
    if reach.empty:
        reach = pd.DataFrame(
            {"group_key": ["all"], "reached_rank": [1], "n": [0], "amount": [0.0]}
        ).assign(n_lost_stage_assumed=0)
    stage_table = _stage_long(reach, stages, ["group_key"]).drop(columns="group_key")
    closed = _closed(facts, ["group_key"])
    n_won = int(closed["n_won"].sum())
    n_lost = int(closed["n_lost"].sum())
    cycle = _cycle(con, params)
    quartiles = cycle.iloc[0] if len(cycle) else pd.Series(dtype=float)
    pipeline = _pipeline_by_stage(facts, stages)
    undated = facts[facts["is_undated"]].groupby("stage")["n"].sum()
    undated = undated.sort_index(key=lambda s: s.map(STAGE_RANK).fillna(WON_RANK + 1))
    return FunnelSummary(
        stages=stage_table,
        open_pipeline=pipeline,
        n_created=int(stage_table["reached"].iloc[0]),
        n_won=n_won,
        n_lost=n_lost,
        won_amount=float(closed["won_amount"].sum()),
        win_rate=_none_if_nan(_ratio(n_won, n_won + n_lost)),
        n_open=int(pipeline["n_open"].sum()),
        open_amount=float(pipeline["open_amount"].sum()),
        weighted_pipeline=float(pipeline["weighted_amount"].sum()),
        n_open_without_amount=int(pipeline["n_without_amount"].sum()),
        median_cycle_days=_none_if_nan(quartiles.get("median_cycle_days")),
        p25_cycle_days=_none_if_nan(quartiles.get("p25_cycle_days")),
        p75_cycle_days=_none_if_nan(quartiles.get("p75_cycle_days")),
        n_undated=int(undated.sum()),
        undated_by_stage={stage: int(n) for stage, n in undated.items()},
        n_lost_stage_assumed=int(reach["n_lost_stage_assumed"].sum()),
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
    keys = _group_keys(by)
    facts, stages = _facts(con, scope, by)
    reach = _reach(facts, keys)
    return _rename_keys(_stage_long(reach, stages, keys), by)


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
    params = _params(scope, by)
    keys = _group_keys(by)
    facts, stages = _facts(con, scope, by)
    long = _stage_long(_reach(facts, keys), stages, keys)
    reached = long.set_index([*keys, "stage"])["reached"].unstack("stage")[list(stages)]
    wide = pd.DataFrame({"n_created": reached[stages[0]]})
    steps = zip(step_names(stages), stages[:-1], stages[1:], strict=True)
    for name, a, b in steps:
        wide[f"{name}_rate"] = _ratio(reached[b], reached[a])
    wide = wide.reset_index()
    cycle = _cycle(con, params)[[*keys, "median_cycle_days"]]
    open_rows = _open(facts, keys, _stage_win_rates(facts))
    open_by_group = open_rows.groupby(keys, dropna=False)[
        ["n_open", "open_amount", "weighted_amount"]
    ].sum()
    out = (
        wide.merge(_closed(facts, keys), on=keys, how="outer")
        .merge(cycle, on=keys, how="left")
        .merge(open_by_group.reset_index(), on=keys, how="outer")
    )
    counts = ["n_created", "n_won", "n_lost", "n_open"]
    out = out.fillna({c: 0 for c in counts} | {"won_amount": 0.0, "open_amount": 0.0})
    out = out.fillna({"weighted_amount": 0.0}).astype({c: "int64" for c in counts})
    out = out.rename(columns={"weighted_amount": "weighted_pipeline"})
    columns = [
        *keys,
        "n_created",
        "n_won",
        "n_lost",
        "win_rate",
        "won_amount",
        "median_cycle_days",
        "n_open",
        "open_amount",
        "weighted_pipeline",
        *[f"{name}_rate" for name in step_names(stages)],
    ]
    if by == "month":
        out = out[columns].sort_values("group_key")
    else:
        out = out[columns].sort_values(["n_created", "n_won"], ascending=False, kind="stable")
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
        part["rep_rate"] = _ratio(part["n_converted"], part["n_at_step"])
        part["region_rate"] = _ratio(rest_x, rest_n)
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
    facts, stages = _facts(con, scope, "month")
    reach = _reach(facts, ["group_key"])
    long = _rename_keys(_stage_long(reach, stages, ["group_key"]), "month")
    parts = []
    for name, a, b in zip(step_names(stages), stages[:-1], stages[1:], strict=True):
        at = long[long["stage"] == a].set_index("month")["reached"]
        nxt = long[long["stage"] == b].set_index("month")["reached"]
        parts.append(
            pd.DataFrame(
                {"month": at.index, "metric": name, "rate": _ratio(nxt, at), "n_deals": at.values}
            )
        )
    closed = _closed(_facts(con, scope, "close_month")[0], ["group_key"])
    closed = closed.dropna(subset=["group_key"])
    parts.append(
        pd.DataFrame(
            {
                "month": closed["group_key"],
                "metric": "win_rate",
                "rate": closed["win_rate"],
                "n_deals": closed["n_won"] + closed["n_lost"],
            }
        )
    )
    out = pd.concat(parts, ignore_index=True)
    out["month"] = pd.to_datetime(out["month"], format="%Y-%m")
    out["n_deals"] = out["n_deals"].astype("int64")
    return out.sort_values(["month", "metric"]).reset_index(drop=True)
