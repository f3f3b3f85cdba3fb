"""Executive summary: will we hit the target? This quarter and this year, company and regions."""

import pandas as pd
import streamlit as st

from app_pages import _whatif as whatif
from salesdash import charts, fmt, targets, ui

METRIC = "revenue"

st.title(ui.t("executive.title"))
st.caption(ui.t("executive.intro"))

last_day = ui.query(targets.last_covered_day)
if last_day is None:
    st.info(ui.t("targets.no_data"))
    st.stop()
as_of = st.date_input(
    ui.t("targets.as_of"),
    value=last_day,
    max_value=last_day,
    key="exec_as_of",
    help=ui.t("targets.as_of_help"),
)
scope = ui.scope()
projections = ui.query(targets.executive_projections, scope, as_of=as_of, metric=METRIC)
summary = projections.frame
if summary.empty:
    st.info(ui.t("executive.no_targets"))
    st.stop()


def light_label(light: str | None) -> str:
    return ui.t(f"executive.light.{light or 'none'}")


for kind in ("quarter", "year"):
    rows = summary[summary["period_kind"] == kind]
    if rows.empty:
        continue
    first = rows.iloc[0]
    st.subheader(
        ui.t(
            f"executive.{kind}",
            start=ui.day(first["period_start"]),
            end=ui.day(first["period_end"]),
        )
    )
    company = rows[rows["scope"] != "region"]
    if len(company):
        c = company.iloc[0]
        if c["scope"] == targets.SUM_OF_REGIONS:
            st.caption(charts.executive.scope_label(c, ui.lang()))
        cols = st.columns(4)
        cols[0].metric(
            ui.t("executive.metric_actual"),
            ui.money(c["actual"]),
            ui.t("executive.attainment_delta", pct=fmt.percent(c["attainment"])),
            delta_color="off",
            delta_arrow="off",
        )
        cols[1].metric(
            ui.t("executive.metric_target"),
            ui.money(c["target"]),
            ui.t(f"executive.target_source.{c['target_source']}"),
            delta_color="off",
            delta_arrow="off",
        )
        cols[2].metric(
            ui.t("executive.metric_projection"),
            ui.money(c["projection"]),
            ui.t(
                "executive.metric_interval",
                lo=ui.money(c["projection_lo80"]),
                hi=ui.money(c["projection_hi80"]),
            ),
            delta_color="off",
            delta_arrow="off",
        )
        cols[3].metric(
            ui.t("executive.metric_p_hit"),
            fmt.percent(c["p_hit"]),
            light_label(c["light"]),
            delta_color=charts.executive.LIGHT_NAMED_COLOURS[c["light"]],
            delta_arrow="off",
        )
    region_rows = rows[rows["scope"] == "region"]
    if len(region_rows):
        light_column = ui.t("targets.col.light")
        table = pd.DataFrame(
            {
                ui.t("targets.scope.region"): region_rows["scope_value"],
                ui.t("targets.col.actual"): [ui.money(x) for x in region_rows["actual"]],
                ui.t("targets.col.target"): [ui.money(x) for x in region_rows["target"]],
                ui.t("targets.col.projection"): [ui.money(x) for x in region_rows["projection"]],
                ui.t("targets.col.interval"): [
                    f"{ui.money(lo)} – {ui.money(hi)}"
                    for lo, hi in zip(
                        region_rows["projection_lo80"], region_rows["projection_hi80"], strict=True
                    )
                ],
                ui.t("targets.col.p_hit"): region_rows["p_hit"],
                light_column: [light_label(x) for x in region_rows["light"]],
            }
        )
        styles = pd.Series([charts.executive.light_style(x) for x in region_rows["light"]])
        st.dataframe(
            table.style.apply(lambda _, css=styles: css.to_list(), subset=[light_column]),
            hide_index=True,
            width="stretch",
            column_config={
                ui.t("targets.col.p_hit"): st.column_config.ProgressColumn(
                    format="percent", min_value=0.0, max_value=1.0
                )
            },
        )

outlook, year_target = ui.query(targets.year_outlook, scope, as_of=as_of, metric=METRIC)
fig = charts.executive.outlook_figure(outlook, year_target, metric=METRIC, lang=ui.lang())
ui.chart(fig)

st.subheader(ui.t("executive.gaps"))
gaps = targets.biggest_gaps(summary)
for line in charts.executive.gap_lines(gaps, ui.lang()) or [ui.t("executive.no_gaps")]:
    st.markdown(f"- {line}")

if as_of == last_day:
    whatif.show(scope, lambda: projections)

st.subheader(ui.t("executive.export"))
page = charts.executive.one_page_figure(
    summary, outlook, year_target, gaps, as_of=as_of, metric=METRIC, lang=ui.lang()
)
left, right = st.columns(2)
left.download_button(
    ui.t("executive.export_png"),
    lambda: charts.executive.export_bytes(page, "png"),
    f"executive-summary-{as_of.isoformat()}.png",
    "image/png",
    key="exec_png",
)
right.download_button(
    ui.t("executive.export_pdf"),
    lambda: charts.executive.export_bytes(page, "pdf"),
    f"executive-summary-{as_of.isoformat()}.pdf",
    "application/pdf",
    key="exec_pdf",
)
