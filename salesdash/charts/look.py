"""The one look of salesdash charts: a plotly template, the palette and small figure helpers.

Every page draws through ``ui.chart(fig)``, which applies :func:`style` and lets Streamlit's theme
pick text, grid and series colours for the light or dark mode the viewer uses (the series palette
itself is ``theme.chartCategoricalColors`` in .streamlit/config.toml). So figures here never fix a
text or background colour: anything fixed would vanish on one of the two backgrounds. Where a chart
needs a colour of its own (an interval band, a target line) it uses the translucent or mid-tone
colours below, chosen to read on white and on Streamlit's dark background alike.

Series come in the long format (STYLE habit 5): one row per ``unique_id, ds, y``; helpers colour by
``unique_id`` instead of pivoting wide.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

# Mid-tone colours readable on both backgrounds; the same list as chartCategoricalColors in
# .streamlit/config.toml (used when a figure is drawn outside Streamlit's theme).
PALETTE = (
    "#2f6fde",
    "#f28e2b",
    "#2ca58d",
    "#e15759",
    "#8e6bd1",
    "#b07aa1",
    "#edc948",
    "#76b7b2",
    "#9c755f",
    "#7f7f7f",
)
# An interval band (forecast 80 %): translucent, so it works over either background.
BAND_FILL = "rgba(47, 111, 222, 0.24)"
# Targets, budgets and other reference lines: a mid grey, dashed.
REFERENCE_COLOR = "#8a8f98"

# Layout shared by every chart; no font or background colour on purpose (see the module docstring).
LAYOUT = {
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
    # Under the plot, so it never collides with the title above it.
    "legend": {
        "orientation": "h",
        "yanchor": "top",
        "y": -0.1,
        "xanchor": "left",
        "x": 0,
        "title": {"text": ""},
    },
    "hovermode": "x unified",
    "separators": ".,",
}

TEMPLATE = go.layout.Template(layout={**LAYOUT, "colorway": list(PALETTE)})
pio.templates["salesdash"] = TEMPLATE


def style(fig: go.Figure, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Give ``fig`` the salesdash layout (in place) and return it, its texts escaped
    (``escape_text``).

    Args:
        title: the chart's title, already translated; None keeps the figure's own.
        height: pixels; None keeps the figure's own (plotly's default 450).
    """
    escape_text(fig)
    fig.update_layout(LAYOUT)
    if title is not None:
        fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"})
    if height is not None:
        fig.update_layout(height=height)
    fig.update_xaxes(title_text=None)
    return fig


# Plotly draws a subset of HTML (links, bold, line breaks) in the texts it shows: trace names,
# category and tick labels, hover text, legends, table cells. Names from the data reach it as text:
# & < > become entities (an entity already there is kept, so escaping twice changes nothing).
_HTML_SPECIAL = re.compile(r"[<>]|&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def escape_text(fig: go.Figure) -> go.Figure:
    """Escape, in place, every text of ``fig``'s traces (values, names, labels, hover text, table
    cells); hover and text templates are the code's own and keep their markup. Layout texts
    (titles, axis titles, annotations) are the code's own too and are left as they are: data
    goes into traces. Returns ``fig``."""
    for trace in fig.data:
        changed = {}
        for key, value in trace.to_plotly_json().items():
            if key == "type" or key.endswith("template"):
                continue
            escaped = _escaped(value)
            if escaped is not value:
                changed[key] = escaped
        if changed:
            trace.update(changed)
    return fig


def _escaped(value: object) -> object:
    """``value`` with its strings escaped; the same object when nothing needed it."""
    if isinstance(value, str):
        return _HTML_SPECIAL.sub(lambda m: _ENTITIES[m.group()[0]], value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "O":
            return value
        items = value.tolist()
        out = _escaped(items)
        return value if out is items else np.array(out, dtype=object)
    if isinstance(value, list | tuple):
        out = [_escaped(v) for v in value]
        return value if all(a is b for a, b in zip(out, value, strict=True)) else out
    if isinstance(value, dict):
        out = {k: v if k.endswith("template") else _escaped(v) for k, v in value.items()}
        return value if all(out[k] is value[k] for k in value) else out
    return value


def line(
    frame: pd.DataFrame,
    *,
    x: str = "ds",
    y: str = "y",
    color: str | None = "unique_id",
    y_title: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """A line per series of a long frame (``unique_id, ds, y`` by default), markers on points."""
    fig = px.line(frame, x=x, y=y, color=color if color in frame else None, markers=True)
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    return style(fig, title=title)


def bar(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str | None = None,
    horizontal: bool = False,
    value_title: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """Bars of ``y`` by ``x`` (grouped by ``color`` when given); horizontal for long labels."""
    if horizontal:
        fig = px.bar(frame, x=y, y=x, color=color, orientation="h", barmode="group")
        fig.update_xaxes(title_text=value_title)
        fig.update_yaxes(title_text=None, autorange="reversed")
    else:
        fig = px.bar(frame, x=x, y=y, color=color, barmode="group")
        fig.update_yaxes(title_text=value_title)
    return style(fig, title=title)


def add_band(
    fig: go.Figure, frame: pd.DataFrame, *, x: str, lo: str, hi: str, name: str
) -> go.Figure:
    """Shade between ``lo`` and ``hi`` (e.g. a forecast's 80 % band), under the lines."""
    ordered = frame.sort_values(x)
    fig.add_trace(
        go.Scatter(
            x=pd.concat([ordered[x], ordered[x][::-1]]),
            y=pd.concat([ordered[hi], ordered[lo][::-1]]),
            fill="toself",
            fillcolor=BAND_FILL,
            line={"width": 0},
            hoverinfo="skip",
            name=name,
        )
    )
    fig.data = (fig.data[-1], *fig.data[:-1])
    return fig


def add_reference(fig: go.Figure, value: float, *, label: str) -> go.Figure:
    """A dashed horizontal line at ``value`` (a target), labelled at the right."""
    fig.add_hline(
        y=value,
        line={"color": REFERENCE_COLOR, "dash": "dash", "width": 1.5},
        annotation_text=label,
        annotation_position="top right",
    )
    return fig
