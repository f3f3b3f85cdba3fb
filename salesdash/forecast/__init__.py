"""Forecasts of revenue: series from the database, models, backtest, reconciliation."""

from salesdash.forecast.models import forecast_series, simulate_paths
from salesdash.forecast.series import hierarchy_series, partial_actuals, sales_series

__all__ = [
    "forecast_series",
    "hierarchy_series",
    "partial_actuals",
    "sales_series",
    "simulate_paths",
]
