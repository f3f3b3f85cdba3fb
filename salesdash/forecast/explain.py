"""Explained changes: when a load moves this year's projection, by how much, and why.

The refresh step logs, for each data version, what the forecast said of every month of the year
its data ends in (``log_projection``, table ``forecast_log``): the revenue of the months that were
complete, the forecast shown for the others (the pipeline blend for the near term's months where
that is the default, history's forecast elsewhere) and the pipeline's expected close in them. Old
stored fits are not kept: this small table is all a comparison needs.

A series' projection of the year is the sum of its months: actual where complete, forecast where
not (the current, partial month counts with its forecast). Between the version before and this
one, the change splits month by month, exactly (``ProjectionChange``):

- new actuals: months that became complete, their revenue against what was forecast for them;
- revisions: months complete in both whose revenue changed (a corrected or undone load);
- pipeline: in months forecast in both, the change of the pipeline's part of the forecast (its
  expected close, where the blend is shown; none where history alone is);
- refit: the rest of the change of the months forecast in both (new data, models refitted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

from salesdash import dataset
from salesdash.db import execute_sql, run_sql
from salesdash.forecast.nearterm import NearTerm, near_term
from salesdash.scope import Scope

if TYPE_CHECKING:
    from salesdash.forecast import HierarchyForecast

# Versions the forecast log keeps (a year of monthly loads twice over).
LOG_VERSIONS = 24
# Levels whose months the near term forecasts (per region, and their sum).
NEAR_TERM_LEVELS = ("total", "region")
LOG_COLUMNS = ["level", "unique_id", "ds", "actual", "forecast", "pipeline", "blended"]


@dataclass(frozen=True)
class ProjectionChange:
    """How this year's projection of one series moved from one data version to the next.

    ``before + new_actuals + revisions + pipeline + refit == after``. ``blended``: this version's
    forecast includes the pipeline; where it does not, ``pipeline_beside`` says how the
    pipeline's expected close in the months forecast in both moved (not part of the projection).
    """

    level: str
    unique_id: str
    year: int
    as_of_before: date
    as_of_after: date
    before: float
    after: float
    new_actuals: float
    new_months: tuple[date, ...]
    revisions: float
    pipeline: float
    refit: float
    blended: bool
    pipeline_beside: float

    @property
    def change(self) -> float:
        return self.after - self.before


def projection_rows(result: HierarchyForecast, near: NearTerm) -> pd.DataFrame:
    """What the log keeps of a whole-company forecast (a ``HierarchyForecast``) and its
    ``NearTerm``: one row per series and month of the year ``result.as_of`` falls in, columns
    ``LOG_COLUMNS``."""
    if result.as_of is None or result.history.empty:
        return pd.DataFrame(columns=LOG_COLUMNS)
    year = result.as_of.year
    actual = result.history[result.history["ds"].dt.year == year]
    actual = actual.rename(columns={"y": "actual"})[["level", "unique_id", "ds", "actual"]]
    future = result.forecast[pd.to_datetime(result.forecast["ds"]).dt.year == year]
    future = future.rename(columns={"yhat": "forecast"})[["level", "unique_id", "ds", "forecast"]]
    future = future.assign(ds=pd.to_datetime(future["ds"]))
    months = near.months.assign(
        pipeline=near.months["pipeline"] + near.months["new_deals"],
        lift=near.months["blend"] - near.months["history_only"],
    )
    parts = pd.concat(
        [
            months.assign(level="region", unique_id=months["region"]),
            months.groupby("ds", as_index=False)[["pipeline", "lift"]]
            .sum()
            .assign(level="total", unique_id="total"),
        ]
    )[["level", "unique_id", "ds", "pipeline", "lift"]]
    future = future.merge(parts.assign(ds=pd.to_datetime(parts["ds"])), how="left")
    blended = (near.shown == "blend") & future["lift"].notna().to_numpy()
    future["forecast"] = future["forecast"] + np.where(blended, future["lift"], 0.0)
    future["blended"] = blended
    actual = actual.assign(forecast=np.nan, pipeline=np.nan, blended=False)
    rows = pd.concat([actual, future.drop(columns="lift")], ignore_index=True)
    return rows[LOG_COLUMNS].sort_values(["level", "unique_id", "ds"]).reset_index(drop=True)


def log_projection(con: duckdb.DuckDBPyConnection, data_version: str) -> None:
    """Log what the stored forecast of the whole company says of this year (refresh step: call
    inside the forecasts' transaction, after they are stored)."""
    from salesdash.forecast import hierarchy_forecast  # defined by the package, which imports us

    result = hierarchy_forecast(con, Scope())
    rows = projection_rows(result, near_term(con, Scope()))
    if rows.empty:
        return
    con.register("projection_rows", rows)
    try:
        execute_sql(
            con,
            "forecast/log_projection",
            data_version=data_version,
            as_of=result.as_of,
            logged_at=datetime.now(),
            keep=LOG_VERSIONS,
        )
    finally:
        con.unregister("projection_rows")


def explain_change(
    con: duckdb.DuckDBPyConnection, series: tuple[str, str]
) -> ProjectionChange | None:
    """How the projection of ``series`` (level, unique_id) for this year moved with the data
    version ``con`` holds, against the version logged before it (module docstring). None when
    there is no earlier version of the same year to compare with."""
    try:
        log = run_sql(
            con,
            "forecast/projection_log",
            data_version=dataset.data_version(con),
            level=series[0],
            unique_id=series[1],
        )
    except duckdb.CatalogException:  # a database from before the log
        return None
    versions = list(dict.fromkeys(log["data_version"]))
    if len(versions) != 2:
        return None
    before, after = (log[log["data_version"] == v].set_index("ds") for v in versions)
    as_of_before, as_of_after = (pd.Timestamp(f["as_of"].iloc[0]).date() for f in (before, after))
    if as_of_before.year != as_of_after.year:
        return None
    parts = {"new_actuals": 0.0, "revisions": 0.0, "pipeline": 0.0, "refit": 0.0, "beside": 0.0}
    new_months = []
    for ds in sorted(set(before.index) | set(after.index)):
        old = before.loc[ds] if ds in before.index else None
        new = after.loc[ds] if ds in after.index else None
        _split(old, new, parts)
        if _is_actual(new) and not _is_actual(old):
            new_months.append(pd.Timestamp(ds).date())
    return ProjectionChange(
        level=series[0],
        unique_id=series[1],
        year=as_of_after.year,
        as_of_before=as_of_before,
        as_of_after=as_of_after,
        before=_projection(before),
        after=_projection(after),
        new_actuals=parts["new_actuals"],
        new_months=tuple(new_months),
        revisions=parts["revisions"],
        pipeline=parts["pipeline"],
        refit=parts["refit"],
        blended=bool(after["blended"].any()),
        pipeline_beside=parts["beside"],
    )


def _is_actual(row: pd.Series | None) -> bool:
    return row is not None and not pd.isna(row["actual"])


def _value(row: pd.Series | None) -> float:
    if row is None:
        return 0.0
    value = row["actual"] if _is_actual(row) else row["forecast"]
    return 0.0 if pd.isna(value) else float(value)


def _pipeline(row: pd.Series | None, *, in_forecast: bool) -> float:
    """The pipeline's expected close in a forecast month; with ``in_forecast``, only where it is
    part of the forecast (the blend is shown)."""
    if row is None or _is_actual(row) or pd.isna(row["pipeline"]):
        return 0.0
    return float(row["pipeline"]) if row["blended"] or not in_forecast else 0.0


def _split(old: pd.Series | None, new: pd.Series | None, parts: dict[str, float]) -> None:
    """Add one month's change to the parts of the module docstring."""
    change = _value(new) - _value(old)
    if _is_actual(new) and _is_actual(old):
        parts["revisions"] += change
    elif _is_actual(new) or _is_actual(old):
        parts["new_actuals"] += change
    else:
        pipeline = _pipeline(new, in_forecast=True) - _pipeline(old, in_forecast=True)
        parts["pipeline"] += pipeline
        parts["refit"] += change - pipeline
        parts["beside"] += _pipeline(new, in_forecast=False) - _pipeline(old, in_forecast=False)


def _projection(log: pd.DataFrame) -> float:
    return float(sum(_value(row) for _, row in log.iterrows()))
