"""Targets: every target's progress, projection and odds, its SMART check, roll-ups, editing."""

import pandas as pd
import streamlit as st

from app_pages import _whatif as whatif
from salesdash import charts, fmt, smart, targets, ui


def figure(x: float | None, metric: str) -> str:
    """A target's figure as its metric reads: an amount, a rate or a count."""
    if metric == "win_rate":
        return fmt.percent(x)
    return ui.amount(x) if metric == "revenue" else ui.count(x)


def figures(values, metrics) -> list[str]:
    return [figure(x, m) for x, m in zip(values, metrics, strict=True)]


def named(frame: pd.DataFrame) -> dict:
    """The columns that name a target: its scope and value, metric and period."""
    return {
        ui.t("targets.col.scope"): [ui.t(f"targets.scope.{s}") for s in frame["scope"]],
        ui.t("targets.col.scope_value"): frame["scope_value"],
        ui.t("targets.col.metric"): [ui.t(f"targets.metric.{m}") for m in frame["metric"]],
        ui.t("targets.col.period_start"): frame["period_start"],
        ui.t("targets.col.period_end"): frame["period_end"],
    }


st.title(ui.t("targets.title"))
st.caption(ui.t("targets.intro"))

last_day = ui.query(targets.last_covered_day)
if last_day is None:
    st.info(ui.t("targets.no_data"))
    st.stop()

left, middle, right = st.columns(3)
as_of = left.date_input(
    ui.t("targets.as_of"),
    value=last_day,
    max_value=last_day,
    key="targets_as_of",
    help=ui.t("targets.as_of_help"),
)
kind = middle.segmented_control(
    ui.t("targets.period_kind"),
    ("all", "month", "quarter", "year"),
    default="all",
    format_func=ui.labels("targets.kind"),
    key="targets_kind",
)
status = right.segmented_control(
    ui.t("targets.status_filter"),
    ("all", "running", "upcoming", "closed"),
    default="running",
    format_func=ui.labels("targets.status"),
    key="targets_status",
)
scope = ui.scope()
report = ui.query(smart.assess_targets, scope, as_of=as_of)

st.subheader(ui.t("targets.tracking"))
st.caption(ui.t("targets.tracking_caption"))
if report.empty:
    st.info(ui.t("targets.empty"))
shown = report
if not report.empty and kind not in (None, "all"):
    shown = shown[shown["period_kind"] == kind]
if not report.empty and status not in (None, "all"):
    shown = shown[shown["status"] == status]

if not shown.empty:
    table = named(shown) | {
        ui.t("targets.col.target"): figures(shown["target"], shown["metric"]),
        ui.t("targets.col.actual"): figures(shown["actual"], shown["metric"]),
        ui.t("targets.col.attainment"): shown["attainment"],
        ui.t("targets.col.projection"): figures(shown["projection"], shown["metric"]),
        ui.t("targets.col.interval"): [
            f"{figure(lo, m)} – {figure(hi, m)}"
            for lo, hi, m in zip(
                shown["projection_lo80"], shown["projection_hi80"], shown["metric"], strict=True
            )
        ],
        ui.t("targets.col.p_hit"): shown["p_hit"],
        ui.t("targets.col.expected"): figures(shown["expected_to_date"], shown["metric"]),
        ui.t("targets.col.ahead"): figures(shown["ahead_amount"], shown["metric"]),
        ui.t("targets.col.ahead_days"): shown["ahead_days"],
        ui.t("targets.col.run_rate"): figures(shown["required_daily_rate"], shown["metric"]),
        ui.t("targets.col.smart"): [f"{n}/5" for n in shown["smart_passed"]],
    }
    ui.table(
        pd.DataFrame(table),
        {ui.t("targets.col.attainment"): "percent", ui.t("targets.col.ahead_days"): "count"},
        column_config={
            ui.t("targets.col.p_hit"): st.column_config.ProgressColumn(
                format="percent", min_value=0.0, max_value=1.0
            ),
        },
    )
    ui.download_buttons(
        shown.drop(columns=["smart"]).assign(
            smart=[
                "; ".join(f"{c.rule}: {c.reason(ui.lang())}" for c in checks)
                for checks in shown["smart"]
            ]
        ),
        ui.t("targets.download_name"),
    )

    st.subheader(ui.t("targets.smart_title"))
    labels = [
        f"{ui.t(f'targets.scope.{r.scope}')} {r.scope_value} · "
        f"{ui.t(f'targets.metric.{r.metric}')} · {r.period_start} – {r.period_end}"
        for r in shown.itertuples()
    ]
    picked = st.selectbox(
        ui.t("targets.smart_pick"), range(len(labels)), format_func=labels.__getitem__
    )
    checks = shown.iloc[picked]["smart"]
    verdict = {True: "pass", False: "fail", None: "na"}
    verdict_column = ui.t("targets.col.verdict")
    checks_table = pd.DataFrame(
        {
            "SMART": [ui.t(f"targets.rule.{c.rule}") for c in checks],
            verdict_column: [ui.t(f"targets.verdict.{verdict[c.passed]}") for c in checks],
            ui.t("targets.col.reason"): [c.reason(ui.lang()) for c in checks],
        }
    )
    css = pd.Series([charts.executive.light_style(smart.VERDICT_LIGHTS[c.passed]) for c in checks])
    st.dataframe(
        checks_table.style.apply(lambda _, css=css: css.to_list(), subset=[verdict_column]),
        hide_index=True,
        width="stretch",
    )

