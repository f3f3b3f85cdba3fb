"""What every rule is handed besides the connection, ``as_of`` and its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from salesdash.alerts.forecasts import FittingSource, ForecastSource, TargetOutlook


@dataclass(frozen=True)
class Context:
    """Inputs the rules share, computed once per refresh.

    Attributes:
        now: the wall-clock time of the check (the data rule measures load cadence against it).
        forecasts: where forecasts come from (fitted today; stored ones once the store lands).
        outlooks: every running target's distribution (``forecasts.target_outlooks``).
        previous_p_hit: target key → P(hit) at the previous data version (empty on the first).
    """

    now: datetime
    forecasts: ForecastSource = field(default_factory=FittingSource)
    outlooks: tuple[TargetOutlook, ...] = ()
    previous_p_hit: dict[str, float] = field(default_factory=dict)
