"""Overview: KPI cards with their comparisons, the revenue trend, revenue by region and channel."""

import streamlit as st

from app_pages._sales_widgets import table, value_label
from salesdash import breakdowns, charts, dataset, fmt, kpis, ui

FORMAT = {
    "revenue": ui.money,
    "orders": ui.count,
    "aov": ui.money,
    "active_customers": ui.count,
    "new_customers": ui.count,
    "repeat_rate": fmt.percent,
    "win_rate": fmt.percent,
}


def _delta(summary: kpis.KpiSummary, field: str, against: str) -> str | None:
    value = kpis.kpi_change(summary, field, against)
    if value is None:
        return None
    return fmt.points(value) if field in kpis.RATE_FIELDS else fmt.percent_change(value)


def _help(summary: kpis.KpiSummary, field: str, label: str) -> str:
    """The card's ⓘ: what the figure means (DESIGN.md's definition) and what it is compared with."""
    definition = ui.t(f"sales.kpi.define.{field}")
    prev, ly = summary.previous, summary.last_year
    if prev is None:
        return ui.t("sales.kpi.help_open", definition=definition)
    yoy = (
        ui.t("sales.kpi.help_yoy", ly_start=ui.day(ly.start_date), ly_end=ui.day(ly.end_date))
        if ly is not None
        else ui.t("sales.kpi.yoy_withheld")
    )
    return ui.t(
        "sales.kpi.help",
        definition=definition,
        prev_label=label,
        prev_start=ui.day(prev.start_date),
        prev_end=ui.day(prev.end_date),
        yoy=yoy,
    )


def kpi_cards(summary: kpis.KpiSummary, starts_with_data: bool) -> None:
    cur = summary.current
    fields = [f for f in kpis.KPI_FIELDS if f != "win_rate" or cur.n_won + cur.n_lost > 0]
    label = (
        ui.t(
            f"sales.kpi.label.{summary.previous_label}",
            n=(summary.previous.end_date - summary.previous.start_date).days + 1,
        )
        if summary.previous is not None
        else ""
    )
    if summary.last_year_withheld:
        st.caption(ui.t("sales.kpi.yoy_withheld"))
    columns = st.columns(4) + st.columns(4)
    for column, field in zip(columns, fields, strict=False):
        with column.container(border=True):
            prev_delta = _delta(summary, field, "previous")
            ly_delta = _delta(summary, field, "last_year")
            st.metric(
                ui.t(f"sales.kpi.{field}"),
                FORMAT[field](getattr(cur, field)),
                delta=f"{prev_delta} {label}" if prev_delta else None,
                help=_help(summary, field, label),
            )
            if not summary.last_year_withheld:
                st.caption(ui.t("sales.kpi.yoy", change=ly_delta or fmt.EMPTY))
            if field == "new_customers" and starts_with_data and cur.active_customers:
                st.caption(ui.t("sales.kpi.all_new"))


def trend(scope) -> None:
    st.subheader(ui.t("sales.overview.trend"))
    if scope.n_days == 1:
        st.caption(ui.t("sales.single_day"))
    grain = st.segmented_control(
        ui.t("sales.grain.label"),
        kpis.GRAINS,
        default=kpis.default_grain(scope),
        format_func=ui.labels("sales.grain"),
        key=f"ov_grain_{scope.n_days}",
        selection_mode="single",
    ) or kpis.default_grain(scope)
    frame = ui.query(kpis.revenue_trend, scope, grain)
    frame = frame.assign(series=[ui.t(f"sales.series.{u}") for u in frame["unique_id"]])
    fig = charts.sales.lines(
        frame,
        "series",
        fmt.money_axis(ui.t("sales.kpi.revenue")),
        dashed=ui.t("sales.series.last_year"),
    )
    ui.chart(fig, key="ov_trend")
    if not kpis.compares_with_last_year(scope) and scope.n_days:
        st.caption(ui.t("sales.trend.no_last_year"))
    if frame["y"].isna().any():
        st.caption(ui.t("sales.trend.gaps"))


def by_dimension(scope, dim: str) -> None:
    st.subheader(ui.t(f"sales.overview.by_{dim}"))
    frame = ui.query(breakdowns.breakdown, scope, dim)
    labels = [value_label(dim, v) for v in frame["value"]]
    title = fmt.money_axis(ui.t("sales.kpi.revenue"))
    fig = charts.sales.hbar(labels, frame["revenue"], title, height=320)
    ui.chart(fig, key=f"ov_bar_{dim}")
    table(frame, f"revenue_by_{dim}", dim)


st.title(ui.t("sales.overview.title"))
scope = ui.scope()
summary = ui.query(kpis.kpi_summary, scope)
if summary.current.orders == 0:
    st.info(ui.t("sales.no_data"))
    st.stop()
if summary.current.revenue < 0:
    st.warning(ui.t("sales.negative_revenue"))
first_day = ui.query(dataset.data_freshness).first_order_date
kpi_cards(summary, scope.start_date is None or scope.start_date <= first_day)
trend(scope)
left, right = st.columns(2)
with left:
    by_dimension(scope, "region")
with right:
    by_dimension(scope, "channel")
