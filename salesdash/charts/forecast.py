"""The Forecast page's chart: one series' history, forecast and 80%/95% ranges."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from salesdash import fmt, i18n


def forecast_figure(
    history: pd.DataFrame,
    future: pd.DataFrame,
    partial: pd.DataFrame,
    *,
    grain: str,
    lang: str,
) -> go.Figure:
    """History (``ds``, ``y``), the forecast (``yhat`` with ``yhat-lo/hi-80/95``) and the running
    period's sales so far (``partial``: ``ds``, ``y``, ``as_of``), of one series.

    Args:
        grain: the period's word in the UI language ("month"), for the partial period's name.
    """
    fig = go.Figure()
    if not future.empty:
        x_band = pd.concat([future["ds"], future["ds"][::-1]])
        for pct, alpha in ((95, 0.15), (80, 0.3)):
            fig.add_trace(
                go.Scatter(
                    x=x_band,
                    y=pd.concat([future[f"yhat-hi-{pct}"], future[f"yhat-lo-{pct}"][::-1]]),
                    fill="toself",
                    fillcolor=f"rgba(99, 110, 250, {alpha})",
                    line={"width": 0},
                    hoverinfo="skip",
                    name=i18n.t(f"forecast.chart.band{pct}", lang),
                )
            )
    fig.add_trace(
        go.Scatter(
            x=history["ds"],
            y=history["y"],
            mode="lines+markers",
            name=i18n.t("forecast.chart.actual", lang),
            line={"color": "#444"},
        )
    )
    if not future.empty:
        fig.add_trace(
            go.Scatter(
                x=future["ds"],
                y=future["yhat"],
                mode="lines+markers",
                name=i18n.t("forecast.chart.forecast", lang),
                line={"color": "rgb(99, 110, 250)", "dash": "dash"},
            )
        )
    if not partial.empty:
        day = fmt.date_label(partial["as_of"].iloc[0].date(), lang)
        fig.add_trace(
            go.Scatter(
                x=partial["ds"],
                y=partial["y"],
                mode="markers",
                marker={"symbol": "circle-open", "size": 12, "color": "#e45756"},
                name=i18n.t("forecast.chart.partial", lang, grain=grain, day=day),
            )
        )
    fig.update_layout(
        height=440,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis_title=fmt.money_axis(i18n.t("forecast.chart.revenue", lang)),
        legend={"orientation": "h", "y": -0.15},
        hovermode="x unified",
    )
    return fig
