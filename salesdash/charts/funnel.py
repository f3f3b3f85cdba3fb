"""Charts of the Funnel page: the stage funnel and conversion over time, and the names of stages
and steps they (and the page's tables) are labelled with."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from salesdash import fmt, i18n


def stage_label(stage: str, lang: str) -> str:
    """A stage's name (``lead`` → "Lead", 客户开发)."""
    return i18n.t(f"funnel.stage.{stage}", lang)


def step_label(step: str, lang: str) -> str:
    """A step's name from its column (``lead_to_qualified_rate`` → "Lead → Qualified")."""
    a, b = step.removesuffix("_rate").split("_to_")
    return i18n.t("funnel.step", lang, a=stage_label(a, lang), b=stage_label(b, lang))


def stage_funnel(stages: pd.DataFrame, lang: str) -> go.Figure:
    """The deals reaching each stage, with their share of the first stage and their value.

    Args:
        stages: one row per stage in order: stage, reached, value, cumulative_rate (as
            ``funnel.funnel_summary(...).stages``).
    """
    fig = go.Figure(
        go.Funnel(
            y=[stage_label(s, lang) for s in stages["stage"]],
            x=stages["reached"],
            text=[
                f"{n:,} · {fmt.percent(rate)}"
                for n, rate in zip(stages["reached"], stages["cumulative_rate"], strict=True)
            ],
            textinfo="text",
            customdata=[fmt.money(v, lang) for v in stages["value"]],
            hovertemplate="%{y}: %{x:,} · %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=320)
    return fig


def conversion_trend(trend: pd.DataFrame, lang: str) -> go.Figure:
    """Each rate by month above (markers sized by the deals behind them), the deal counts below.

    Args:
        trend: month, metric (``win_rate`` or a step column), rate, n_deals (as
            ``funnel.conversion_trend``).
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3])
    for i, metric in enumerate(trend["metric"].unique()):
        colour = qualitative.Plotly[i % len(qualitative.Plotly)]
        points = trend[trend["metric"] == metric]
        label = (
            i18n.t("funnel.trend.win_rate", lang)
            if metric == "win_rate"
            else step_label(metric, lang)
        )
        fig.add_trace(
            go.Scatter(
                x=points["month"],
                y=points["rate"],
                name=label,
                legendgroup=metric,
                mode="lines+markers",
                line={"color": colour},
                marker={"size": points["n_deals"].clip(lower=1) ** 0.5 + 4, "color": colour},
                customdata=points["n_deals"],
                hovertemplate=f"{label}<br>%{{x|%Y-%m}}: %{{y:.1%}} · n = %{{customdata:,}}"
                "<extra></extra>",
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Bar(
                x=points["month"],
                y=points["n_deals"],
                name=label,
                legendgroup=metric,
                showlegend=False,
                marker={"color": colour},
                hovertemplate=f"{label}<br>%{{x|%Y-%m}}: n = %{{y:,}}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    fig.update_yaxes(tickformat=".0%", title_text=i18n.t("funnel.trend.rate", lang), row=1, col=1)
    fig.update_yaxes(title_text=i18n.t("funnel.trend.n_deals", lang), row=2, col=1)
    fig.update_layout(
        height=520, barmode="group", margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend_title=None
    )
    return fig
