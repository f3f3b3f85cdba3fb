"""The executive summary drawn: the forecast-vs-target chart and the one-page export (PNG/PDF).

Figures are plotly; the export renders them with kaleido, which drives a local Chrome or
Chromium (Debian's /usr/bin/chromium is found on the PATH).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from salesdash import fmt, i18n
from salesdash.charts.look import escape_text
from salesdash.targets.data import SUM_OF_REGIONS

# A4 portrait at 150 dpi-ish: prints on one page and reads on a screen.
PAGE_WIDTH_PX = 1240
PAGE_HEIGHT_PX = 1754
TABLE_HEADER_PX = 60
TABLE_ROW_PX = 32
LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", None: "#9e9e9e"}
# The same lights as Streamlit's named colours (st.metric deltas, badges).
LIGHT_NAMED_COLOURS = {"green": "green", "amber": "orange", "red": "red", None: "gray"}


def outlook_figure(
    outlook: pd.DataFrame, year_target: float | None, *, metric: str, lang: str
) -> go.Figure:
    """Cumulative actual, forecast median with its 80% band, and the year target as a line."""
    fig = go.Figure()
    _add_outlook(fig, outlook, year_target, lang=lang)
    fig.update_layout(
        title=i18n.t(
            "executive.chart_title", lang, metric=i18n.t(f"targets.metric.{metric}", lang)
        ),
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 60, "b": 40},
    )
    return fig


def _add_outlook(
    fig: go.Figure,
    outlook: pd.DataFrame,
    year_target: float | None,
    *,
    lang: str,
    row: int | None = None,
    col: int | None = None,
) -> None:
    where = {"row": row, "col": col} if row else {}
    actual = outlook[outlook["series"] == "actual"]
    forecast = outlook[outlook["series"] == "forecast"]
    if len(forecast):
        fig.add_trace(
            go.Scatter(
                x=list(forecast["ds"]) + list(forecast["ds"])[::-1],
                y=list(forecast["hi80"]) + list(forecast["lo80"])[::-1],
                fill="toself",
                mode="lines",
                fillcolor="rgba(31,119,180,0.18)",
                line={"width": 0},
                name=i18n.t("executive.series.band", lang),
                hoverinfo="skip",
            ),
            **where,
        )
        fig.add_trace(
            go.Scatter(
                x=forecast["ds"],
                y=forecast["y"],
                mode="lines+markers",
                line={"dash": "dash", "color": "#1f77b4"},
                name=i18n.t("executive.series.forecast", lang),
            ),
            **where,
        )
    fig.add_trace(
        go.Scatter(
            x=actual["ds"],
            y=actual["y"],
            mode="lines+markers",
            line={"color": "#2ca02c", "width": 3},
            name=i18n.t("executive.series.actual", lang),
        ),
        **where,
    )
    if year_target is not None and len(outlook):
        xs = [outlook["ds"].min(), outlook["ds"].max()]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[year_target, year_target],
                mode="lines",
                line={"color": "#d62728", "dash": "dot", "width": 2},
                name=i18n.t("executive.series.target", lang),
            ),
            **where,
        )


def _period_label(kind: str, lang: str) -> str:
    return i18n.t(f"executive.period.{kind}", lang)


def scope_label(row: pd.Series, lang: str) -> str:
    """The company, a manager's regions together (named: never "the company"), or a region."""
    if row["scope"] == "company":
        return i18n.t("executive.company", lang)
    if row["scope"] == SUM_OF_REGIONS:
        return i18n.t("executive.sum_of_regions", lang, regions=row["scope_value"])
    return row["scope_value"]


def light_style(light: str | None) -> str:
    """CSS for a table cell showing a traffic light."""
    return f"background-color: {LIGHT_COLOURS.get(light, LIGHT_COLOURS[None])}; color: white"


def gap_lines(gaps: pd.DataFrame, lang: str, *, markdown: bool = True) -> list[str]:
    """One sentence per gap: markdown with the region in bold (its name escaped, shown as written),
    or plain text (``markdown=False``, for the one-page figure)."""
    lines = []
    for _, row in gaps.iterrows():
        region = row["scope_value"]
        line = i18n.t(
            "executive.gap_line",
            lang,
            region=fmt.markdown_literal(region) if markdown else _REGION_SLOT,
            period=_period_label(row["period_kind"], lang),
            projection=fmt.money(row["projection"], lang),
            target=fmt.money(row["target"], lang),
            gap=fmt.money(row["gap"], lang),
            p=fmt.percent(row["p_hit"], 0),
        )
        lines.append(line if markdown else line.replace("**", "").replace(_REGION_SLOT, region))
    return lines


