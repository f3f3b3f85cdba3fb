"""The near term from the pipeline: what open deals are expected to bring, and when.

Sales leaders forecast the current quarter from the pipeline; salesdash forecasts from history.
This module does the pipeline part, learnt from the opportunities table alone, as pure functions:

- **Stage win rates and slippage, together.** For the deals that reached a stage, the chance of
  being won (or lost) at each age (days since created) is estimated with the Aalen–Johansen
  estimator: deals still open count while they are open (censored), so recent deals do not bias
  cycles short. An open deal at stage ``s`` and age ``a`` then wins within a window with
  ``(CIF_won(end − created) − CIF_won(start − created)) / S(a)``, where ``S(a)`` is the share of
  such deals still open at ``a``. That is the stage's win rate and the historical slippage of close
  dates at once: a deal open longer than deals of its stage usually stay open has slipped, and both
  its chance and its timing move accordingly (a deal older than any won deal ever was gets none).
  Exports carry no stage history, so a stage's curves are those of every deal that reached it
  (some went further): for a deal known to sit at the stage now they are an approximation. A
  backtest cannot know where a deal stood on a past day at all, and uses the lead stage's curves
  (every deal's); that is the version measured in docs/benchmarks.md.
- **Expected close** per region and period: Σ amount × that probability over open deals; and
  sample paths (each deal won in one period or not at all) for the distribution.
- **The blend**: history's forecast of the revenue that never goes through the pipeline (stores,
  the online shop, repeat orders: revenue minus the amounts of deals won that month) plus the
  pipeline's expected close and that of the deals still to come (at the recent rate of new
  deals), on top of what is already booked.

Conventions: a lost deal without ``lost_stage`` counts as having reached the last open stage the
data uses (as the funnel does); deals without ``created_date`` cannot be aged and are left out
(counted in ``PipelineModel.n_undated``); a deal's ``close_date`` while open is not read (no export
seen carries an expected close date, and the chances above do not need one). A won deal's amount
is taken to be booked as revenue in the month it closed; a deal without an amount (or with 0, as
exports write for open and lost deals) counts at its product's mean won amount.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash.db import run_sql
from salesdash.forecast.models import forecast_series
from salesdash.forecast.parallel import fit_many
from salesdash.forecast.series import hierarchy_sales
from salesdash.funnel import OPEN_STAGES, STAGE_RANK
from salesdash.periods import add_months, quarter_start
from salesdash.scope import Scope

# Deals closed or created within this many days before as_of teach the model: two years follow a
# changed sales process within a year and still hold hundreds of deals for a small team.
LOOKBACK_DAYS = 730
# Fewer deals than this reached a stage: its curves are too noisy, the stage below's are used.
MIN_STAGE_DEALS = 30
# Deals created over this many days before as_of set the rate of new deals ahead: a quarter, long
# enough to even out a week's lumps, short enough to follow the current season.
NEW_DEAL_WINDOW_DAYS = 90


@dataclass(frozen=True)
class StageCurves:
    """Cumulative chances of the deals that reached one stage, by age in days since created.

    ``won[d]`` / ``lost[d]``: share won / lost by age d (Aalen–Johansen); ``open[d]`` = 1 − both.
    Past the last age seen the curves stay flat (no deal stays open longer than history shows).
    """

    stage: str
    n_deals: int
    won: np.ndarray
    lost: np.ndarray

    @property
    def open(self) -> np.ndarray:
        return np.clip(1.0 - self.won - self.lost, 0.0, 1.0)

    @property
    def win_rate(self) -> float:
        """Won among those that close: the stage's win rate, corrected for deals still open."""
        closed = self.won[-1] + self.lost[-1]
        return float(self.won[-1] / closed) if closed > 0 else float("nan")

    def at(self, curve: np.ndarray, age: np.ndarray) -> np.ndarray:
        return curve[np.clip(age, 0, len(curve) - 1)]


@dataclass(frozen=True)
class PipelineModel:
    """What the closed and open deals up to ``as_of`` teach: curves per open stage.

    Attributes:
        as_of: the day the model stands on (nothing after it is used).
        curves: stage -> StageCurves (a stage with too few deals borrows the stage below's).
        n_undated: deals left out for lack of a created date.
    """

    as_of: date
    curves: dict[str, StageCurves]
    n_undated: int


