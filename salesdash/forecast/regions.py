"""A manager's forecast: their regions cut out of the company's stored forecast, and their sum.

The company's hierarchy forecast (what the refresh step stores) holds reconciled sample paths of
every region, drawn jointly: the path-wise sum of some regions' paths is a proper forecast of the
sum, with the dependence between the regions the fit found. So a user who may see only some
regions gets their regions' series as they are and, as the total, the sum of their paths — named
by the regions (``scope.sum_name``), never the company's — without a fit on page view. Channel and
category series mix every region's sales and are left out. The sum has no backtest of its own
(one region's total is that region, with its accuracy).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from salesdash.forecast.hierarchy import interval_frame
from salesdash.forecast.series import LEVELS
from salesdash.scope import Scope, sum_name


def fitted_on_demand(scope: Scope) -> bool:
    """Whether a restricted user's forecast is the scope's own total fitted on demand
    (``filter_forecast``): a rep's own sales, or any filter beyond regions."""
    filters = (scope.sales_reps, scope.channels, scope.categories, scope.products)
    return scope.allowed_rep is not None or any(filters)


def levels_for(scope: Scope) -> tuple[str, ...]:
    """The levels of the hierarchy a forecast of ``scope`` has: all of them for a user who may
    see every region; their regions and the sum for a manager; the total alone otherwise."""
    if not scope.restricted:
        return LEVELS
    return ("total",) if fitted_on_demand(scope) else ("total", "region")


def regions_forecast(full: Any, regions: tuple[str, ...]) -> Any:
    """The part of ``full`` (a company ``HierarchyForecast``) about ``regions``: level "region"
    for each of them with data, and level "total" their sum, named ``sum_name(regions)``."""
    keys = [k for k in full.keys if k[0] == "region" and k[1] in regions]
    index = [full.keys.index(k) for k in keys]
    names = [uid for _, uid in keys]
    name = sum_name(names)

    def regions_of(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        return frame[(frame["level"] == "region") & frame["unique_id"].isin(names)]

    def with_total(frame: pd.DataFrame) -> pd.DataFrame:
        mine = regions_of(frame)
        if mine.empty:
            return mine.reset_index(drop=True)
        group = [c for c in mine.columns if c not in ("level", "unique_id", "y")]
        total = mine.groupby(group, as_index=False)["y"].sum()
        total.insert(0, "unique_id", name)
        total.insert(0, "level", "total")
        return pd.concat([total[mine.columns], mine], ignore_index=True)

    if not keys:
        empty = full.keys[:0]
        return replace(
            full,
            history=with_total(full.history),
            partial=with_total(full.partial),
            forecast=full.forecast.iloc[:0],
            accuracy=full.accuracy.iloc[:0],
            series=full.series.iloc[:0],
            coverage=full.coverage.iloc[:0],
            keys=empty,
            paths=full.paths[:, :, :0],
        )
    paths = full.paths[:, :, index]
    summed = paths.sum(axis=2, keepdims=True)
    forecast = regions_of(full.forecast)
    ds = pd.DatetimeIndex(sorted(full.forecast["ds"].unique()))
    means = forecast.groupby("ds")["yhat"].sum().reindex(ds).to_numpy()[:, None]
    total_forecast = interval_frame([("total", name)], ds, summed, means)
    series = regions_of(full.series)
    total_series = pd.DataFrame(
        {
            "level": ["total"],
            "unique_id": [name],
            "status": ["ok" if (series["status"] != "too_thin").any() else "too_thin"],
            "model": [series["model"].iloc[0] if len(series) == 1 else ""],
            "n_periods": [int(series["n_periods"].max())],
        }
    )
    accuracy = regions_of(full.accuracy)
    if len(names) == 1:
        accuracy = pd.concat([accuracy.assign(level="total"), accuracy], ignore_index=True)
    return replace(
        full,
        history=with_total(full.history),
        partial=with_total(full.partial),
        forecast=pd.concat([total_forecast, forecast], ignore_index=True),
        accuracy=accuracy.reset_index(drop=True),
        series=pd.concat([total_series, series], ignore_index=True),
        coverage=full.coverage[full.coverage["level"] == "region"].reset_index(drop=True),
        keys=(("total", name), *keys),
        paths=np.concatenate([summed, paths], axis=2),
    )
