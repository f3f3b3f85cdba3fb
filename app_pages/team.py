"""Team: one scorecard row per sales rep, their distribution, and the roll-up per manager."""

import plotly.graph_objects as go
import streamlit as st

from app_pages._sales_widgets import table, value_label
from salesdash import scorecards, ui

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
fig = go.Figure()
for region, part in reps.groupby(reps["region"].fillna(""), sort=True):
    fig.add_trace(
        go.Box(
            x=part[metric],
            name=value_label("region", region or None),
            text=[value_label("sales_rep", r) for r in part["sales_rep"]],
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            hovertemplate="%{text}: %{x}<extra></extra>",
        )
    )
fig.update_layout(
    showlegend=False,
    xaxis_title=ui.t(f"sales.col.{metric}"),
    margin={"t": 10},
    height=120 + 45 * reps["region"].nunique(dropna=False),
)
if metric in ("win_rate", "revenue_change"):
    fig.update_layout(xaxis_tickformat=".0%")
ui.chart(fig, key="team_distribution")

st.subheader(ui.t("sales.team.managers"))
managers = ui.query(scorecards.manager_rollup, scope)
table(managers, "team_managers", "manager")
