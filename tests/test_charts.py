import tomllib
from datetime import date

import pandas as pd

from salesdash import charts, config

SERIES = pd.DataFrame(
    {
        "unique_id": ["East", "East", "West", "West"],
        "ds": [date(2025, 1, 1), date(2025, 2, 1)] * 2,
        "y": [10.0, 12.0, 5.0, 7.0],
    }
)


def test_charts_leave_text_and_background_colours_to_the_viewers_theme():
    fig = charts.line(SERIES)
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert fig.layout.plot_bgcolor == "rgba(0,0,0,0)"
    assert fig.layout.font.color is None


def test_a_long_frame_gives_one_line_per_unique_id():
    fig = charts.line(SERIES, title="Revenue")
    assert [trace.name for trace in fig.data] == ["East", "West"]
    assert list(fig.data[1].y) == [5.0, 7.0]
    assert fig.layout.title.text == "Revenue"


def test_the_interval_band_is_drawn_under_the_lines_hi_then_lo_backwards():
    band = SERIES[SERIES["unique_id"] == "East"].assign(lo=[8.0, 9.0], hi=[11.0, 15.0])
    fig = charts.add_band(charts.line(band), band, x="ds", lo="lo", hi="hi", name="80%")
    assert fig.data[0].name == "80%"
    assert list(fig.data[0].y) == [11.0, 15.0, 9.0, 8.0]
    assert fig.data[0].fillcolor == charts.BAND_FILL


def test_horizontal_bars_put_the_labels_on_the_y_axis():
    frame = pd.DataFrame({"sales_rep": ["Ann", "Bob"], "revenue": [3.0, 1.0]})
    fig = charts.bar(frame, x="sales_rep", y="revenue", horizontal=True)
    assert list(fig.data[0].y) == ["Ann", "Bob"]
    assert fig.data[0].orientation == "h"


def test_the_chart_palette_is_the_one_in_the_streamlit_theme():
    with (config.ROOT / ".streamlit" / "config.toml").open("rb") as fh:
        theme = tomllib.load(fh)["theme"]
    assert tuple(theme["chartCategoricalColors"]) == charts.PALETTE


def test_the_stage_funnel_names_stages_and_writes_count_and_share_of_the_first():
    stages = pd.DataFrame(
        {
            "stage": ["lead", "won"],
            "reached": [200, 50],
            "value": [10000.0, 4000.0],
            "cumulative_rate": [1.0, 0.25],
        }
    )
    fig = charts.funnel.stage_funnel(stages, "en")
    assert list(fig.data[0].y) == ["Lead", "Won"]
    assert list(fig.data[0].text) == ["200 · 100.0%", "50 · 25.0%"]
    assert charts.funnel.stage_funnel(stages, "zh").data[0].y[-1] == "合同签订"


def test_the_conversion_trend_draws_a_rate_line_and_a_count_bar_per_metric():
    trend = pd.DataFrame(
        {
            "month": [date(2025, 1, 1), date(2025, 2, 1)] * 2,
            "metric": ["win_rate", "win_rate", "lead_to_qualified_rate", "lead_to_qualified_rate"],
            "rate": [0.5, 0.6, 0.3, 0.4],
            "n_deals": [10, 20, 30, 40],
        }
    )
    fig = charts.funnel.conversion_trend(trend, "en")
    assert [(t.type, t.name) for t in fig.data] == [
        ("scatter", "Win rate"),
        ("bar", "Win rate"),
        ("scatter", "Lead → Qualified"),
        ("bar", "Lead → Qualified"),
    ]
    assert list(fig.data[3].y) == [30, 40]


def test_the_forecast_figure_draws_both_bands_under_actual_and_forecast():
    history = pd.DataFrame({"ds": pd.to_datetime(["2025-01-01", "2025-02-01"]), "y": [5.0, 6.0]})
    future = pd.DataFrame(
        {
            "ds": pd.to_datetime(["2025-03-01"]),
            "yhat": [7.0],
            "yhat-lo-80": [6.0],
            "yhat-hi-80": [8.0],
            "yhat-lo-95": [5.0],
            "yhat-hi-95": [9.0],
        }
    )
    partial = pd.DataFrame(columns=["ds", "y", "as_of"])
    fig = charts.forecast.forecast_figure(history, future, partial, grain="month", lang="en")
    assert [t.fill for t in fig.data] == ["toself", "toself", None, None]
    assert list(fig.data[0].y) == [9.0, 5.0]  # 95%: hi forwards, lo backwards
    assert list(fig.data[3].y) == [7.0]


def test_the_distribution_draws_one_box_per_group_in_sorted_order_with_its_label():
    reps = pd.DataFrame(
        {
            "revenue": [3.0, 1.0, 2.0],
            "group": ["West", "", "West"],
            "group_label": ["West", "(none)", "West"],
            "rep": ["Ann", "Bob", "Cy"],
        }
    )
    fig = charts.sales.distribution(
        reps,
        value="revenue",
        group="group",
        group_label="group_label",
        point_label="rep",
        x_title="Revenue",
        percent=False,
    )
    assert [(t.name, list(t.text)) for t in fig.data] == [
        ("(none)", ["Bob"]),
        ("West", ["Ann", "Cy"]),
    ]
    assert fig.layout.height == 120 + 45 * 2


def test_the_segment_map_writes_each_segments_name_customers_and_revenue_share():
    cells = pd.DataFrame(
        {
            "segment": ["champions"],
            "r_low": [4],
            "r_high": [5],
            "fm_low": [4],
            "fm_high": [5],
            "n_customers": [1200],
            "revenue_share": [0.4],
        }
    )
    fig = charts.customers.segment_map(cells, "en")
    (note,) = fig.layout.annotations
    assert (
        note.text.startswith("<b>Champions</b>") and "1,200" in note.text and "40.0%" in note.text
    )
    assert fig.layout.shapes[0].fillcolor == charts.customers.SEGMENT_COLOURS["champions"]
