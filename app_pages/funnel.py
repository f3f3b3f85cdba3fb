"""Funnel: where deals leak, who converts, and how conversion moves over time."""

import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from salesdash import fmt, funnel, ui

AMOUNTS = {"value", "open_amount", "weighted_amount", "won_amount", "weighted_pipeline"}


def stage_label(stage: str) -> str:
    return ui.t(f"funnel.stage.{stage}")


def step_label(step: str) -> str:
    a, b = step.removesuffix("_rate").split("_to_")
    return ui.text("funnel.step", a=stage_label(a), b=stage_label(b))


def columns(frame) -> dict:
    """Column labels from the catalogue; rates as percentages."""
    config = {}
    for name in frame.columns:
        key = f"funnel.col.{name}"
        if name.endswith("_rate") and "_to_" in name:
            config[name] = st.column_config.NumberColumn(step_label(name), format="percent")
        elif name.endswith("_rate") or name == "gap":
            config[name] = st.column_config.NumberColumn(ui.t(key), format="percent")
        elif name in AMOUNTS:
            config[name] = ui.money_column(ui.t(key))
        else:
            config[name] = ui.t(key)
    return config


def table(frame, name: str) -> None:
    st.dataframe(frame, hide_index=True, column_config=columns(frame), width="stretch")
    ui.download_buttons(frame, name)


scope = ui.scope()
st.title(ui.t("funnel.title"))
st.caption(ui.t("funnel.intro"))
if scope.channels:
    st.info(ui.t("funnel.channel_note"))

summary = ui.query(funnel.funnel_summary, scope)

if summary.n_undated:
    stages = ", ".join(f"{stage_label(s)}: {n:,}" for s, n in summary.undated_by_stage.items())
    st.caption(ui.t("funnel.undated", n=f"{summary.n_undated:,}", stages=stages))
if not summary.n_created:
    st.info(ui.t("funnel.empty"))
    st.stop()

created, win, cycle, weighted = st.columns(4)
created.metric(ui.t("funnel.metric.created"), ui.number(summary.n_created))
win.metric(
    ui.t("funnel.metric.win_rate"),
    fmt.percent(summary.win_rate),
    ui.t(
        "funnel.metric.win_rate_detail",
        won=f"{summary.n_won:,}",
        lost=f"{summary.n_lost:,}",
    ),
    delta_color="off",
    delta_arrow="off",
)
cycle.metric(
    ui.t("funnel.metric.cycle"),
    "–"
    if summary.median_cycle_days is None
    else ui.t("funnel.metric.cycle_value", days=f"{summary.median_cycle_days:.0f}"),
    None
    if summary.median_cycle_days is None
    else ui.t(
        "funnel.metric.cycle_spread",
        p25=f"{summary.p25_cycle_days:.0f}",
        p75=f"{summary.p75_cycle_days:.0f}",
    ),
    delta_color="off",
    delta_arrow="off",
)
weighted.metric(
    ui.t("funnel.metric.weighted"),
    ui.money(summary.weighted_pipeline),
    ui.t(
        "funnel.metric.weighted_detail",
        n=f"{summary.n_open:,}",
        amount=ui.money(summary.open_amount),
    ),
    delta_color="off",
    delta_arrow="off",
)
if summary.n_lost_stage_assumed:
    st.caption(
        ui.t(
            "funnel.lost_assumed",
            n=f"{summary.n_lost_stage_assumed:,}",
            stage=stage_label(summary.assumed_lost_stage),
        )
    )

st.subheader(ui.t("funnel.section.stages"))
stage_rows = summary.stages.assign(stage=summary.stages["stage"].map(stage_label))
chart = go.Figure(
    go.Funnel(
        y=stage_rows["stage"],
        x=stage_rows["reached"],
        text=[
            f"{n:,} · {fmt.percent(rate)}"
            for n, rate in zip(stage_rows["reached"], stage_rows["cumulative_rate"], strict=True)
        ],
        textinfo="text",
        customdata=stage_rows["value"].map(ui.money),
        hovertemplate="%{y}: %{x:,} · %{customdata}<extra></extra>",
    )
)
chart.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=320)
ui.chart(chart)
table(stage_rows, "funnel-stages")

st.subheader(ui.t("funnel.section.pipeline"))
if summary.n_open_without_amount:
    st.caption(ui.t("funnel.no_amount", n=f"{summary.n_open_without_amount:,}"))
pipeline = summary.open_pipeline
table(pipeline.assign(stage=pipeline["stage"].map(stage_label)), "funnel-open-pipeline")

st.subheader(ui.t("funnel.section.breakdown"))
by = st.segmented_control(
    ui.t("funnel.by"),
    funnel.BREAKDOWNS,
    format_func=ui.labels("funnel.by_option"),
    default="region",
    key="funnel_by",
    required=True,
)
st.caption(ui.t("funnel.breakdown_note"))
table(ui.query(funnel.funnel_breakdown, scope, by), f"funnel-by-{by}")

st.subheader(ui.t("funnel.section.flags"))
st.caption(
    ui.t(
        "funnel.flags_rule",
        min_deals=funnel.MIN_DEALS_FOR_FLAG,
        margin=f"{funnel.FLAG_MARGIN * 100:.0f}",
        alpha=funnel.FLAG_ALPHA,
    )
)
flags = ui.query(funnel.rep_flags, scope)
flagged = flags[flags["verdict"] == "flagged"]
st.caption(
    ui.t(
        "funnel.flags_count",
        flagged=len(flagged),
        small=int((flags["verdict"] == "small_sample").sum()),
    )
)
shown = flags.assign(
    step=flags["step"].map(step_label),
    verdict=flags["verdict"].map(lambda v: ui.t(f"funnel.verdict.{v}")),
)
if flagged.empty:
    st.success(ui.t("funnel.flags_none"))
table(shown, "funnel-rep-flags")

st.subheader(ui.t("funnel.section.trend"))
st.caption(ui.t("funnel.trend_note"))
trend = ui.query(funnel.conversion_trend, scope)
trend_chart = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3])
for i, metric in enumerate(trend["metric"].unique()):
    colour = qualitative.Plotly[i % len(qualitative.Plotly)]
    points = trend[trend["metric"] == metric]
    label = ui.t("funnel.trend.win_rate") if metric == "win_rate" else step_label(metric)
    trend_chart.add_trace(
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
    trend_chart.add_trace(
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
trend_chart.update_yaxes(tickformat=".0%", title_text=ui.t("funnel.trend.rate"), row=1, col=1)
trend_chart.update_yaxes(title_text=ui.t("funnel.trend.n_deals"), row=2, col=1)
trend_chart.update_layout(
    height=520, barmode="group", margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend_title=None
)
ui.chart(trend_chart)
ui.download_buttons(trend, "funnel-trend")
