"""Customers: RFM segment map, value tiers, cohort retention, the care list, segment movement."""

from datetime import timedelta

import streamlit as st

from salesdash import carelist, charts, cohorts, dataset, fmt, segments, ui


def segment_name(code: str) -> str:
    return charts.customers.segment_name(code, ui.lang())


SHARE_COLUMNS = ("n_customers", "customer_share", "revenue", "revenue_share")
SHARE_FORMATS = {
    "customer_share": "percent",
    "revenue": "money",
    "revenue_share": "percent",
    "monetary": "money",
}


def headers(*columns: str) -> dict:
    """The catalogue's headers of these columns."""
    return {c: ui.t(f"customers.col.{c}") for c in columns}


st.title(ui.t("customers.title"))
scope = ui.scope()
fresh = ui.query(dataset.data_freshness)
if fresh.last_order_date is None:
    st.info(ui.t("app.freshness_empty"))
    st.stop()

first, last = fresh.first_order_date, fresh.last_order_date
default_as_of = min(max(scope.end_date or last, first), last)
as_of = st.date_input(
    ui.t("customers.as_of"),
    value=default_as_of,
    min_value=first,
    max_value=last,
    help=ui.t("customers.as_of_help"),
)
st.caption(ui.t("customers.scope_note"))

rfm = ui.query(segments.rfm_table, scope, as_of)
if rfm.empty:
    st.info(ui.t("customers.empty", as_of=ui.day(as_of)))
    st.stop()

summary = segments.segment_summary(rfm).set_index("segment")
tab_seg, tab_tier, tab_cohort, tab_care, tab_move = st.tabs(
    [
        ui.t("customers.tab.segments"),
        ui.t("customers.tab.tiers"),
        ui.t("customers.tab.cohorts"),
        ui.t("customers.tab.care"),
        ui.t("customers.tab.movement"),
    ]
)

with tab_seg:
    headline = segments.rfm_summary(rfm, as_of)
    c1, c2, c3, c4 = st.columns(4)
    history_help = ui.t("customers.metric.all_history_help")
    c1.metric(
        ui.t("customers.metric.customers", date=ui.day(as_of)),
        ui.count(headline.n_customers),
        help=history_help,
    )
    c2.metric(
        ui.t("customers.metric.revenue", date=ui.day(as_of)),
        ui.money(headline.revenue),
        help=history_help,
    )
    c3.metric(
        ui.t("customers.metric.champions_share"),
        fmt.percent(headline.segments["champions"]["revenue_share"]),
    )
    c4.metric(ui.t("customers.metric.at_risk"), ui.count(headline.n_slipping))
    st.subheader(ui.t("customers.map.title"))
    ui.chart(charts.customers.segment_map(segments.segment_map(rfm), ui.lang()), key="segment_map")
    st.caption(ui.t("customers.map.caption"))
    st.subheader(ui.t("customers.segments.table"))
    table = summary.reset_index()
    table["segment"] = table["segment"].map(segment_name)
    ui.table(
        table,
        SHARE_FORMATS | {"recency_days_median": "count", "frequency_mean": "decimal"},
        column_config=headers(*SHARE_COLUMNS, "segment")
        | {
            "recency_days_median": ui.t("customers.col.recency_median"),
            "frequency_mean": ui.t("customers.col.frequency_mean"),
        },
    )
    with st.expander(ui.t("customers.segments.guide"), expanded=False):
        for code in segments.SEGMENTS:
            st.markdown(
                f"**{segment_name(code)}** — {ui.t(f'customers.segment.{code}.desc')}  \n"
                f"{ui.t('customers.segments.action')}: {ui.t(f'customers.segment.{code}.action')}"
            )

with tab_tier:
    st.subheader(ui.t("customers.tiers.title"))
    st.caption(ui.t("customers.tiers.caption"))
    tiers = segments.tier_summary(rfm)
    tiers["value_tier"] = tiers["value_tier"].map(lambda t: ui.t(f"customers.tier.{t}"))
    ui.table(tiers, SHARE_FORMATS, column_config=headers(*SHARE_COLUMNS, "value_tier"))
    st.subheader(ui.t("customers.tiers.overlap"))
    overlap = segments.tier_segment_overlap(rfm)
    overlap["segment"] = overlap["segment"].map(segment_name)
    tier_labels = {t: ui.t(f"customers.tier.{t}") for t in segments.VALUE_TIERS}
    overlap = overlap.rename(columns=tier_labels)
    fig = charts.customers.tier_overlap(
        overlap,
        list(tier_labels.values()),
        y_title=ui.t("customers.col.n_customers"),
        legend_title=ui.t("customers.col.value_tier"),
    )
    ui.chart(fig, key="tier_overlap")
    ui.table(overlap, column_config=headers("segment"))

