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
