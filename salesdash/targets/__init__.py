"""Targets: what was promised, where we stand, where we will land, and the odds of making it.

Everything is computed as of an explicit date (``as_of``; the dashboard defaults it to the last
order date), using only data up to that date, so any past day can be replayed.

Definitions (DESIGN.md, "Metric definitions"):

- actual to date: the metric over ``[period_start, min(as_of, period_end)]``.
- attainment = actual / target.
- seasonal pacing: the share of the period's metric that history says falls on or before
  ``as_of``. The period is shifted back 1..``PACING_YEARS`` years; every shifted copy lying wholly
  inside the data contributes its daily values, pooled (so a bigger year weighs more). With no
  such year the pacing is a straight line over the days of the period (``pacing_years = 0`` tells).
- expected to date = target × pacing share; ahead/behind in money = actual − expected; in days =
  the day the expected curve reaches today's actual minus ``as_of`` (negative: behind).
- projection = actual + forecast of the rest of the period. The forecast gives sample paths of
  whole months (``forecast.simulate_paths`` on the complete months before ``as_of``). A month
  partly inside the rest (the month ``as_of`` falls in, or a period ending mid-month) counts
  with the seasonal share of that month's metric that history puts in the part still to come
  (the same pooled daily profile as pacing, over that calendar month in earlier years). The
  projection is the median of the paths' totals, its 80% interval their 10th and 90th
  percentiles, and P(hit) the share of paths reaching the target.
- win rate (a ratio) has no forecast: no projection or P(hit), and pacing is flat
  (expected to date = the target rate).

Modules by job: ``data`` (the targets in force and the daily metrics they are measured on),
``pacing`` (the seasonal share of a period by each day), ``projection`` (sample paths of the rest
of a period), ``progress`` (one target, and all of them, on a day), ``executive`` (this quarter
and this year, company and regions, and the year's outlook), ``whatif`` (a scenario's move of
every projection, from their paths) and ``editing`` (targets changed on the Targets page, saved
as a batch). The names below are the package's public surface; to stand
in for the forecast in a test, patch ``projection.default_simulator`` (it takes the connection
whose stored paths it reads).
"""

from salesdash.targets.data import (
    ADDITIVE_METRICS,
    COLUMNS,
    METRICS,
    SCOPES,
    SUM_OF_REGIONS,
    covered_range,
    current_targets,
    daily_metric,
    daily_series,
    last_covered_day,
    rollup_gaps,
)
from salesdash.targets.editing import EDIT_FILE_NAME, changed_targets, save_edits
from salesdash.targets.executive import (
    biggest_gaps,
    executive_projections,
    executive_summary,
    resolve_target,
    total_row,
    traffic_light,
    year_outlook,
)
from salesdash.targets.pacing import pacing_curve, share_between
from salesdash.targets.progress import (
    Projections,
    RestPaths,
    TargetProgress,
    progress_frame,
    target_progress,
    target_projections,
    track,
)
from salesdash.targets.projection import (
    MonthPaths,
    Simulator,
    monthly_history,
    rest_of_period,
    simulate_months,
)
from salesdash.targets.whatif import series_of, what_if

__all__ = [
    "ADDITIVE_METRICS",
    "COLUMNS",
    "EDIT_FILE_NAME",
    "METRICS",
    "SCOPES",
    "SUM_OF_REGIONS",
    "MonthPaths",
    "Projections",
    "RestPaths",
    "Simulator",
    "TargetProgress",
    "biggest_gaps",
    "changed_targets",
    "covered_range",
    "current_targets",
    "daily_metric",
    "daily_series",
    "executive_projections",
    "executive_summary",
    "last_covered_day",
    "monthly_history",
    "pacing_curve",
    "progress_frame",
    "resolve_target",
    "rest_of_period",
    "rollup_gaps",
    "save_edits",
    "series_of",
    "share_between",
    "simulate_months",
    "target_progress",
    "target_projections",
    "total_row",
    "track",
    "traffic_light",
    "what_if",
    "year_outlook",
]
