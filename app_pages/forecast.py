"""Forecast: history, forecast and 80%/95% ranges of one series, with its backtest accuracy, the
grain the data was read as, any selection forecast on demand, the near term from history and the
pipeline, and what the last load changed."""

from dataclasses import replace

import streamlit as st

from salesdash import accuracy, charts, dataset, fmt, forecast, ui

PICKS = ("region", "channel", "sales_rep", "category", "product")
# The Scope field each pick fills.
PICK_FIELDS = {
    "region": "regions",
    "channel": "channels",
    "sales_rep": "sales_reps",
    "category": "categories",
    "product": "products",
}

st.title(ui.t("forecast.title"))
# The forecast uses all history, so the period filter is dropped (from the cache key too).
scope = ui.scope().with_dates(None, None)
# A user who may see every region picks any selection; one who may not sees their own regions
# (cut from the stored forecast) or their own sales (fitted when they ask).
whole = not scope.restricted and forecast.covering_series(scope) == ("total", "total")
left, middle, right = st.columns([2, 1, 1])
level = "total"
if whole or scope.restricted:
    level = left.segmented_control(
        ui.t("forecast.level"),
        forecast.levels_for(scope) + (("filter",) if whole else ()),
        format_func=ui.labels("forecast.level_option"),
        key="fc_level",
        default="total",
        required=True,
    )
freq = middle.segmented_control(
    ui.t("forecast.grain"),
    forecast.FREQS,
    format_func=ui.labels("forecast.grain_option"),
    key="fc_freq",
    default="M",
    required=True,
)
horizon = right.number_input(
    ui.t("forecast.horizon"),
    min_value=1,
    max_value=forecast.MAX_HORIZON[freq],
    value=forecast.DEFAULT_HORIZON[freq],
    key=f"fc_horizon_{freq}",
)
grain = ui.t(f"forecast.grain_word.{freq}")
st.caption(ui.t("forecast.intro", grain=grain))

# A rep's own sales (or a restricted user's further filter) is no series the refresh stores: it
# is fitted when they ask, not on every view of the page.
own_fit = scope.restricted and forecast.fitted_on_demand(scope)
if own_fit and not st.session_state.get("fc_fit_own"):
    st.info(ui.t("access.forecast_on_demand"))
    if st.button(ui.t("access.forecast_fit"), icon=":material/trending_up:", key="fc_fit"):
        st.session_state["fc_fit_own"] = True
        st.rerun()
    st.stop()
if scope.restricted or (whole and level != "filter"):
    with st.spinner(ui.t("forecast.fitting")):
        result = ui.query(forecast.hierarchy_forecast, scope, freq=freq, horizon=int(horizon))
    view = forecast.select(result, None if level == "total" else level)
    if view.series.empty:
        st.info(ui.t("forecast.empty"))
        st.stop()
    names = view.series["unique_id"].tolist()
    if level == "total":
        name = names[0]
    else:
        name = st.selectbox(
            ui.t("forecast.which"),
            names,
            format_func=ui.channel_label if level == "channel" else str,
            key=f"fc_which_{level}",
        )
    series = None if own_fit else (level, name)
else:
    chosen = scope
    if whole:
        choices = {
            **ui.query(dataset.filter_choices, scope),
            **ui.query(forecast.series_choices, scope),
        }
        picked = {}
        for column, dim in zip(st.columns(len(PICKS)), PICKS, strict=True):
            picked[PICK_FIELDS[dim]] = tuple(
                column.multiselect(
                    ui.t(f"forecast.pick.{dim}"),
                    choices[dim],
                    key=f"fc_pick_{dim}",
                    format_func=ui.channel_label if dim == "channel" else str,
                    placeholder=ui.t("forecast.pick.all"),
                )
            )
        chosen = replace(scope, **picked)
    else:
        st.caption(ui.t("forecast.filtered"))
    series = forecast.covering_series(chosen)
    fitting = "forecast.fitting" if series else "forecast.fitting_filter"
    with st.spinner(ui.t(fitting)):
        view = ui.query(forecast.scope_forecast, chosen, freq=freq, horizon=int(horizon))
    if view.series.empty:
        st.info(ui.t("forecast.empty"))
        st.stop()
    name = view.series["unique_id"].iloc[0]
    if series is None:
        st.info(ui.t("forecast.on_demand", n=forecast.FILTER_ORIGINS))

