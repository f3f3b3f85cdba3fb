"""Access: who may use salesdash and what they see; grant, change and revoke; the change log."""

import pandas as pd
import streamlit as st

from salesdash import access, breakdowns, dataset, ui
from salesdash.errors import AccessDenied, InputError
from salesdash.scope import Scope

role_label = ui.labels("access.role")
everything = Scope()

st.title(ui.t("access.page.title"))
st.caption(ui.t("access.page.intro"))
if "access_done" in st.session_state:
    st.success(st.session_state.pop("access_done"))

st.subheader(ui.t("access.page.list"))
# read from the company's own store, also while the demo company is shown (None: nothing yet)
grants = ui.company_query(access.grants)
if grants is None:
    grants = pd.DataFrame(columns=access.GRANT_COLUMNS)
if grants.empty:
    st.info(ui.t("access.page.empty"))
else:
    st.dataframe(
        grants.assign(
            role=grants["role"].map(role_label),
            regions=[", ".join(r) for r in grants["regions"]],
        ),
        hide_index=True,
        width="stretch",
        column_config={c: ui.t(f"access.col.{c}") for c in grants.columns},
    )


def _save(change, done: str) -> None:
    try:
        with ui.writing("access change on the Access page") as con:
            change(con)
    except (InputError, AccessDenied) as error:
        st.error(ui.t("access.page.error", reason=error))
    else:
        st.session_state["access_done"] = done
        st.rerun()


st.subheader(ui.t("access.page.grant"))
with st.form("access_grant"):
    email = st.text_input(ui.t("access.page.email"), placeholder="name@company.com")
    role = st.selectbox(
        ui.t("access.page.role"),
        access.ROLES,
        format_func=lambda r: f"{role_label(r)} — {ui.t(f'access.role_help.{r}')}",
    )
    left, right = st.columns(2)
    regions = left.multiselect(
        ui.t("access.page.regions"), ui.query(dataset.filter_choices, everything)["region"]
    )
    reps = ui.query(breakdowns.breakdown, everything, "sales_rep")["value"].dropna()
    rep = right.selectbox(ui.t("access.page.rep"), sorted(reps), index=None)
    if st.form_submit_button(ui.t("access.page.save"), type="primary"):
        _save(
            lambda con: access.grant(con, email, role, regions=tuple(regions), sales_rep=rep),
            ui.t("access.page.saved", email=access.normalised(email), role=role_label(role)),
        )

if not grants.empty:
    st.subheader(ui.t("access.page.revoke"))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    gone = left.selectbox(ui.t("access.page.revoke_pick"), grants["email"], key="access_revoke")
    if right.button(ui.t("access.page.revoke_button"), icon=":material/person_remove:"):
        _save(
            lambda con: access.revoke(con, gone),
            ui.t("access.page.revoked", email=gone),
        )

st.subheader(ui.t("access.page.log"))
log = ui.company_query(access.changes)
if log is None:
    log = pd.DataFrame(columns=access.CHANGE_COLUMNS)
st.dataframe(
    log.assign(
        role=log["role"].map(lambda r: role_label(r) if r else r),
        regions=[", ".join(r) for r in log["regions"]],
    ),
    hide_index=True,
    width="stretch",
    column_config={c: ui.t(f"access.col.{c}") for c in log.columns},
)