def _prepare(opportunities: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Deals created by ``as_of``, seen as they stood on it: outcome, age at close or now, and the
    rank of the highest open stage reached."""
    frame = opportunities.copy()
    for col in ("created_date", "close_date"):
        frame[col] = pd.to_datetime(frame[col])
    day = pd.Timestamp(as_of)
    frame = frame[frame["created_date"].notna() & (frame["created_date"] <= day)]
    closed = frame["stage"].isin(("won", "lost")) & frame["close_date"].notna()
    closed &= frame["close_date"] <= day
    outcome = np.where(closed, frame["stage"], "open")
    end = np.where(closed, frame["close_date"], day)
    age = (pd.DatetimeIndex(end) - pd.DatetimeIndex(frame["created_date"])).days
    used = [s for s in OPEN_STAGES if s in set(frame["stage"]) | set(frame["lost_stage"].dropna())]
    assumed = STAGE_RANK[used[-1]] if used else STAGE_RANK["lead"]
    stage_rank = frame["stage"].map(STAGE_RANK).fillna(1)
    lost_rank = frame["lost_stage"].map(STAGE_RANK).fillna(assumed)
    reached = np.select(
        [outcome == "won", outcome == "lost", frame["stage"].isin(("won", "lost"))],
        # Where a deal that closed after as_of stood on it is unknown: it had reached lead, so
        # a backtest sees it as an open deal of the first stage.
        [len(OPEN_STAGES), lost_rank, 1],
        stage_rank,
    )
    return pd.DataFrame(
        {
            "opportunity_id": frame["opportunity_id"].to_numpy(),
            "region": frame.get("region", pd.Series(None, index=frame.index)).to_numpy(),
            "amount": deal_amounts(frame, as_of).to_numpy(dtype=float),
            "created": frame["created_date"].to_numpy(),
            "outcome": outcome,
            "age": np.asarray(age, dtype=int),
            "reached": np.clip(reached, 1, len(OPEN_STAGES)).astype(int),
        }
    )


def deal_amounts(opportunities: pd.DataFrame, as_of: date) -> pd.Series:
    """Each deal's amount, where it has none (or 0, as some exports write for lost and open
    deals) the mean amount of its product's deals won by ``as_of`` (all products' without any)."""
    amount = pd.to_numeric(opportunities["amount"], errors="coerce")
    close = pd.to_datetime(opportunities["close_date"])
    won = (opportunities["stage"] == "won") & (close <= pd.Timestamp(as_of)) & (amount > 0)
    product = opportunities.get("product", pd.Series(None, index=opportunities.index))
    by_product = amount[won].groupby(product[won]).mean()
    fallback = float(amount[won].mean()) if won.any() else 0.0
    guess = product.map(by_product).fillna(fallback)
    return amount.where(amount > 0, guess).fillna(0.0)


def _curves(stage: str, deals: pd.DataFrame, max_age: int) -> StageCurves:
    """Aalen–Johansen cumulative incidence of won and lost by age (open deals censored)."""
    ages = np.clip(deals["age"].to_numpy(), 0, max_age)
    won = np.bincount(ages[deals["outcome"] == "won"], minlength=max_age + 1)
    lost = np.bincount(ages[deals["outcome"] == "lost"], minlength=max_age + 1)
    leaving = np.bincount(ages, minlength=max_age + 1)
    at_risk = len(ages) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    with np.errstate(all="ignore"):
        h_won = np.where(at_risk > 0, won / at_risk, 0.0)
        h_lost = np.where(at_risk > 0, lost / at_risk, 0.0)
    still_open = np.concatenate([[1.0], np.cumprod(1 - h_won - h_lost)[:-1]])
    return StageCurves(
        stage, len(deals), np.cumsum(still_open * h_won), np.cumsum(still_open * h_lost)
    )


def pipeline_model(
    opportunities: pd.DataFrame, *, as_of: date, lookback_days: int = LOOKBACK_DAYS
) -> PipelineModel:
    """Learn the stage curves from the deals created in the ``lookback_days`` before ``as_of``.

    Args:
        opportunities: the canonical table's columns created_date, close_date, stage,
            lost_stage, amount (region optional).
        as_of: nothing after this day is used; deals that closed later are open on it.
    """
    n_undated = int(opportunities["created_date"].isna().sum())
    deals = _prepare(opportunities, as_of)
    deals = deals[deals["created"] >= np.datetime64(as_of - timedelta(days=lookback_days))]
    max_age = int(deals["age"].max()) if len(deals) else 0
    curves: dict[str, StageCurves] = {}
    for rank, stage in enumerate(OPEN_STAGES, start=1):
        reached = deals[deals["reached"] >= rank]
        if len(reached) >= MIN_STAGE_DEALS or not curves:
            curves[stage] = _curves(stage, reached, max_age)
        else:
            curves[stage] = curves[OPEN_STAGES[rank - 2]]
    return PipelineModel(as_of, curves, n_undated)


def win_chances(
    model: PipelineModel, opportunities: pd.DataFrame, periods: list[tuple[date, date]]
) -> pd.DataFrame:
    """Each deal open on ``model.as_of``: its chance of being won within each period.

    Returns:
        One row per open deal: opportunity_id, region, amount, stage, age_days, and one column
        per period, ``p_<start>`` (periods before as_of count from the day after it).
    """
    deals = _prepare(opportunities, model.as_of)
    deals = deals[deals["outcome"] == "open"].reset_index(drop=True)
    out = deals[["opportunity_id", "region", "amount"]].copy()
    out["stage"] = [OPEN_STAGES[min(r, len(OPEN_STAGES)) - 1] for r in deals["reached"]]
    out["age_days"] = deals["age"]
    created = pd.DatetimeIndex(deals["created"])
    day = pd.Timestamp(model.as_of)
    for start, end in periods:
        lo = max(pd.Timestamp(start) - pd.Timedelta(days=1), day)
        chance = np.zeros(len(deals))
        for stage in set(out["stage"]):
            rows = (out["stage"] == stage).to_numpy()
            curve = model.curves[stage]
            age = deals["age"].to_numpy()[rows]
            age_lo = (lo - created[rows]).days.to_numpy()
            age_hi = (pd.Timestamp(end) - created[rows]).days.to_numpy()
            still = curve.at(curve.open, age)
            gained = curve.at(curve.won, age_hi) - curve.at(curve.won, age_lo)
            with np.errstate(all="ignore"):
                chance[rows] = np.where(still > 0, np.clip(gained, 0, None) / still, 0.0)
        out[f"p_{pd.Timestamp(start).date()}"] = np.clip(chance, 0.0, 1.0)
    return out


def expected_close(chances: pd.DataFrame, periods: list[tuple[date, date]]) -> pd.DataFrame:
    """Expected amount won from the open pipeline per region and period.

    Returns:
        region, period_start, period_end, expected (money), n_open (deals with any chance).
    """
    rows = []
    region = chances["region"].fillna("(none)")
    for start, end in periods:
        p = chances[f"p_{pd.Timestamp(start).date()}"]
        value = chances["amount"] * p
        for name, part in value.groupby(region):
            rows.append(
                {
                    "region": name,
                    "period_start": start,
                    "period_end": end,
                    "expected": float(part.sum()),
                    "n_open": int((p[part.index] > 0).sum()),
                }
            )
    return pd.DataFrame(
        rows, columns=["region", "period_start", "period_end", "expected", "n_open"]
    )


def new_deal_close(
    model: PipelineModel,
    opportunities: pd.DataFrame,
    periods: list[tuple[date, date]],
    *,
    window_days: int = NEW_DEAL_WINDOW_DAYS,
) -> pd.DataFrame:
    """Expected amount won, per region and period, from deals not created yet on ``model.as_of``.

    Deals keep coming in: per region, the amount of deals created per day over the last
    ``window_days`` is taken as the rate ahead, and a deal created on day c is won by day d with
    the lead stage's curve, ``CIF_won(d − c)``. (Much of a quarter's sales can come from deals
    that did not exist when it began: in the Maven data, deals close about 50 days after
    engagement.)

    Returns:
        region, period_start, period_end, expected.
    """
    day = pd.Timestamp(model.as_of)
    created = pd.to_datetime(opportunities["created_date"])
    recent = opportunities[(created > day - pd.Timedelta(days=window_days)) & (created <= day)]
    region = recent.get("region", pd.Series(None, index=recent.index)).fillna("(none)")
    amounts = deal_amounts(opportunities, model.as_of)[recent.index]
    rate = amounts.groupby(region).sum() / window_days
    won = model.curves[OPEN_STAGES[0]].won
    rows = []
    for start, end in periods:
        lo = max(pd.Timestamp(start) - pd.Timedelta(days=1), day)
        days = pd.date_range(day + pd.Timedelta(days=1), pd.Timestamp(end), freq="D")
        to_end = np.clip((pd.Timestamp(end) - days).days.to_numpy(), 0, len(won) - 1)
        to_lo = np.clip((lo - days).days.to_numpy(), -1, len(won) - 1)
        share = float((won[to_end] - np.where(to_lo >= 0, won[np.maximum(to_lo, 0)], 0.0)).sum())
        for name, per_day in rate.items():
            rows.append(
                {
                    "region": name,
                    "period_start": start,
                    "period_end": end,
                    "expected": float(per_day * share),
                }
            )
    return pd.DataFrame(rows, columns=["region", "period_start", "period_end", "expected"])


def pipeline_paths(
    chances: pd.DataFrame,
    periods: list[tuple[date, date]],
    *,
    n_paths: int = 1000,
    seed: int = 0,
) -> np.ndarray:
    """Sample paths of the amount won from the open pipeline, shape (n_paths, len(periods)).

    In each path every deal is won in at most one period, with the chances of ``win_chances``
    (deals independent), so the paths' mean is ``expected_close``'s sum over regions.
    """
    p = np.column_stack([chances[f"p_{pd.Timestamp(s).date()}"] for s, _ in periods])
    edges = np.cumsum(p, axis=1)
    u = np.random.default_rng(seed).random((n_paths, len(chances)))
    period = (u[:, :, None] >= edges[None]).sum(axis=2)  # len(periods): not won in any
    out = np.zeros((n_paths, len(periods)))
    amount = chances["amount"].to_numpy()
    for k in range(len(periods)):
        out[:, k] = ((period == k) * amount[None]).sum(axis=1)
    return out


def pipeline_inputs(
    con: duckdb.DuckDBPyConnection, scope: Scope, *, as_of: date
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What ``near_term_forecast`` needs, from the database: (revenue, won, opportunities).

    revenue: region, ds, y — complete months of order revenue up to ``as_of`` (a month's last
    day); a store without orders uses its won amounts instead (a CRM-only company). won: region,
    ds, y — amounts of the deals won per month. opportunities: the scope's deals.
    """
    history = hierarchy_sales(con, scope, freq="M", as_of=as_of)[0]
    deals = run_sql(con, "forecast/pipeline_deals", **scope.with_dates(None, as_of).params())
    won_deals = deals[(deals["stage"] == "won") & deals["close_date"].notna()]
    won_deals = won_deals[pd.to_datetime(won_deals["close_date"]) <= pd.Timestamp(as_of)]
    month = pd.to_datetime(won_deals["close_date"]).dt.to_period("M").dt.to_timestamp()
    won = (
        won_deals.assign(ds=month, region=won_deals["region"].fillna("(none)"))
        .groupby(["region", "ds"], as_index=False)["amount"]
        .sum()
        .rename(columns={"amount": "y"})
    )
    if history.empty:
        return won, won, deals
    revenue = history[history["level"] == "region"].rename(columns={"unique_id": "region"})
    return revenue[["region", "ds", "y"]].reset_index(drop=True), won, deals


