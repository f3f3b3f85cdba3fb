"""Charts of the Customers page: the RFM segment map, value tiers per segment, cohort retention
and segment movement."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from salesdash import fmt, i18n

# Fill of each segment on the map: greens for the best, ambers for the undecided, reds for those
# slipping away, greys for the gone. All light enough for dark text, in light and dark themes.
SEGMENT_COLOURS = {
    "champions": "#4fb06f",
    "loyal": "#66bd63",
    "potential_loyalists": "#a6d96a",
    "new": "#74add1",
    "promising": "#abd9e9",
    "need_attention": "#fee08b",
    "about_to_sleep": "#fdae61",
    "at_risk": "#f46d43",
    "cant_lose": "#e8665a",
    "hibernating": "#bababa",
    "lost": "#a3a3a3",
}
# The value tiers' bars, best first: green, amber, grey.
TIER_COLOURS = ["#1a9850", "#fdae61", "#bababa"]
_MARGIN = {"l": 10, "r": 10, "t": 10, "b": 10}


def segment_name(code: str, lang: str) -> str:
    """A segment's name (``at_risk`` → "At risk")."""
    return i18n.t(f"customers.segment.{code}.name", lang)


def segment_map(cells: pd.DataFrame, lang: str) -> go.Figure:
    """The R × FM grid with each segment's area, name, customers and revenue share.

    Args:
        cells: one row per segment area: segment, r_low, r_high, fm_low, fm_high, n_customers,
            revenue_share (as ``segments.segment_map``).
    """
    fig = go.Figure()
    for cell in cells.itertuples():
        fig.add_shape(
            type="rect",
            x0=cell.r_low - 0.48,
            x1=cell.r_high + 0.48,
            y0=cell.fm_low - 0.48,
            y1=cell.fm_high + 0.48,
            fillcolor=SEGMENT_COLOURS[cell.segment],
            opacity=0.9,
            line_width=0,
            layer="below",
        )
        fig.add_annotation(
            x=(cell.r_low + cell.r_high) / 2,
            y=(cell.fm_low + cell.fm_high) / 2,
            text="<br>".join(
                (
                    f"<b>{segment_name(cell.segment, lang)}</b>",
                    i18n.t("customers.map.customers", lang, n=f"{cell.n_customers:,}"),
                    i18n.t("customers.map.revenue", lang, share=fmt.percent(cell.revenue_share, 0)),
                )
            ),
            showarrow=False,
            # Dark text on the light fills reads in both themes.
            font={"size": 13, "color": "#1b1b1b"},
        )
    # Invisible points so the plot has data (axes, hover) without drawing anything over the map.
    fig.add_trace(
        go.Scatter(
            x=(cells["r_low"] + cells["r_high"]) / 2,
            y=(cells["fm_low"] + cells["fm_high"]) / 2,
            mode="markers",
            marker={"opacity": 0},
            hovertext=[segment_name(c, lang) for c in cells["segment"]],
            hoverinfo="text",
            showlegend=False,
        )
    )
    axis = {"range": [0.5, 5.5], "tickvals": [1, 2, 3, 4, 5], "showgrid": False, "zeroline": False}
    fig.update_layout(
        height=520,
        margin=_MARGIN,
        xaxis={**axis, "title": i18n.t("customers.map.x", lang)},
        yaxis={**axis, "title": i18n.t("customers.map.y", lang)},
    )
    return fig


def tier_overlap(
    overlap: pd.DataFrame, tiers: list[str], *, y_title: str, legend_title: str
) -> go.Figure:
    """Customers per segment (``segment``, labelled), one bar per value tier (columns ``tiers``)."""
    fig = px.bar(overlap, x="segment", y=tiers, color_discrete_sequence=TIER_COLOURS)
    fig.update_layout(
        height=380,
        margin=_MARGIN,
        xaxis_title=None,
        yaxis_title=y_title,
        legend_title_text=legend_title,
    )
    return fig


def cohort_heatmap(
    grid: pd.DataFrame, *, title: str, x_title: str, y_title: str, y_labels: list[str]
) -> go.Figure:
    """Retention of each cohort (rows, named ``y_labels``) by months since (columns), 0–100%."""
    fig = px.imshow(
        grid,
        x=[str(c) for c in grid.columns],
        y=y_labels,
        color_continuous_scale="Blues",
        text_auto=".0%",
        aspect="auto",
        zmin=0,
        zmax=1,
    )
    fig.update_layout(
        title=title,
        height=max(320, 28 * len(grid) + 140),
        margin={**_MARGIN, "t": 40},
        xaxis_title=x_title,
        yaxis_title=y_title,
        coloraxis_showscale=False,
    )
    return fig


def movement_heatmap(grid: pd.DataFrame, *, x_title: str, y_title: str, lang: str) -> go.Figure:
    """Customers moving from a segment (rows) to a segment (columns), counts written in."""
    fig = px.imshow(
        grid.to_numpy(),
        x=[segment_name(c, lang) for c in grid.columns],
        y=[segment_name(c, lang) for c in grid.index],
        color_continuous_scale="Blues",
        text_auto=True,
        aspect="auto",
    )
    fig.update_layout(
        height=520,
        margin=_MARGIN,
        xaxis_title=x_title,
        yaxis_title=y_title,
        coloraxis_showscale=False,
    )
    return fig
