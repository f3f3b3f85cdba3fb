"""Charts of the sales pages (Overview, Explore, Team). The pages pass the labels to draw.

Plotly graph objects, not plotly express: express costs tens of milliseconds per figure, which a
cached rerun cannot afford.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go


def hbar(
    labels: Sequence[str], values: Sequence[float], x_title: str, *, height: int | None = None
) -> go.Figure:
    """Horizontal bars, largest on top."""
    fig = go.Figure(go.Bar(x=list(values), y=list(labels), orientation="h"))
    fig.update_layout(
        yaxis={"autorange": "reversed"},
        xaxis_title=x_title,
        margin={"t": 10},
        height=height or max(260, 26 * len(labels) + 80),
    )
    return fig


def lines(frame: pd.DataFrame, series: str, y_title: str, dashed: str | None = None) -> go.Figure:
    """One line per value of ``series`` over ``ds`` (column ``y``); the series named ``dashed``
    dotted (last year's line against this year's)."""
    fig = go.Figure()
    markers = frame["ds"].nunique() < 40
    for name, part in frame.groupby(series, sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["ds"],
                y=part["y"],
                name=str(name),
                mode="lines+markers" if markers else "lines",
                line={"dash": "dot" if name == dashed else "solid"},
            )
        )
    fig.update_layout(yaxis_title=y_title, margin={"t": 30}, legend={"orientation": "h", "y": 1.12})
    return fig


def stacked_bars(frame: pd.DataFrame, *, x: str, stack: str, y: str, y_title: str) -> go.Figure:
    """Bars of ``y`` by ``x``, one stacked part per value of ``stack`` (a crosstab drawn)."""
    fig = go.Figure()
    for name, part in frame.groupby(stack, dropna=False, sort=False):
        fig.add_trace(go.Bar(x=part[x], y=part[y], name=name))
    fig.update_layout(
        barmode="stack",
        yaxis_title=y_title,
        margin={"t": 10},
        legend={"orientation": "h", "y": 1.12},
    )
    return fig


def pareto_curve(
    points: pd.DataFrame, top_share: float, *, x_title: str, y_title: str
) -> go.Figure:
    """The cumulative revenue share (``cum_share``) over the share of values (``value_share``),
    from the origin, with a dashed line at ``top_share`` of the values."""
    fig = go.Figure(
        go.Scatter(x=[0.0, *points["value_share"]], y=[0.0, *points["cum_share"]], fill="tozeroy")
    )
    fig.add_vline(x=top_share, line_dash="dash")
    fig.update_layout(
        xaxis={"tickformat": ".0%", "title": x_title},
        yaxis={"tickformat": ".0%", "title": y_title},
        margin={"t": 10},
    )
    return fig


def value_bars(labels: Sequence[str], values: Sequence[float], y_title: str) -> go.Figure:
    """Upright bars with their values written on them (a few categories, e.g. channels)."""
    fig = go.Figure(go.Bar(x=list(labels), y=list(values), texttemplate="%{y:.3s}"))
    fig.update_layout(yaxis_title=y_title, margin={"t": 10})
    return fig


def distribution(
    frame: pd.DataFrame,
    *,
    value: str,
    group: str,
    group_label: str,
    point_label: str,
    x_title: str,
    percent: bool,
) -> go.Figure:
    """One horizontal box per ``group`` (sorted), named by its ``group_label``, with every point
    shown and hovering with its ``point_label``; ``percent`` formats the axis as percentages."""
    fig = go.Figure()
    groups = frame.groupby(group, sort=True)
    for _, part in groups:
        fig.add_trace(
            go.Box(
                x=part[value],
                name=part[group_label].iloc[0],
                text=part[point_label],
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                hovertemplate="%{text}: %{x}<extra></extra>",
            )
        )
    fig.update_layout(
        showlegend=False,
        xaxis_title=x_title,
        margin={"t": 10},
        height=120 + 45 * groups.ngroups,
    )
    if percent:
        fig.update_layout(xaxis_tickformat=".0%")
    return fig
