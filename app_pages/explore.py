"""Explore: drill down region → rep → customer → category → product, cross dimensions, trends,
Pareto and the channel comparison. The drill path, dimension and view live in the URL
(?drill=region:East&drill=sales_rep:…&dim=customer&view=breakdown).
"""

import streamlit as st

from app_pages._sales_widgets import table, value_label
from salesdash import breakdowns, charts, fmt, kpis, ui

PATH_KEY = "ex_path"
OUTSIDE_KEY = "ex_path_outside_scope"
BY_KEY = "ex_by"
VIEW_KEY = "ex_view_tab"
# Only the chosen view is computed and drawn: a cached rerun stays fast.
VIEWS = ("breakdown", "compare", "trend", "pareto", "channels")


def _read_url() -> None:
    """Take the drill path and dimension from the URL once per session."""
    if PATH_KEY in st.session_state:
        return
    path = []
    for step in st.query_params.get_all("drill"):
        dim, _, value = step.partition(":")
        if dim in breakdowns.DIMENSIONS and value and dim not in dict(path):
            path.append((dim, value))
    shown = tuple(path)
    if ui.rights().restricted:
        shown = ui.query(breakdowns.visible_path, ui.scope(), shown)
    st.session_state[PATH_KEY] = shown
    st.session_state[OUTSIDE_KEY] = shown != tuple(path)
    wanted = st.query_params.get("dim")
    if wanted in breakdowns.DIMENSIONS and wanted not in dict(path):
        st.session_state[BY_KEY] = wanted
    view = st.query_params.get("view")
    st.session_state[VIEW_KEY] = view if view in VIEWS else "breakdown"


def _write_url(path: tuple, by: str, view: str) -> None:
    if path:
        st.query_params["drill"] = [f"{dim}:{value}" for dim, value in path]
    elif "drill" in st.query_params:
        del st.query_params["drill"]
    st.query_params["dim"] = by
    st.query_params["view"] = view


def _go_to(path: tuple) -> None:
    st.session_state[PATH_KEY] = path
    st.session_state[OUTSIDE_KEY] = False
    st.session_state[BY_KEY] = breakdowns.next_drill_dimension(path) or "product"


def _drill(dim: str, value: str) -> None:
    _go_to(st.session_state[PATH_KEY] + ((dim, value),))


def breadcrumb(path: tuple) -> None:
    st.caption(ui.t("sales.explore.path"))
    row = st.container(horizontal=True)
    row.button(
        ui.t("sales.explore.all"),
        key="ex_crumb_0",
        on_click=_go_to,
        args=((),),
        disabled=not path,
    )
    for i, (dim, value) in enumerate(path, start=1):
        row.button(
            f"{ui.t(f'sales.dim.{dim}')}: {ui.plain(value_label(dim, value))}",
            key=f"ex_crumb_{i}",
            on_click=_go_to,
            args=(path[:i],),
            disabled=i == len(path),
        )


