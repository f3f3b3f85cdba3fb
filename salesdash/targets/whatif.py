"""What-if on the targets: a scenario moves every target's projection, its 80% range and its
chance of being hit at once, from the sample paths behind the baseline (``Projections``): no
refit, a few milliseconds.

The scenario comes as ``forecast.scenario_deltas``: what it adds to each series of the forecast's
hierarchy (the company total, each region, channel and category) in each month. A revenue target
of the company, a region, a channel or a category follows its series: on every path, its
projected total moves by each month's change weighed by that month's share inside the rest of
the period (``RestPaths.weights``). Targets of a rep or a product, and of orders or new
customers, are not in the hierarchy and stay as they are. The baseline is not touched: the
scenario's figures are new columns beside it.
"""

from __future__ import annotations

import pandas as pd

from salesdash.targets.executive import traffic_light
from salesdash.targets.progress import Projections, projected

# Target scopes whose revenue is a series of the forecast's hierarchy ("company" is its total).
HIERARCHY_SCOPES = ("company", "region", "channel", "category")
WHATIF_COLUMNS = [
    "whatif_projection",
    "whatif_lo80",
    "whatif_hi80",
    "whatif_p_hit",
    "whatif_light",
    "whatif_change",
]


def series_of(scope: str, scope_value: str, metric: str) -> tuple[str, str] | None:
    """The (level, unique_id) of the forecast a target follows; None outside the hierarchy."""
    if metric != "revenue" or scope not in HIERARCHY_SCOPES:
        return None
    return ("total", "total") if scope == "company" else (scope, scope_value)


def what_if(projections: Projections, deltas: pd.DataFrame) -> pd.DataFrame:
    """The targets with a forecast, under the scenario ``deltas`` (``forecast.scenario_deltas``).

    Returns:
        The rows of ``projections.frame`` that have a forecast, with ``WHATIF_COLUMNS`` added:
        the scenario's projection, 80% range, P(hit), traffic light, and the projection's change
        (what-if minus baseline).
    """
    rows, values = [], []
    for i, (row, rest) in enumerate(
        zip(projections.frame.itertuples(index=False), projections.rest, strict=True)
    ):
        if rest is None:
            continue
        key = series_of(row.scope, row.scope_value, row.metric)
        shift = 0.0
        if key is not None and key in deltas.index:
            change = deltas.loc[key].reindex([pd.Timestamp(m) for m in rest.months]).fillna(0.0)
            shift = float(change.to_numpy() @ rest.weights)
        projection, lo80, hi80, p_hit = projected(rest.totals + shift, float(row.target))
        rows.append(i)
        values.append(
            [projection, lo80, hi80, p_hit, traffic_light(p_hit), projection - row.projection]
        )
    out = projections.frame.iloc[rows].reset_index(drop=True)
    return out.join(pd.DataFrame(values, columns=WHATIF_COLUMNS))
