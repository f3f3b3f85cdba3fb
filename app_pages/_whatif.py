"""The what-if panel of the Executive and Targets pages: a scenario of changes (a region's sales,
a lost customer, a deal won or lost), loaded from and saved to the saved scenarios, and the table
of what it does to the page's targets beside the baseline (which the rest of the page shows)."""

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from salesdash import dataset, forecast, scenarios, targets, ui
from salesdash.errors import InputError
from salesdash.periods import add_months
from salesdash.scope import Scope

STEPS_KEY = "whatif_steps"
# Months a change can start in: this one and the next year's.
START_MONTHS = 13


def _describe(step: scenarios.Step) -> str:
    month = ui.month(step.start)
    if step.kind == "region":
        pct = ("+" if step.pct > 0 else "") + f"{step.pct:g}%"
        return ui.t("whatif.step.region", name=step.key, pct=pct, month=month)
    if step.kind == "customer":
        return ui.t("whatif.step.customer", name=step.key, month=month)
    return ui.t(f"whatif.step.deal_{step.outcome}", name=step.key, month=month)


def _add(step: scenarios.Step) -> None:
    st.session_state[STEPS_KEY] = st.session_state.get(STEPS_KEY, ()) + (step,)


def _remove(index: int) -> None:
    steps = st.session_state.get(STEPS_KEY, ())
    st.session_state[STEPS_KEY] = steps[:index] + steps[index + 1 :]


def _clear() -> None:
    st.session_state.pop(STEPS_KEY, None)


def _new_step(scope: Scope, near: forecast.NearTerm, months: list[date]) -> None:
    """The widgets that add one change to the scenario."""
    kind = st.segmented_control(
        ui.t("whatif.add_kind"),
        scenarios.KINDS,
        format_func=ui.labels("whatif.kind"),
        key="whatif_kind",
        default="region",
        required=True,
    )
    left, middle, right = st.columns([2, 1, 1])
    start = right.selectbox(
        ui.t("whatif.in_month" if kind == "deal" else "whatif.from"),
        months,
        index=min(1, len(months) - 1),
        format_func=ui.month,
        key=f"whatif_start_{kind}",
    )
    step = None
    if kind == "region":
        regions = scope.effective_regions() or tuple(
            ui.query(dataset.filter_choices, scope)["region"]
        )
        region = left.selectbox(ui.t("whatif.region"), regions, key="whatif_region")
        pct = middle.number_input(ui.t("whatif.pct"), value=5.0, step=1.0, key="whatif_pct")
        if region:
            step = scenarios.Step("region", region, start, pct=float(pct))
    elif kind == "customer":
        customers = ui.query(scenarios.key_customers, scope, as_of=near.as_of)
        if customers.empty:
            left.info(ui.t("whatif.no_customers"))
        else:
            labels = {
                row.customer_id: ui.text(
                    "whatif.customer_option",
                    name=row.customer_name or row.customer_id,
                    region=row.region,
                    monthly=ui.money(row.monthly_revenue),
                )
                for row in customers.itertuples()
            }
            customer = left.selectbox(
                ui.t("whatif.customer"), list(labels), format_func=labels.get, key="whatif_cust"
            )
            step = scenarios.Step("customer", customer, start)
    else:
        deals = scenarios.open_deals(near)
        if deals.empty:
            left.info(ui.t("whatif.no_deals"))
        else:
            labels = {
                row.opportunity_id: ui.text(
                    "whatif.deal_option",
                    id=row.opportunity_id,
                    region=row.region,
                    stage=ui.text(f"funnel.stage.{row.stage}"),
                    amount=ui.money(row.amount),
                    expected=ui.money(row.expected),
                )
                for row in deals.itertuples()
            }
            deal = left.selectbox(
                ui.t("whatif.deal"), list(labels), format_func=labels.get, key="whatif_deal"
            )
            outcome = middle.segmented_control(
                ui.t("whatif.outcome_label"),
                scenarios.OUTCOMES,
                format_func=ui.labels("whatif.outcome"),
                key="whatif_outcome",
                default="won",
                required=True,
            )
            step = scenarios.Step("deal", deal, start, outcome=outcome)
    # Added here, not in an on_click callback: a callback's arguments are those of the run that
    # drew the button, before the change of a widget the same click sends.
    if st.button(ui.t("whatif.add"), key="whatif_add", disabled=step is None):
        _add(step)