# --- the blend --------------------------------------------------------------------------------

# A series too short for the models is forecast flat at the mean of its last months (said in the
# result's ``method`` column): the near term needs a figure, and a recent level is the honest one.
LEVEL_MONTHS = 3


def near_term_periods(as_of: date) -> list[tuple[date, date]]:
    """The quarter the day after ``as_of`` falls in, and the next: (first day, last day) each."""
    first = quarter_start(as_of + timedelta(days=1))
    second = add_months(first, 3)
    return [
        (first, add_months(first, 3) - timedelta(days=1)),
        (second, add_months(second, 3) - timedelta(days=1)),
    ]


def _months_ahead(
    y: np.ndarray, ds: pd.DatetimeIndex, horizon: int, n_paths: int = 1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, str]:
    """(mean, paths of shape (n_paths, horizon), model) of one region's months ahead."""
    fit = forecast_series(y, ds, horizon, freq="M", n_paths=n_paths, seed=seed)
    if fit.status != "too_thin":
        return fit.mean, fit.paths, fit.model
    level = float(np.mean(y[-LEVEL_MONTHS:])) if len(y) else 0.0
    mean = np.full(horizon, level)
    paths = np.broadcast_to(mean, (n_paths, horizon)).copy()
    return mean, paths, f"level({min(len(y), LEVEL_MONTHS)} months)"


