"""The near term the pages show: this quarter and the next, per region, from history alone and
blended with the pipeline, with the backtest that decides which of the two is shown.

``near_term(con, scope)`` is what the refresh step stores (salesdash/refresh.py) and the Forecast
page, the targets' chances of being hit and the what-if read. It stands on the last complete
month of data (the blend forecasts whole months after a month's end, see
``pipeline.near_term_forecast``) and backtests both forecasts at the ends of the months before
(``BACKTEST_ORIGINS``), each origin's forecast stored by what was known on it
(``pipeline.as_known_on``): a new month of data fits one new origin, not all of them. The blend
is the default only where it wins that backtest (``pipeline.blend_verdict``).

The pipeline's stage curves are learnt from every deal of the company, and the verdict is the
company's: a scope picks the regions shown (its region filter and the regions its user may see);
opportunities carry no channel or category, so those filters do not apply to the near term.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash import stored
from salesdash.db import run_sql
from salesdash.forecast.pipeline import (
    BACKTEST_COLUMNS,
    MONTH_COLUMNS,
    QUARTER_COLUMNS,
    BlendVerdict,
    NearTermMonths,
    blend_verdict,
    near_term_backtest,
    near_term_forecast,
    near_term_months,
    near_term_periods,
    pipeline_inputs,
    quarters_of,
)
from salesdash.forecast.series import data_grain
from salesdash.periods import add_months, month_end
from salesdash.scope import Scope

# The backtest stands on the last four month ends whose current quarter is over: every place in
# a quarter (a quarter's end, and one or two months into the next) at least once, about forty
# region-quarters for seven regions. Each origin fits two series per region: a first load fits
# them all (on the demo about as many fits as its monthly hierarchy), a new month at most three
# (a quarter's last month brings the three origins its quarter held back).
BACKTEST_ORIGINS = 4
# An origin needs this many months of revenue before it (fewer: history's forecast is a level).
MIN_TRAINING_MONTHS = 6
# The paths behind the blend's ranges and the targets' chances (as the hierarchy's forecast).
N_PATHS = 1000


@dataclass(frozen=True)
class NearTerm:
    """The near term of the regions of a scope (see the module docstring).

    Attributes:
        as_of: the month end it stands on (None: no data).
        forecast: per region and quarter, ``pipeline.near_term_forecast``'s columns.
        months: per region and month after ``as_of`` to the end of the next quarter,
            ``pipeline.NearTermMonths.frame``'s columns.
        chances: the open deals on ``as_of`` with their chance of being won in each of those
            months (``pipeline.win_chances``): what a deal won or lost changes in a what-if.
        regions, paths: the blend's sample paths per month, shape (n_paths, months, regions).
        backtest: ``pipeline.near_term_backtest`` rows of every region.
        verdict: which of the two the near term shows, from that backtest (the company's).
    """

    as_of: date | None
    forecast: pd.DataFrame
    months: pd.DataFrame
    chances: pd.DataFrame
    regions: tuple[str, ...]
    paths: np.ndarray
    backtest: pd.DataFrame
    verdict: BlendVerdict

    @property
    def shown(self) -> str:
        """ "blend" or "history_only": the forecast the near term shows by default."""
        return self.verdict.default

    def for_regions(self, regions: tuple[str, ...]) -> NearTerm:
        """The same near term cut to ``regions`` (empty: every region)."""
        if not regions:
            return self
        index = [i for i, r in enumerate(self.regions) if r in regions]

        def cut(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["region"].isin(regions)].reset_index(drop=True)

        return replace(
            self,
            forecast=cut(self.forecast),
            months=cut(self.months),
            chances=cut(self.chances),
            regions=tuple(self.regions[i] for i in index),
            paths=self.paths[:, :, index],
        )

    def total(self) -> pd.DataFrame:
        """The quarters summed over the regions: period_start, period_end, booked,
        history_only, pipeline, new_deals, non_pipeline, blend."""
        sums = ["booked", "history_only", "pipeline", "new_deals", "non_pipeline", "blend"]
        return self.forecast.groupby(["period_start", "period_end"], as_index=False)[sums].sum()

    def month_paths(self, regions: tuple[str, ...] = ()) -> tuple[tuple[date, ...], np.ndarray]:
        """(month starts, the blend's paths of those months summed over ``regions`` (empty:
        all), shape (n_paths, months))."""
        index = [i for i, r in enumerate(self.regions) if not regions or r in regions]
        months = tuple(pd.Timestamp(d).date() for d in sorted(self.months["ds"].unique()))
        return months, self.paths[:, :, index].sum(axis=2)


def near_term_as_of(last_day: date) -> date:
    """The last month end on or before ``last_day``: where the near term stands."""
    return last_day if month_end(last_day) == last_day else last_day.replace(day=1) - timedelta(1)


def backtest_origins(revenue: pd.DataFrame, as_of: date) -> list[date]:
    """The month ends the near term is backtested on: the last ``BACKTEST_ORIGINS`` before
    ``as_of`` whose current quarter has ended by ``as_of`` and that follow at least
    ``MIN_TRAINING_MONTHS`` months of revenue."""
    if revenue.empty:
        return []
    first = add_months(pd.Timestamp(revenue["ds"].min()).date(), MIN_TRAINING_MONTHS)
    origins = []
    origin = as_of.replace(day=1) - timedelta(days=1)
    while origin >= first - timedelta(days=1) and len(origins) < BACKTEST_ORIGINS:
        if near_term_periods(origin)[0][1] <= as_of:
            origins.append(origin)
        origin = origin.replace(day=1) - timedelta(days=1)
    return origins[::-1]


def _empty(as_of: date | None) -> NearTerm:
    return NearTerm(
        as_of,
        pd.DataFrame(columns=QUARTER_COLUMNS),
        pd.DataFrame(columns=MONTH_COLUMNS),
        pd.DataFrame(columns=["opportunity_id", "region", "amount", "stage", "age_days"]),
        (),
        np.zeros((0, 0, 0)),
        pd.DataFrame(columns=BACKTEST_COLUMNS),
        blend_verdict(pd.DataFrame()),
    )


def near_term(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    as_of: date | None = None,
    n_paths: int = N_PATHS,
    seed: int = 0,
) -> NearTerm:
    """The near term of the scope's regions (see the module docstring).

    Args:
        as_of: the last day of data (default: the last day the orders cover, or without orders
            the last day the opportunities know of); the near term stands on the month end on
            or before it.

    Returns:
        A NearTerm; empty (no rows, history alone shown) without opportunities or revenue. The
        result is stored (``stored.remembered``), and each backtest origin's forecast on its own.
    """
    if as_of is None:
        grain = data_grain(con)
        as_of = grain.last_day if grain else _last_deal_day(con)
    if as_of is None:
        return _empty(None)
    as_of = near_term_as_of(as_of)
    revenue, won, deals = pipeline_inputs(con, Scope(), as_of=as_of)
    revenue, won = stored.rounded(revenue), stored.rounded(won)
    if deals.empty or revenue.empty:
        return _empty(as_of)

    def fit_origin(rev: pd.DataFrame, gained: pd.DataFrame, known: pd.DataFrame, *, as_of: date):
        return stored.remembered(
            con,
            "near_term_origin",
            (rev, gained, known, as_of),
            lambda: near_term_forecast(rev, gained, known, as_of=as_of),
        )

    def compute() -> NearTerm:
        origins = backtest_origins(revenue, as_of)
        backtest = near_term_backtest(revenue, won, deals, origins=origins, fit=fit_origin)
        months = near_term_months(revenue, won, deals, as_of=as_of, n_paths=n_paths, seed=seed)
        return _assembled(months, revenue, backtest)

    inputs = (revenue, won, deals, as_of, n_paths, seed)
    whole = stored.remembered(con, "near_term", inputs, compute)
    return whole.for_regions(scope.effective_regions())


def _last_deal_day(con: duckdb.DuckDBPyConnection) -> date | None:
    last = run_sql(con, "forecast/pipeline_last_day")["last_day"].iloc[0]
    return None if pd.isna(last) else pd.Timestamp(last).date()


def _assembled(months: NearTermMonths, revenue: pd.DataFrame, backtest: pd.DataFrame) -> NearTerm:
    return NearTerm(
        months.as_of,
        quarters_of(months, revenue),
        months.frame,
        months.chances,
        months.regions,
        months.paths,
        backtest,
        blend_verdict(backtest),
    )
