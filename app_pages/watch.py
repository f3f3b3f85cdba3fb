"""Watch: the risks the last refresh found, most costly first — filter them, open each in the page
that shows it, acknowledge or snooze it. Reads the stored alerts only; computes nothing."""

from datetime import date, datetime, timedelta

import streamlit as st

from salesdash import alerts, ui
from salesdash.alerts import text
from salesdash.errors import AccessDenied, InputError, WriterBusyError

# Cards drawn at once: more is a list nobody reads (the filters narrow it), and each card's
# buttons cost the page time.
MAX_CARDS = 20
# A snooze's default length: a week, until the next weekly review.
SNOOZE_DAYS = 7
ICONS = {"critical": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}
COLOURS = {"critical": "red", "warning": "orange", "info": "blue"}


def _set_state(alert_key: str, action: str, until: date | None = None) -> None:
    """Acknowledge, snooze or reopen: a write, through the writer (it waits for a load)."""
    try:
        with ui.writing(f"{action} of alert {alert_key} on the Watch page") as con:
            alerts.set_state(
                con, alert_key, action, user=ui.user().email, now=datetime.now(), until=until
            )
    except (InputError, AccessDenied, WriterBusyError) as error:
        st.error(ui.plain(error))
        return
    st.rerun()


def _state_line(row: dict, lang: str) -> str | None:
    who = ui.plain(row["state_user"] or ui.t("watch.state.unknown_user"))
    line = None
    if row["state"] == "acknowledged":
        line = ui.t("watch.state.acknowledged", user=who, day=ui.day(row["state_changed_at"]))
    elif row["state"] == "snoozed":
        line = ui.t("watch.state.snoozed", user=who, until=ui.day(row["snoozed_until"]))
    if row["is_worse"] and row["state"] != "open":
        line = f"{line} · **{ui.t('watch.state.worse')}**"
    return line


def card(row: dict, lang: str, today: date) -> None:
    key = row["alert_key"]
    severity = row["severity"]
    with st.container(border=True):
        st.markdown(
            f"{ICONS[severity]} :{COLOURS[severity]}[**{text.severity(severity, lang)}**] · "
            f"**{text.title(row['kind'], lang)}** — {ui.plain(text.owner(row, lang))}"
        )
        st.markdown(ui.plain(text.what(row, lang)))
        stake = text.stake(row, lang)
        if stake:
            st.markdown(f"**{ui.plain(stake)}**")
        st.caption(f"→ {text.response(row, lang)}")
        notes = [ui.t("watch.first_seen", day=ui.day(row["first_seen_at"]))]
        state = _state_line(row, lang)
        if state:
            notes.append(state)
        st.caption(" · ".join(notes))
        actions = st.container(horizontal=True)
        actions.link_button(
            ui.t("watch.open_page"), text.url(row, lang=lang), icon=":material/open_in_new:"
        )
        if not ui.user().may("acknowledge_alerts"):
            return
        if row["state"] == "open":
            if actions.button(ui.t("watch.acknowledge"), key=f"ack-{key}"):
                _set_state(key, "acknowledge")
            with actions.popover(ui.t("watch.snooze")):
                until = st.date_input(
                    ui.t("watch.snooze_until"),
                    value=today + timedelta(days=SNOOZE_DAYS),
                    min_value=today + timedelta(days=1),
                    key=f"until-{key}",
                )
                if st.button(ui.t("watch.snooze"), key=f"snooze-{key}"):
                    _set_state(key, "snooze", until)
        elif actions.button(ui.t("watch.reopen"), key=f"reopen-{key}"):
            _set_state(key, "reopen")


def filters(frame, lang: str):
    """Kind, severity, region and owner filters, and whether put-aside alerts show."""
    left, mid, right, last = st.columns(4)
    kinds = left.multiselect(
        ui.t("watch.filter.kind"),
        [k for k in alerts.KINDS if k in set(frame["kind"])],
        format_func=lambda k: text.title(k, lang),
        placeholder=ui.t("watch.filter.all"),
        key="w_kind",
    )
    severities = mid.multiselect(
        ui.t("watch.filter.severity"),
        list(reversed(alerts.SEVERITIES)),
        format_func=lambda s: text.severity(s, lang),
        placeholder=ui.t("watch.filter.all"),
        key="w_severity",
    )
    region_choices = sorted(frame["region"].dropna().unique())
    regions = right.multiselect(
        ui.t("watch.filter.region"),
        region_choices,
        default=[r for r in ui.scope().regions if r in region_choices],
        placeholder=ui.t("watch.filter.all"),
        key="w_region",
    )
    owners = last.multiselect(
        ui.t("watch.filter.owner"),
        sorted(o for o in frame["owner"].unique() if o),
        placeholder=ui.t("watch.filter.all"),
        key="w_owner",
    )
    show_hidden = st.toggle(ui.t("watch.filter.show_hidden"), key="w_hidden")
    keep = frame["is_shown"] | show_hidden
    for column, chosen in (
        ("kind", kinds),
        ("severity", severities),
        ("region", regions),
        ("owner", owners),
    ):
        if chosen:
            keep &= frame[column].isin(chosen)
    return frame[keep]


def summary(frame) -> None:
    cells = st.columns(4)
    cells[0].metric(ui.t("watch.metric.open"), f"{len(frame):,}")
    cells[1].metric(ui.t("watch.metric.critical"), int((frame["severity"] == "critical").sum()))
    cells[2].metric(ui.t("watch.metric.warning"), int((frame["severity"] == "warning").sum()))
    cells[3].metric(ui.t("watch.metric.money"), ui.money(float(frame["money_at_stake"].sum())))


st.title(ui.t("watch.title"))
lang = ui.lang()
last = ui.query(alerts.last_run)
if last is None:
    st.info(ui.t("watch.not_computed"))
    st.stop()
st.caption(
    ui.t(
        "watch.caption",
        computed=f"{last.computed_at:%Y-%m-%d %H:%M}",
        as_of=ui.day(last.as_of) if last.as_of else "–",
    )
)
today = date.today()
# What the user may see (the page's own region filter chooses among it); cached per
# publication: acknowledging or snoozing publishes a new one.
visible = ui.rights()
stored = ui.query(alerts.stored_alerts, on=today, scope=visible)
shown = filters(stored, lang)
summary(shown)
if shown.empty:
    st.info(ui.t("watch.none"))
    st.stop()
for row in shown.head(MAX_CARDS).to_dict(orient="records"):
    card(row, lang, today)
if len(shown) > MAX_CARDS:
    st.caption(ui.t("watch.more", n=ui.number(len(shown) - MAX_CARDS)))