def breakdown_tab(scope, customers: tuple, path: tuple, by: str) -> None:
    left, mid, right = st.columns([2, 1, 1])
    options = [d for d in breakdowns.DIMENSIONS if d not in dict(path)]
    by = left.selectbox(
        ui.t("sales.explore.by"),
        options,
        index=options.index(by) if by in options else 0,
        format_func=ui.labels("sales.dim"),
    )
    end = (
        mid.segmented_control(
            ui.t("sales.explore.top_bottom"),
            ("top", "bottom"),
            default="top",
            format_func=ui.labels("sales.explore"),
            key="ex_end",
        )
        or "top"
    )
    n = right.number_input(ui.t("sales.explore.n"), 1, 500, 15, key="ex_n")
    shown = ui.query(
        breakdowns.breakdown, scope, by, customers=customers, limit=int(n), bottom=end == "bottom"
    )
    if shown.empty:
        st.info(ui.t("sales.no_data"))
        return by
    labels = [value_label(by, v) for v in shown["value"]]
    fig = charts.sales.hbar(labels, shown["revenue"], fmt.money_axis(ui.t("sales.kpi.revenue")))
    event = ui.chart(
        fig,
        on_select="rerun",
        selection_mode="points",
        key=f"ex_bar_{len(path)}_{by}_{end}_{n}",
    )
    points = event.selection.points if event and event.selection else []
    if points:
        value = shown["value"].iloc[points[0]["point_index"]]
        if value is not None and value == value:
            _drill(by, str(value))
            st.rerun()
    drillable = [v for v in shown["value"] if v is not None and v == v]
    if drillable:
        st.selectbox(
            ui.t("sales.explore.drill_into", dim=ui.t(f"sales.dim.{by}")),
            drillable,
            index=None,
            placeholder=ui.t("sales.explore.drill_pick"),
            format_func=lambda v: value_label(by, v),
            key=f"ex_pick_{len(path)}_{by}",
            on_change=lambda: _drill(by, st.session_state[f"ex_pick_{len(path)}_{by}"]),
        )
        st.caption(ui.t("sales.explore.drill_hint"))
    table(shown, f"explore_{by}", by)
    return by


def compare_tab(scope, customers: tuple) -> None:
    a, b, c = st.columns(3)
    dims = list(breakdowns.DIMENSIONS)
    rows = a.selectbox(
        ui.t("sales.explore.rows"),
        dims,
        index=0,
        key="ex_rows",
        format_func=ui.labels("sales.dim"),
    )
    cols = b.selectbox(
        ui.t("sales.explore.cols"),
        [d for d in dims if d != rows],
        index=0,
        key="ex_cols",
        format_func=ui.labels("sales.dim"),
    )
    view = (
        c.segmented_control(
            ui.t("sales.explore.view"),
            ("chart", "table"),
            default="chart",
            key="ex_view",
            format_func=lambda v: ui.t(f"sales.explore.view_{v}"),
        )
        or "chart"
    )
    frame = ui.query(breakdowns.crosstab, scope, rows, cols, customers=customers)
    if frame.empty:
        st.info(ui.t("sales.no_data"))
        return
    wide = breakdowns.pivot(frame, missing=ui.t("sales.none"))
    wide = wide.rename(
        columns={c: value_label(cols, c) for c in wide.columns if c != "row_value"}
        | {"row_value": ui.t(f"sales.dim.{rows}")}
    )
    if view == "chart":
        labelled = frame.assign(
            row_label=[value_label(rows, v) for v in frame["row_value"]],
            col_label=[value_label(cols, v) for v in frame["col_value"]],
        )
        fig = charts.sales.stacked_bars(
            labelled,
            x="row_label",
            stack="col_label",
            y="revenue",
            y_title=fmt.money_axis(ui.t("sales.kpi.revenue")),
        )
        ui.chart(fig, key="ex_compare_chart")
    row_header = ui.t(f"sales.dim.{rows}")
    ui.table(wide, {c: "money" for c in wide.columns if c != row_header})
    ui.download_buttons(wide, f"explore_{rows}_by_{cols}")


