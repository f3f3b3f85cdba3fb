"""Funnel: where deals leak, who converts, and how conversion moves over time."""

import streamlit as st

from salesdash import charts, fmt, funnel, ui

AMOUNTS = {"value", "open_amount", "weighted_amount", "won_amount", "weighted_pipeline"}


def stage_label(stage: str) -> str:
    return charts.funnel.stage_label(stage, ui.lang())


def step_label(step: str) -> str:
    return charts.funnel.step_label(step, ui.lang())


def kind(name: str) -> str | None:
    """A column's table kind: rates as percentages, amounts as money, the rest by its values."""
    if name.endswith("_rate") or name == "gap":
        return "percent"
    if name == "p_value":
        return "p_value"
    return "money" if name in AMOUNTS else None


def header(name: str) -> str:
    if name.endswith("_rate") and "_to_" in name:
        return step_label(name)
    return ui.t(f"funnel.col.{name}")


def table(frame, name: str) -> None:
    ui.table(
        frame,
        {c: kind(c) for c in frame.columns if kind(c)},
        column_config={c: header(c) for c in frame.columns},
    )
    ui.download_buttons(frame, name, [c for c in frame.columns if c in AMOUNTS])


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
created.metric(ui.t("funnel.metric.created"), ui.count(summary.n_created))
win.metric(
    ui.t("funnel.metric.win_rate"),
    fmt.percent(summary.win_rate),
    ui.t(
        "funnel.metric.win_rate_detail",
        won=ui.count(summary.n_won),
        lost=ui.count(summary.n_lost),
    ),
    delta_color="off",
    delta_arrow="off",
    help=ui.t("funnel.metric.win_rate_help"),
)
cycle.metric(
    ui.t("funnel.metric.cycle"),
    fmt.EMPTY
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
won_created = summary.stages.loc[summary.stages["stage"] == "won", "reached"].sum()
st.caption(
    ui.t(
        "funnel.stages_caption",
        created=ui.count(summary.n_created),
        won_created=ui.count(won_created),
        won_closed=ui.count(summary.n_won),
    )
)
ui.chart(charts.funnel.stage_funnel(summary.stages, ui.lang()))
table(summary.stages.assign(stage=summary.stages["stage"].map(stage_label)), "funnel-stages")

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
else:
    table(shown[flags["verdict"] == "flagged"], "funnel-rep-flags")

st.subheader(ui.t("funnel.section.trend"))
st.caption(ui.t("funnel.trend_note"))
trend = ui.query(funnel.conversion_trend, scope)
ui.chart(charts.funnel.conversion_trend(trend, ui.lang()))
ui.download_buttons(trend, "funnel-trend")