@dataclass(frozen=True)
class NearTermMonths:
    """The near term month by month, per region (``near_term_months``).

    Attributes:
        as_of: the month end it stands on.
        frame: region, ds (month start), history_only (history's forecast of all revenue),
            pipeline, new_deals, non_pipeline, blend (the three added), history_model,
            non_pipeline_model — one row per region and month after ``as_of`` through the end
            of the next quarter.
        chances: ``win_chances`` of the open deals over those months (``p_<month start>``).
        regions, paths: the blend's sample paths, shape (n_paths, months, len(regions)): history's
            paths of the revenue that bypasses the pipeline, plus the open deals' (each won in one
            month or not at all), plus the expected close of deals still to come.
    """

    as_of: date
    frame: pd.DataFrame
    chances: pd.DataFrame
    regions: tuple[str, ...]
    paths: np.ndarray


def near_term_months(
    revenue: pd.DataFrame,
    won: pd.DataFrame,
    opportunities: pd.DataFrame,
    *,
    as_of: date,
    model: PipelineModel | None = None,
    n_paths: int = 1,
    seed: int = 0,
) -> NearTermMonths:
    """History-only and pipeline-blended forecasts of each month of the current and next quarter.

    Args: as ``near_term_forecast``; ``n_paths`` sample paths of the blend are drawn (one when
    only the means are wanted, as in a backtest).
    """
    end = pd.Timestamp(as_of)
    future = pd.date_range(end + pd.Timedelta(days=1), near_term_periods(as_of)[-1][1], freq="MS")
    months = [(m.date(), (m + pd.offsets.MonthEnd(0)).date()) for m in future]
    model = model or pipeline_model(opportunities, as_of=as_of)
    chances = win_chances(model, opportunities, months)
    pipe = expected_close(chances, months).set_index(["region", "period_start"])["expected"]
    new = new_deal_close(model, opportunities, months).set_index(["region", "period_start"])
    regions = sorted(set(revenue["region"]) | set(pipe.index.get_level_values("region")))
    jobs = []
    for region in regions:
        rev = revenue[(revenue["region"] == region) & (revenue["ds"] <= end)].set_index("ds")["y"]
        rev = rev.sort_index()
        gained = won[(won["region"] == region)].set_index("ds")["y"].reindex(rev.index).fillna(0)
        jobs.append(((rev.to_numpy(dtype=float), rev.index, len(future)), {}))
        rest = (rev - gained).to_numpy(dtype=float)
        jobs.append(((rest, rev.index, len(future)), {"n_paths": n_paths, "seed": seed}))
    forecasts = iter(fit_many(_months_ahead, jobs))
    deal_region = chances["region"].fillna("(none)")
    rows, paths = [], np.zeros((n_paths, len(months), len(regions)))
    for j, region in enumerate(regions):
        (total, _, total_model), (rest, rest_paths, rest_model) = next(forecasts), next(forecasts)
        expected = [float(pipe.get((region, start), 0.0)) for start, _ in months]
        coming = [float(new["expected"].get((region, start), 0.0)) for start, _ in months]
        deals = chances[(deal_region == region).to_numpy()]
        paths[:, :, j] = (
            rest_paths
            + pipeline_paths(deals, months, n_paths=n_paths, seed=seed + j)
            + np.array(coming)[None, :]
        )
        for k, (start, _) in enumerate(months):
            rows.append(
                {
                    "region": region,
                    "ds": pd.Timestamp(start),
                    "history_only": float(total[k]),
                    "pipeline": expected[k],
                    "new_deals": coming[k],
                    "non_pipeline": float(rest[k]),
                    "blend": expected[k] + coming[k] + float(rest[k]),
                    "history_model": total_model,
                    "non_pipeline_model": rest_model,
                }
            )
    frame = pd.DataFrame(rows, columns=MONTH_COLUMNS)
    return NearTermMonths(as_of, frame, chances, tuple(regions), paths)


