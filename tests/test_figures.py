"""One way to show every figure (issue 15): tables, chart axes, and the page checks the page
test applies to every rendered table and every page in Chinese."""

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from salesdash import charts, ui
from tests import page_checks


def test_a_table_formats_every_column_by_its_kind_and_keeps_numbers_sortable():
    frame = pd.DataFrame(
        {
            "revenue": [3050113.12, np.nan],
            "orders": [1080.0, 5.0],  # a count DuckDB hands over as a float
            "share": [0.26215, np.nan],
            "name": ["Li Na", ""],
            "cycle": [36.5, 12.0],
        }
    )
    shown, config = ui.table_frame(frame, {"revenue": "money", "share": "percent"}, {"name": "N"})
    assert config["revenue"]["type_config"]["format"] == "¥%,.0f"
    assert config["orders"]["type_config"]["format"] == "%,d"
    assert config["share"]["type_config"]["format"] == "percent"
    assert config["cycle"]["type_config"]["format"] == "%,.1f"
    assert config["name"] == "N"
    assert shown["revenue"].tolist()[0] == 3050113.12  # a number: the column sorts by value
    assert shown["name"].isna().tolist() == [False, True]  # empty: the "—" placeholder


class _Table:
    """What page_checks reads of an AppTest dataframe element."""

    def __init__(self, frame, columns="{}"):
        self.value = frame
        self.proto = _Proto(columns)


class _Proto:
    def __init__(self, columns):
        self.columns = columns
        self.arrow_data = _NoStyler()
        self.editing_mode = 0
        self.placeholder = ""


class _NoStyler:
    def HasField(self, name):  # noqa: N802 (protobuf's name)
        return False


class _Run:
    def __init__(self, *frames):
        self.dataframe = frames


def test_the_table_check_finds_none_nan_and_raw_floats_and_passes_formatted_cells():
    bad = pd.DataFrame(
        {"a": ["None", "x"], "b": [3050113.12, 1.5], "c": ["0.2622", "26.2%"], "d": [1.0, None]}
    )
    found = page_checks.bad_cells(_Run(_Table(bad)))
    assert found == [
        "'a': 'None'",
        "'b': a fractional number without a format",
        "'c': raw float '0.2622'",
        "'d': an empty cell (shown as None)",
    ]
    good = pd.DataFrame({"a": ["¥3,050,113", "—"], "n": [1032, 5], "p": ["0.06", "36.5"]})
    assert page_checks.bad_cells(_Run(_Table(good))) == []


def test_a_chinese_chart_counts_in_wan_and_yi_and_writes_its_dates_in_chinese():
    fig = go.Figure(
        go.Scatter(x=pd.date_range("2026-01-01", periods=6, freq="MS"), y=[0, 5e6, 1.5e8, 0, 0, 0])
    )
    charts.localize(fig, "zh")
    assert "亿" in "".join(fig.layout.yaxis.ticktext)
    assert fig.layout.xaxis.tickformatstops[1].value == "%Y年%-m月"
    english = go.Figure(go.Scatter(x=[date(2026, 1, 1)], y=[5e6]))
    assert charts.localize(english, "en").layout.yaxis.ticktext is None
