"""Forecast: history, forecast and 80%/95% ranges of one series, with its backtest accuracy."""

import streamlit as st

from salesdash import charts, fmt, forecast, ui

st.title(ui.t("forecast.title"))
# The forecast uses all history, so the period filter is dropped from the cache key too.
scope = ui.scope().with_dates(None, None)
left, middle, right = st.columns([2, 1, 1])
level = left.segmented_control(
    ui.t("forecast.level"),
    forecast.levels_for(scope),
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
if forecast.fitted_on_demand(scope) and not st.session_state.get("fc_fit_own"):
    st.info(ui.t("access.forecast_on_demand"))
    if st.button(ui.t("access.forecast_fit"), icon=":material/trending_up:", key="fc_fit"):
        st.session_state["fc_fit_own"] = True
        st.rerun()
    st.stop()
with st.spinner(ui.t("forecast.fitting")):
    result = ui.query(forecast.hierarchy_forecast, scope, freq=freq, horizon=int(horizon))
view = forecast.select(result, None if level == "total" else level)

if view.series.empty:
    st.info(ui.t("forecast.empty"))
    st.stop()

names = view.series["unique_id"].tolist()
if level == "total":
    name = names[0]
    if scope.allowed_rep is not None:
        label = ui.t("forecast.own_sales", rep=scope.allowed_rep)
    elif scope.restricted:
        label = ui.t("executive.sum_of_regions", regions=name)
    else:
        label = ui.t("forecast.total_name")
else:
    name = st.selectbox(
        ui.t("forecast.which"),
        names,
        format_func=ui.channel_label if level == "channel" else str,
        key=f"fc_which_{level}",
    )
    label = ui.channel_label(name) if level == "channel" else name
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
    if summary.mase is None:
        st.caption(ui.t("forecast.accuracy.none"))
    else:
        st.write(
            ui.t(
                "forecast.accuracy.words",
                n=summary.n_origins,
                mape=fmt.percent(summary.mape, 0),
                grain=grain,
            )
        )
        st.metric(
            ui.t("forecast.accuracy.mase"),
            f"{summary.mase:.2f}",
            help=ui.t("forecast.accuracy.mase_help", naive=f"{summary.mase_seasonal_naive:.2f}"),
        )
        st.metric(ui.t("forecast.accuracy.coverage"), fmt.percent(summary.coverage_80, 0))
        if summary.beats_seasonal_naive:
            st.success(ui.t("forecast.accuracy.better"))
        else:
            st.warning(ui.t("forecast.accuracy.worse"))
    if summary.status in ("short", "fallback"):
        st.info(ui.t(f"forecast.{summary.status}"))
    if summary.model:
        st.caption(ui.t("forecast.model", model=summary.model))

st.subheader(ui.t("forecast.table"))
table = view.forecast.assign(ds=view.forecast["ds"].dt.date).round(2)
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
st.dataframe(table, hide_index=True, width="stretch")
ui.download_buttons(table, f"forecast-{level}-{freq}")