if scope.allowed_rep is not None and level == "total":
    label = ui.text("forecast.own_sales", rep=scope.allowed_rep)
elif scope.restricted and level == "total":
    label = ui.text("executive.sum_of_regions", regions=name)
elif series is None:
    label = ui.text("forecast.selection_name")
elif series[0] == "total":
    label = ui.text("forecast.total_name")
else:
    label = ui.channel_label(name) if series[0] == "channel" else name
if view.grain is not None:
    kind = view.grain.kind
    found = kind if view.grain.dated == "day" else f"{kind}_{view.grain.dated}"
    st.caption(
        ui.t(
            f"forecast.grain_found.{found}",
            first=ui.day(view.grain.first_day),
            last=ui.day(view.grain.last_day),
        )
    )
summary = forecast.series_summary(view, name)

chart_col, side_col = st.columns([3, 1])
history = view.history[view.history["unique_id"] == name]
future = view.forecast[view.forecast["unique_id"] == name]
partial = view.partial[view.partial["unique_id"] == name]
fig = charts.forecast.forecast_figure(history, future, partial, grain=grain, lang=ui.lang())
with chart_col:
    if summary.status == "too_thin":
        st.warning(
            ui.t(
                "forecast.too_thin",
                name=label,
                n=summary.n_periods,
                grain=grain,
                min=summary.min_periods,
            )
        )
    ui.chart(fig)

with side_col:
    st.subheader(ui.t("forecast.accuracy.title"))
    relative = accuracy.relative_error(summary)
    if summary.mape is None or relative is None:
        st.caption(ui.t("forecast.accuracy.none"))
    else:
        st.write(
            ui.t(
                "forecast.accuracy.words",
                n=summary.n_origins,
                mape=fmt.percent(summary.mape),
                grain=grain,
            )
        )
        show = {"better": st.success, "narrow_ranges": st.warning, "worse": st.warning}
        show[accuracy.verdict(summary)](
            ui.t(
                f"forecast.accuracy.{accuracy.verdict(summary)}",
                relative=f"{relative:.2f}",
                coverage=fmt.percent(summary.coverage_80),
            )
        )
    if summary.status in ("short", "fallback"):
        st.info(ui.t(f"forecast.{summary.status}"))
    with st.expander(ui.t("forecast.accuracy.details")):
        if summary.mase is not None:
            st.metric(
                ui.t("forecast.accuracy.mase"),
                f"{summary.mase:.2f}",
                help=ui.t(
                    "forecast.accuracy.mase_help", naive=f"{summary.mase_seasonal_naive:.2f}"
                ),
            )
            st.metric(ui.t("forecast.accuracy.coverage"), fmt.percent(summary.coverage_80))
        if summary.model:
            st.caption(ui.t("forecast.model", model=accuracy.model_words(summary.model, ui.lang())))

st.subheader(ui.t("forecast.table"))
table = view.forecast.assign(
    unique_id=[label if u == name else ui.channel_label(u) for u in view.forecast["unique_id"]]
)
table = table.rename(
    columns={
        "unique_id": ui.t("forecast.col.series"),
        "ds": ui.t("forecast.col.period"),
        "yhat": ui.t("forecast.col.yhat"),
        "yhat-lo-80": ui.t("forecast.col.lo80"),
        "yhat-hi-80": ui.t("forecast.col.hi80"),
        "yhat-lo-95": ui.t("forecast.col.lo95"),
        "yhat-hi-95": ui.t("forecast.col.hi95"),
    }
)
amounts = [ui.t(f"forecast.col.{c}") for c in ("yhat", "lo80", "hi80", "lo95", "hi95")]
ui.table(table, {c: "money" for c in amounts} | {ui.t("forecast.col.period"): "date"})
ui.download_buttons(table, f"forecast-{level}-{freq}", amounts)