MONTH_COLUMNS = [
    "region",
    "ds",
    "history_only",
    "pipeline",
    "new_deals",
    "non_pipeline",
    "blend",
    "history_model",
    "non_pipeline_model",
]
_PARTS = ["history_only", "pipeline", "new_deals", "non_pipeline", "blend"]


def quarters_of(months: NearTermMonths, revenue: pd.DataFrame) -> pd.DataFrame:
    """``near_term_forecast``'s quarter rows from its months and the revenue already booked."""
    end = pd.Timestamp(months.as_of)
    frame = months.frame
    rows = []
    for region, part in frame.groupby("region", sort=True):
        rev = revenue[revenue["region"] == region]
        for start, stop in near_term_periods(months.as_of):
            inside = part[part["ds"].between(pd.Timestamp(start), pd.Timestamp(stop))]
            booked = float(rev.loc[rev["ds"].between(pd.Timestamp(start), end), "y"].sum())
            sums = {c: float(inside[c].sum()) for c in _PARTS}
            rows.append(
                {
                    "region": region,
                    "period_start": start,
                    "period_end": stop,
                    "booked": booked,
                    "history_only": booked + sums["history_only"],
                    "pipeline": sums["pipeline"],
                    "new_deals": sums["new_deals"],
                    "non_pipeline": sums["non_pipeline"],
                    "blend": booked + sums["blend"],
                    "history_model": part["history_model"].iloc[0],
                    "non_pipeline_model": part["non_pipeline_model"].iloc[0],
                }
            )
    return pd.DataFrame(rows, columns=QUARTER_COLUMNS)