def _saved_scenarios() -> None:
    """Load or delete a saved scenario."""
    saved = ui.query(scenarios.saved)
    if not saved:
        return
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    name = left.selectbox(ui.t("whatif.saved"), sorted(saved), key="whatif_saved")
    if middle.button(ui.t("whatif.load"), key="whatif_load"):
        st.session_state[STEPS_KEY] = saved[name]
        st.rerun()
    if right.button(ui.t("whatif.delete"), key="whatif_delete"):
        with ui.writing("deleting a what-if scenario") as con:
            scenarios.delete(con, name)
        st.session_state["whatif_done"] = ui.t("whatif.deleted_ok", name=name)
        st.rerun()


def _save(steps: tuple[scenarios.Step, ...]) -> None:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input(ui.t("whatif.name"), key="whatif_name")
    if right.button(ui.t("whatif.save"), key="whatif_save", disabled=not name.strip()):
        try:
            with ui.writing("saving a what-if scenario") as con:
                scenarios.save(con, name, steps)
        except InputError as exc:
            st.error(ui.t("whatif.error", error=str(exc)))
        else:
            st.session_state["whatif_done"] = ui.t("whatif.saved_ok", name=name.strip())
            st.rerun()


def scenario_panel(scope: Scope) -> pd.DataFrame | None:
    """Draw the panel; return the scenario's change per forecast series and month
    (``forecast.scenario_deltas``), or None when it is closed or has no change."""
    st.subheader(ui.t("whatif.title"))
    st.caption(ui.t("whatif.intro"))
    if not st.toggle(ui.t("whatif.open"), key="whatif_on"):
        return None
    if "whatif_done" in st.session_state:
        st.success(st.session_state.pop("whatif_done"))
    near = ui.query(forecast.near_term, scope)
    if near.as_of is None:
        return None
    first = add_months(near.as_of, 1)
    _saved_scenarios()
    _new_step(scope, near, [add_months(first, i) for i in range(START_MONTHS)])
    steps = st.session_state.get(STEPS_KEY, ())
    st.markdown(f"**{ui.t('whatif.steps')}**")
    if not steps:
        st.caption(ui.t("whatif.empty"))
        return None
    for i, step in enumerate(steps):
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.write(_describe(step))
        button.button(ui.t("whatif.remove"), key=f"whatif_remove_{i}", on_click=_remove, args=(i,))
    st.button(
        ui.t("whatif.clear"), key="whatif_clear", on_click=st.session_state.pop, args=(STEPS_KEY,)
    )
    _save(steps)
    try:
        return ui.query(scenarios.deltas, scope, steps)
    except InputError as exc:
        st.error(ui.t("whatif.error", error=str(exc)))
        return None


def whatif_table(moved: pd.DataFrame) -> None:
    """The targets under the scenario beside their baseline."""
    st.markdown(f"**{ui.t('whatif.result')}**")
    if moved.empty:
        st.info(ui.t("whatif.no_rows"))
        return
    who = [
        ui.text("targets.scope.company")
        if s == "company"
        else f"{ui.text(f'targets.scope.{s}')} {v}"
        for s, v in zip(moved["scope"], moved["scope_value"], strict=True)
    ]
    columns = {
        "who": who,
        "period": [
            f"{ui.day(a)} – {ui.day(b)}"
            for a, b in zip(moved["period_start"], moved["period_end"], strict=True)
        ],
        "target": [ui.money(x) for x in moved["target"]],
        "baseline": [ui.money(x) for x in moved["projection"]],
        "whatif": [ui.money(x) for x in moved["whatif_projection"]],
        "change": [ui.signed_money(x) for x in moved["whatif_change"]],
        "range": [
            f"{ui.money(lo)} – {ui.money(hi)}"
            for lo, hi in zip(moved["whatif_lo80"], moved["whatif_hi80"], strict=True)
        ],
        "p_baseline": moved["p_hit"],
        "p_whatif": moved["whatif_p_hit"],
        "light": [ui.text(f"executive.light.{x or 'none'}") for x in moved["whatif_light"]],
    }
    table = pd.DataFrame({ui.text(f"whatif.col.{k}"): v for k, v in columns.items()})
    chance = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            ui.text("whatif.col.p_baseline"): chance,
            ui.text("whatif.col.p_whatif"): chance,
        },
    )


def show(scope: Scope, projections: Callable[[], targets.Projections]) -> None:
    """The panel and, with a scenario, its table for the page's targets (``projections``: their
    baseline, asked for only then)."""
    deltas = scenario_panel(scope)
    if deltas is not None:
        whatif_table(targets.what_if(projections(), deltas))