# Where the region goes in a plain gap line: filled in after the markdown bold is taken out, so a
# name with ** in it keeps them.
_REGION_SLOT = "\x00region\x00"


def one_page_figure(
    summary: pd.DataFrame,
    outlook: pd.DataFrame,
    year_target: float | None,
    gaps: pd.DataFrame,
    *,
    as_of: date,
    metric: str,
    lang: str,
) -> go.Figure:
    """The whole summary on one portrait page: table, chart, the three biggest gaps."""
    table_share = min(0.45, (TABLE_HEADER_PX + TABLE_ROW_PX * len(summary)) / PAGE_HEIGHT_PX)
    fig = make_subplots(
        rows=3,
        cols=1,
        row_heights=[table_share, 0.88 - table_share, 0.12],
        vertical_spacing=0.04,
        specs=[[{"type": "table"}], [{"type": "xy"}], [{"type": "table"}]],
    )
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    header = [
        t("targets.col.period"),
        t("targets.col.scope_value"),
        t("targets.col.actual"),
        t("targets.col.target"),
        t("targets.col.projection"),
        t("targets.col.interval"),
        t("targets.col.p_hit"),
        t("targets.col.light"),
    ]
    lights = [t(f"executive.light.{x or 'none'}") for x in summary["light"]]
    cells = [
        [_period_label(k, lang) for k in summary["period_kind"]],
        [scope_label(r, lang) for _, r in summary.iterrows()],
        [fmt.money(x, lang) for x in summary["actual"]],
        [fmt.money(x, lang) for x in summary["target"]],
        [fmt.money(x, lang) for x in summary["projection"]],
        [
            f"{fmt.money(lo, lang)} – {fmt.money(hi, lang)}"
            for lo, hi in zip(summary["projection_lo80"], summary["projection_hi80"], strict=True)
        ],
        [fmt.percent(p, 0) for p in summary["p_hit"]],
        lights,
    ]
    colours = [LIGHT_COLOURS.get(x, "#9e9e9e") for x in summary["light"]]
    fill = [["white"] * len(summary)] * 7 + [colours]
    font_colours = [["#212121"] * len(summary)] * 7 + [["white"] * len(summary)]
    fig.add_trace(
        go.Table(
            columnwidth=[1, 1.1, 1, 1, 1, 1.8, 0.7, 1],
            header={"values": header, "fill_color": "#37474f", "font": {"color": "white"}},
            cells={
                "values": cells,
                "fill_color": fill,
                "font": {"color": font_colours},
                "height": 26,
            },
        ),
        row=1,
        col=1,
    )
    _add_outlook(fig, outlook, year_target, lang=lang, row=2, col=1)
    lines = gap_lines(gaps, lang, markdown=False) or [t("executive.no_gaps")]
    fig.add_trace(
        go.Table(
            header={
                "values": [t("executive.gaps")],
                "fill_color": "#37474f",
                "font": {"color": "white"},
            },
            cells={"values": [lines], "align": "left"},
        ),
        row=3,
        col=1,
    )
    fig.update_layout(
        title=i18n.t("executive.export_title", lang, as_of=fmt.date_label(as_of, lang)),
        width=PAGE_WIDTH_PX,
        height=PAGE_HEIGHT_PX,
        template="plotly_white",
        font={"family": "Noto Sans CJK SC, Noto Sans, sans-serif", "size": 13},
        legend={"orientation": "h", "x": 0.0, "y": 0.98 - table_share, "yanchor": "top"},
        margin={"l": 40, "r": 40, "t": 70, "b": 30},
    )
    return fig


def export_bytes(fig: go.Figure, kind: str) -> bytes:
    """The figure as ``kind`` ("png" or "pdf") at its own size, rendered by kaleido + Chromium, its
    names escaped as on the page (``look.escape_text``)."""
    if kind not in ("png", "pdf"):
        raise ValueError(f"unknown export format '{kind}' (expected png or pdf)")
    fig = escape_text(fig)
    return fig.to_image(format=kind, width=fig.layout.width, height=fig.layout.height)