QUARTER_COLUMNS = [
    "region",
    "period_start",
    "period_end",
    "booked",
    "history_only",
    "pipeline",
    "new_deals",
    "non_pipeline",
    "blend",
    "history_model",
    "non_pipeline_model",
]


def near_term_forecast(
    revenue: pd.DataFrame,
    won: pd.DataFrame,
    opportunities: pd.DataFrame,
    *,
    as_of: date,
    model: PipelineModel | None = None,
) -> pd.DataFrame:
    """History-only and pipeline-blended forecasts of the current and next quarter, per region.

    Args:
        revenue: region, ds (month start), y — complete months of revenue up to ``as_of``, which
            is a month's last day (a company without order exports passes its won amounts).
        won: region, ds, y — amounts of deals won per month (part of ``revenue``).
        opportunities: the canonical opportunities table (region filled).
        model: a PipelineModel as of ``as_of`` (learnt here when None).

    Returns:
        One row per region and quarter of ``near_term_periods``: region, period_start,
        period_end, booked (revenue of the quarter's months up to as_of), history_only (booked +
        history's forecast of all revenue), pipeline (expected close of open deals), new_deals
        (expected close of deals created after as_of, ``new_deal_close``), non_pipeline
        (history's forecast of revenue minus won amounts), blend (booked + pipeline + new_deals
        + non_pipeline), history_model, non_pipeline_model.
    """
    months = near_term_months(revenue, won, opportunities, as_of=as_of, model=model)
    return quarters_of(months, revenue)