if as_of == last_day:
    whatif.show(
        scope,
        lambda: ui.query(targets.target_projections, as_of=as_of, scope=scope),
    )

st.subheader(ui.t("targets.rollups"))
st.caption(ui.t("targets.rollups_caption"))
gaps = ui.query(targets.rollup_gaps, scope)
if gaps.empty:
    st.info(ui.t("targets.rollups_empty"))
else:
    ui.table(
        pd.DataFrame(
            named(gaps)
            | {
                ui.t("targets.col.target"): figures(gaps["parent_target"], gaps["metric"]),
                ui.t("targets.col.child_scope"): [
                    ui.t(f"targets.scope.{s}") for s in gaps["child_scope"]
                ],
                ui.t("targets.col.n_children"): gaps["n_children"],
                ui.t("targets.col.children"): figures(gaps["children_target"], gaps["metric"]),
                ui.t("targets.col.gap"): figures(gaps["gap"], gaps["metric"]),
            }
        )
    )

if not ui.user().may("change_data"):
    st.stop()
st.subheader(ui.t("targets.edit_title"))
st.caption(ui.t("targets.edit_caption"))
if "targets_saved" in st.session_state:
    st.success(st.session_state.pop("targets_saved"))
current = ui.query(targets.current_targets, ui.rights())[list(targets.COLUMNS)]
# The editor shows scopes and metrics in the session's language; a save maps them back to codes.
names = {
    "scope": {c: ui.text(f"targets.scope.{c}") for c in targets.SCOPES},
    "metric": {m: ui.text(f"targets.metric.{m}") for m in targets.METRICS},
}
codes = {column: {v: k for k, v in named.items()} for column, named in names.items()}
edited = st.data_editor(
    current.assign(**{c: current[c].map(lambda v, n=n: n.get(v, v)) for c, n in names.items()}),
    num_rows="add",
    hide_index=True,
    width="stretch",
    key="targets_editor",
    column_config={
        "period_start": st.column_config.DateColumn(
            ui.t("targets.col.period_start"), required=True
        ),
        "period_end": st.column_config.DateColumn(ui.t("targets.col.period_end"), required=True),
        "scope": st.column_config.SelectboxColumn(
            ui.t("targets.col.scope"), options=list(names["scope"].values()), required=True
        ),
        "scope_value": st.column_config.TextColumn(ui.t("targets.col.scope_value")),
        "metric": st.column_config.SelectboxColumn(
            ui.t("targets.col.metric"), options=list(names["metric"].values()), required=True
        ),
        "target": st.column_config.NumberColumn(ui.t("targets.col.target"), required=True),
        "owner": st.column_config.TextColumn(ui.t("targets.col.owner")),
        "note": st.column_config.TextColumn(ui.t("targets.col.note")),
    },
)
edited = edited.assign(**{c: edited[c].map(lambda v, n=n: n.get(v, v)) for c, n in codes.items()})
if st.button(ui.t("targets.save"), key="targets_save", type="primary"):
    try:
        changes = targets.changed_targets(current, edited)
        batch = None
        if not changes.empty:
            with ui.writing("target edit on the Targets page") as con:
                batch = targets.save_edits(con, changes)
    except ValueError as exc:
        st.error(ui.t("targets.save_error", error=str(exc)))
    else:
        if batch is None:
            st.info(ui.t("targets.nothing_changed"))
        else:
            st.session_state["targets_saved"] = ui.t("targets.saved", n=len(changes), batch=batch)
            del st.session_state["targets_editor"]
            st.rerun()