with tab_cohort:
    st.caption(ui.t("customers.cohorts.caption"))
    retention = ui.query(cohorts.cohort_retention, scope)
    if retention.empty:
        st.info(ui.t("customers.cohorts.empty"))
    else:
        left, right = st.columns(2)
        for column, value, title in (
            (left, "retention_rate", "customers.cohorts.customers"),
            (right, "revenue_retention_rate", "customers.cohorts.revenue"),
        ):
            grid = cohorts.cohort_grid(retention, value)
            with column:
                fig = charts.customers.cohort_heatmap(
                    grid,
                    title=ui.t(title),
                    x_title=ui.t("customers.cohorts.x"),
                    y_title=ui.t("customers.cohorts.y"),
                    y_labels=[ui.month(m) for m in grid.index],
                )
                ui.chart(fig, key=f"cohort_{value}")

with tab_care:
    st.caption(
        ui.t(
            "customers.care.caption",
            factor=f"{carelist.OVERDUE_FACTOR:g}",
            min_days=carelist.MIN_OVERDUE_DAYS,
            birthday_days=carelist.BIRTHDAY_DAYS,
            second_days=carelist.NO_SECOND_ORDER_DAYS,
            max_days=carelist.NEW_CUSTOMER_MAX_DAYS,
        )
    )
    care = ui.query(carelist.care_list, scope, as_of)
    f1, f2 = st.columns(2)
    regions = f1.multiselect(
        ui.t("customers.care.region"),
        sorted(care["region"].dropna().unique()),
        placeholder=ui.t("filters.all"),
        key="care_region",
    )
    reps = f2.multiselect(
        ui.t("customers.care.rep"),
        sorted(care["sales_rep"].dropna().unique()),
        placeholder=ui.t("filters.all"),
        key="care_rep",
    )
    include_contacts = st.checkbox(ui.t("customers.care.contacts"), key="care_contacts")
    chosen = carelist.filter_care_list(care, regions=tuple(regions), sales_reps=tuple(reps))
    counts = chosen["reason"].value_counts()
    for col, reason in zip(st.columns(len(carelist.REASONS)), carelist.REASONS, strict=True):
        col.metric(ui.t(f"customers.reason.{reason}"), ui.count(int(counts.get(reason, 0))))
    if chosen.empty:
        st.info(ui.t("customers.care.empty"))
    else:
        shown = chosen if include_contacts else carelist.mask_personal(chosen)
        shown = shown.assign(
            reason=shown["reason"].map(lambda r: ui.t(f"customers.reason.{r}")),
            segment=shown["segment"].map(segment_name),
        )
        ui.table(
            shown,
            SHARE_FORMATS | {"usual_interval_days": "count"},
            column_config=headers(*shown.columns),
        )
        ui.download_buttons(
            carelist.for_download(chosen, include_contacts=include_contacts),
            "care_list",
            amounts=("monetary",),
        )

with tab_move:
    from_date = st.date_input(
        ui.t("customers.movement.from"),
        value=max(first, as_of - timedelta(days=91)),
        min_value=first,
        max_value=last,
        key="move_from",
    )
    if from_date >= as_of:
        st.warning(ui.t("customers.movement.bad_dates"))
    else:
        st.caption(
            ui.t(
                "customers.movement.caption",
                from_date=ui.day(from_date),
                to_date=ui.day(as_of),
            )
        )
        moves = ui.query(segments.segment_movement, scope, from_date, as_of)
        m1, m2, m3 = st.columns(3)
        m1.metric(
            ui.t("customers.movement.champions_at_risk"),
            ui.count(segments.moved(moves, "champions", "at_risk", "cant_lose")),
        )
        m2.metric(
            ui.t("customers.movement.champions_kept"),
            ui.count(segments.moved(moves, "champions", "champions")),
        )
        m3.metric(
            ui.t("customers.movement.newcomers"),
            ui.count(segments.moved(moves, segments.NOT_YET)),
        )
        fig = charts.customers.movement_heatmap(
            segments.movement_matrix(moves),
            x_title=ui.text("customers.movement.x", date=ui.day(as_of)),
            y_title=ui.text("customers.movement.y", date=ui.day(from_date)),
            lang=ui.lang(),
        )
        ui.chart(fig, key="movement")