# --- the near term: this quarter and the next, history alone or blended with the pipeline -------


def near_term_section(near: forecast.NearTerm) -> None:
    """The two quarters, the forecast shown and why, and the parts per region."""
    st.caption(ui.t("forecast.near.caption", as_of=ui.day(near.as_of)))
    verdict = near.verdict
    errors = {"blend": ui.money(verdict.mae_blend), "history": ui.money(verdict.mae_history_only)}
    if verdict.n_quarters == 0:
        st.write(ui.t("forecast.near.untested"))
    elif near.shown == "history_only" and verdict.mae_blend < verdict.mae_history_only:
        noise = ui.money(forecast.pipeline.CLEAR_WIN_Z * verdict.se_difference)
        st.write(ui.t("forecast.near.within_noise", n=verdict.n_quarters, noise=noise, **errors))
    else:
        st.write(ui.t(f"forecast.near.shown_{near.shown}", n=verdict.n_quarters, **errors))
    parts = ("booked", "history_only", "pipeline", "new_deals", "non_pipeline", "blend")
    for column, quarter in zip(st.columns(2), near.total().itertuples(), strict=False):
        amounts = {part: ui.money(getattr(quarter, part)) for part in parts}
        period = ui.t(
            "forecast.near.quarter",
            start=ui.day(quarter.period_start),
            end=ui.day(quarter.period_end),
        )
        column.metric(
            period, amounts[near.shown], help=ui.t("forecast.near.metric_help", **amounts)
        )
    rows = near.forecast.assign(
        quarter=[
            ui.text("forecast.near.quarter", start=ui.day(a), end=ui.day(b))
            for a, b in zip(near.forecast["period_start"], near.forecast["period_end"], strict=True)
        ],
        shown=near.forecast[near.shown],
    )[["region", "quarter", "shown", *parts]]
    ui.table(
        rows.rename(columns={c: ui.text(f"forecast.near.col.{c}") for c in rows.columns}),
        {ui.text(f"forecast.near.col.{c}"): "money" for c in ("shown", *parts)},
    )


st.subheader(ui.t("forecast.near.title"))
if series is None or series[0] not in ("total", "region"):
    st.caption(ui.t("forecast.near.regions_only"))
else:
    near_scope = replace(scope, regions=(name,)) if series[0] == "region" else scope
    near = ui.query(forecast.near_term, near_scope)
    if near.forecast.empty:
        st.info(ui.t("forecast.near.none"))
    else:
        near_term_section(near)

# --- what the last load changed in this year's projection ----------------------------------------

if series is not None:
    st.subheader(ui.t("forecast.change.title"))
    change = ui.query(forecast.explain_change, series)
    if change is None:
        st.caption(ui.t("forecast.change.none"))
    elif abs(change.change) < 0.5:
        st.write(ui.t("forecast.change.same", name=label, after=ui.money(change.after)))
    else:
        st.write(
            ui.t(
                "forecast.change.headline",
                name=label,
                change=ui.signed_money(change.change),
                after=ui.money(change.after),
                before=ui.money(change.before),
                before_day=ui.day(change.as_of_before),
            )
        )
        lines = []
        if change.new_months:
            months = ", ".join(ui.month(m) for m in change.new_months)
            lines.append(
                ui.t(
                    "forecast.change.new_actuals",
                    months=months,
                    amount=ui.signed_money(change.new_actuals),
                )
            )
        if abs(change.revisions) >= 0.5:
            lines.append(
                ui.t("forecast.change.revisions", amount=ui.signed_money(change.revisions))
            )
        lines.append(ui.t("forecast.change.refit", amount=ui.signed_money(change.refit)))
        if change.blended:
            lines.append(ui.t("forecast.change.pipeline", amount=ui.signed_money(change.pipeline)))
        else:
            lines.append(
                ui.t(
                    "forecast.change.pipeline_beside",
                    amount=ui.signed_money(change.pipeline_beside),
                )
            )
        st.markdown("\n".join(f"- {line}" for line in lines))
