"""Team: one scorecard row per sales rep, their distribution, and the roll-up per manager."""

import streamlit as st

from app_pages._sales_widgets import table, value_label
from salesdash import charts, scorecards, ui

METRICS = (
    "revenue",
    "n_orders",
    "aov",
    "n_customers",
    "n_new_customers",
    "win_rate",
    "revenue_change",
)

st.title(ui.t("sales.team.title"))
scope = ui.scope()
reps = ui.query(scorecards.rep_scorecards, scope)
if reps.empty:
    st.info(ui.t("sales.no_data"))
    st.stop()

st.subheader(ui.t("sales.team.reps"))
shown = reps
if reps["attainment"].isna().all():
    shown = reps.drop(columns="attainment")
if reps["win_rate"].isna().all():
    shown = shown.drop(columns=["win_rate", "median_cycle_days"])
table(shown, "team_scorecards", "sales_rep")
notes = [ui.t("sales.team.no_rep")]
if reps["attainment"].isna().all():
    notes.append(ui.t("sales.team.attainment_hook"))
st.caption(" ".join(notes))

st.subheader(ui.t("sales.team.distribution"))
metric = st.selectbox(
    ui.t("sales.team.metric"),
    [m for m in METRICS if m in shown.columns],
    format_func=ui.labels("sales.col"),
    key="team_metric",
)
regions = reps["region"].fillna("")
drawn = reps.assign(
    group=regions,
    group_label=[value_label("region", r or None) for r in regions],
    rep_label=[value_label("sales_rep", r) for r in reps["sales_rep"]],
)
fig = charts.sales.distribution(
    drawn,
    value=metric,
    group="group",
    group_label="group_label",
    point_label="rep_label",
    x_title=ui.t(f"sales.col.{metric}"),
    percent=metric in ("win_rate", "revenue_change"),
)
ui.chart(fig, key="team_distribution")

st.subheader(ui.t("sales.team.managers"))
managers = ui.query(scorecards.manager_rollup, scope)
table(managers, "team_managers", "manager")