def trend_tab(scope, customers: tuple) -> None:
    a, b = st.columns(2)
    grain = a.segmented_control(
        ui.t("sales.grain.label"),
        kpis.GRAINS,
        default=kpis.default_grain(scope),
        format_func=ui.labels("sales.grain"),
        key="ex_grain",
    ) or kpis.default_grain(scope)
    split = b.selectbox(
        ui.t("sales.explore.series_by"),
        [None, *breakdowns.DIMENSIONS],
        key="ex_split",
        format_func=lambda d: ui.t("sales.explore.all") if d is None else ui.t(f"sales.dim.{d}"),
    )
    frame = ui.query(breakdowns.series, scope, grain, split, customers=customers)
    if frame.empty:
        st.info(ui.t("sales.no_data"))
        return
    drawn = breakdowns.top_series(frame, 8)
    # a period without any data in the store is a gap in the lines, not a diagonal across it
    covered = ui.query(kpis.periods_with_data, scope, grain)
    drawn = kpis.on_period_grid(drawn, scope, grain, covered)
    drawn = drawn.assign(
        label=[
            value_label(split, v) if split else ui.t("sales.explore.all")
            for v in drawn["unique_id"]
        ]
    )
    title = fmt.money_axis(ui.t("sales.kpi.revenue"))
    ui.chart(charts.sales.lines(drawn, "label", title), key="ex_trend_chart")
    if split is not None:
        st.caption(ui.t("sales.explore.series_top", n=8, dim=ui.t(f"sales.dim.{split}")))
    name = split or "series"
    label = [
        value_label(split, v) if split else ui.t("sales.explore.all") for v in frame["unique_id"]
    ]
    rows = frame.assign(ds=frame["ds"].dt.date, unique_id=label)
    table(rows.rename(columns={"unique_id": name, "y": "revenue"}), "explore_trend")


def pareto_tab(scope, customers: tuple) -> None:
    of = (
        st.segmented_control(
            ui.t("sales.explore.pareto_of"),
            ("customer", "product"),
            default="customer",
            format_func=ui.labels("sales.dim"),
            key="ex_pareto_of",
        )
        or "customer"
    )
    result = ui.query(breakdowns.pareto, scope, of, customers=customers)
    if result.top_share is None:
        st.info(ui.t("sales.no_data"))
        return
    st.metric(ui.t("sales.explore.pareto_metric"), fmt.percent(result.top_share))
    st.caption(
        ui.t(
            "sales.explore.pareto_share",
            dim=ui.t(f"sales.dim.{of}"),
            n=result.n_top,
            share=fmt.percent(result.top_share),
        )
    )
    fig = charts.sales.pareto_curve(
        result.points,
        breakdowns.PARETO_TOP_SHARE,
        x_title=ui.t(f"sales.dim.{of}"),
        y_title=ui.t("sales.col.cum_share"),
    )
    ui.chart(fig, key="ex_pareto_chart")
    listed = result.points[result.points["is_listed"]]
    table(listed[["value", "revenue", "rank", "cum_share"]], f"pareto_{of}", of)


def channels_tab(scope) -> None:
    st.caption(ui.t("sales.explore.channels_caption"))
    frame = ui.query(breakdowns.channel_comparison, scope)
    if frame.empty:
        st.info(ui.t("sales.no_data"))
        return
    labels = [value_label("channel", v) for v in frame["value"]]
    fig = charts.sales.value_bars(
        labels, frame["revenue"], fmt.money_axis(ui.t("sales.kpi.revenue"))
    )
    ui.chart(fig, key="ex_channels_chart")
    table(frame, "channel_comparison", "channel")


st.title(ui.t("sales.explore.title"))
_read_url()
if st.session_state[OUTSIDE_KEY]:
    st.warning(ui.t("access.drill_outside_scope"), icon=":material/visibility_off:")
path = st.session_state[PATH_KEY]
by = st.session_state.get(BY_KEY) or breakdowns.next_drill_dimension(path) or "product"
base = ui.scope()
scope, customers = breakdowns.scope_for_path(base, path)
breadcrumb(path)
view = (
    st.segmented_control(
        ui.t("sales.explore.view"),
        VIEWS,
        key=VIEW_KEY,
        format_func=ui.labels("sales.explore.tab"),
        label_visibility="collapsed",
    )
    or "breakdown"
)
if view == "breakdown":
    by = breakdown_tab(scope, customers, path, by)
    st.session_state[BY_KEY] = by
elif view == "compare":
    compare_tab(scope, customers)
elif view == "trend":
    trend_tab(scope, customers)
elif view == "pareto":
    pareto_tab(scope, customers)
else:
    channels_tab(scope)
_write_url(path, by, view)