def as_known_on(opportunities: pd.DataFrame, day: date) -> pd.DataFrame:
    """The deals as a backtest standing on ``day`` may see them: those created by then (and
    undated ones), every deal not closed by then an open deal of the first stage, with no close
    date or lost stage. Where a deal stood on a past day is unknown (exports carry no stage
    history), and what a deal did after it must not leak into a forecast made on it; so a past
    day's forecast depends on nothing a later export changes, and its fit can be kept."""
    created = pd.to_datetime(opportunities["created_date"])
    close = pd.to_datetime(opportunities["close_date"])
    cut = pd.Timestamp(day)
    known = (created.isna() | (created <= cut)).to_numpy()
    deals = opportunities[known]
    closed = deals["stage"].isin(("won", "lost")) & (close[known] <= cut)
    return deals.assign(
        stage=deals["stage"].where(closed, OPEN_STAGES[0]),
        close_date=deals["close_date"].where(closed, None),
        lost_stage=deals["lost_stage"].where(closed, None),
    ).reset_index(drop=True)


NearTermFit = Callable[..., pd.DataFrame]


def near_term_backtest(
    revenue: pd.DataFrame,
    won: pd.DataFrame,
    opportunities: pd.DataFrame,
    *,
    origins: list[date],
    fit: NearTermFit = near_term_forecast,
) -> pd.DataFrame:
    """``near_term_forecast`` at each origin (a month's last day) against what happened.

    Only what was known on each origin is used: revenue and won months up to it, and the deals
    ``as_known_on`` it. ``fit`` stands in for ``near_term_forecast`` (same arguments), e.g. to
    keep each origin's forecast. Quarters not yet complete in ``revenue`` are left out.

    Returns:
        origin, region, period_start, horizon ("current" or "next" quarter), actual,
        history_only, blend, pipeline, new_deals.
    """
    last = revenue["ds"].max()
    rows = []
    for origin in origins:
        cut = pd.Timestamp(origin)
        forecast = fit(
            revenue[revenue["ds"] <= cut],
            won[won["ds"] <= cut],
            as_known_on(opportunities, origin),
            as_of=origin,
        )
        first = near_term_periods(origin)[0][0]
        for row in forecast.itertuples(index=False):
            start, stop = pd.Timestamp(row.period_start), pd.Timestamp(row.period_end)
            if stop > last + pd.offsets.MonthEnd(0):
                continue
            months = revenue[(revenue["region"] == row.region) & revenue["ds"].between(start, stop)]
            rows.append(
                {
                    "origin": origin,
                    "region": row.region,
                    "period_start": row.period_start,
                    "horizon": "current" if row.period_start == first else "next",
                    "actual": float(months["y"].sum()),
                    "history_only": row.history_only,
                    "blend": row.blend,
                    "pipeline": row.pipeline,
                    "new_deals": row.new_deals,
                }
            )
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


BACKTEST_COLUMNS = [
    "origin",
    "region",
    "period_start",
    "horizon",
    "actual",
    "history_only",
    "blend",
    "pipeline",
    "new_deals",
]


# The blend replaces history in the near term only where the backtest shows it better beyond its
# noise: its mean absolute error lower by more than 1.28 standard errors of the mean paired
# difference (one-sided 90%). The region-quarters of one origin move together, so that standard
# error is if anything too small: the bar is a floor, and a coin flip never switches the default.
CLEAR_WIN_Z = 1.28


@dataclass(frozen=True)
class BlendVerdict:
    """Which near-term forecast to show, from the backtest: ``default`` is "blend" when its mean
    absolute error over the backtest's region-quarters is below history-only's by more than
    ``CLEAR_WIN_Z`` standard errors of the mean difference (``se_difference``)."""

    default: str
    mae_blend: float
    mae_history_only: float
    n_quarters: int
    se_difference: float


def blend_verdict(backtest: pd.DataFrame) -> BlendVerdict:
    """The default near-term forecast per ``near_term_backtest`` (history-only without one)."""
    if backtest.empty:
        return BlendVerdict("history_only", float("nan"), float("nan"), 0, float("nan"))
    blend = (backtest["blend"] - backtest["actual"]).abs()
    history = (backtest["history_only"] - backtest["actual"]).abs()
    difference = (blend - history).to_numpy(dtype=float)
    n = len(difference)
    se = float(difference.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
    clear = n > 1 and difference.mean() + CLEAR_WIN_Z * se < 0
    return BlendVerdict(
        "blend" if clear else "history_only", float(blend.mean()), float(history.mean()), n, se
    )
