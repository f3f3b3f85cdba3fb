"""Every chart of the dashboard, as pure figure builders: data (and the words to label it with, or
the language to look them up in) in, a plotly figure out; no Streamlit, no queries. Pages call a
builder and draw the figure with ``ui.chart``, which gives it the salesdash look.

Modules: ``look`` (template, palette, ``style`` and generic helpers, re-exported here),
``sales`` (Overview, Explore, Team), ``funnel``, ``customers``, ``forecast`` and ``executive``
(the Executive page's chart and its one-page export).
"""

from salesdash.charts import customers, executive, forecast, funnel, sales
from salesdash.charts.look import (
    BAND_FILL,
    LAYOUT,
    PALETTE,
    REFERENCE_COLOR,
    add_band,
    add_reference,
    bar,
    line,
    style,
)

__all__ = [
    "BAND_FILL",
    "LAYOUT",
    "PALETTE",
    "REFERENCE_COLOR",
    "add_band",
    "add_reference",
    "bar",
    "customers",
    "executive",
    "forecast",
    "funnel",
    "line",
    "sales",
    "style",
]
