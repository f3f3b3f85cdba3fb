from datetime import date

import pandas as pd
import pytest

from salesdash import export, fmt, i18n, periods
from salesdash.periods import quick_range

AS_OF = date(2026, 11, 15)


@pytest.mark.parametrize(
    ("pick", "expected"),
    [
        ("this_month", (date(2026, 11, 1), AS_OF)),
        ("last_month", (date(2026, 10, 1), date(2026, 10, 31))),
        ("this_quarter", (date(2026, 10, 1), AS_OF)),
        ("ytd", (date(2026, 1, 1), AS_OF)),
        ("last_12_months", (date(2025, 12, 1), AS_OF)),
    ],
)
def test_quick_picks_count_back_from_the_as_of_date(pick, expected):
    assert quick_range(pick, AS_OF) == expected


def test_last_month_in_january_is_december_of_last_year():
    assert quick_range("last_month", date(2026, 1, 10)) == (date(2025, 12, 1), date(2025, 12, 31))


@pytest.mark.parametrize(
    ("x", "lang", "text"),
    [
        (12_345, "en", "12.3K"),
        (12_345, "zh", "1.2万"),
        (3.2e8, "zh", "3.2亿"),
        (2.5e6, "en", "2.5M"),
        (950, "zh", "950"),
    ],
)
def test_compact_numbers_follow_the_language(x, lang, text):
    assert fmt.compact_number(x, lang) == text


def test_money_and_months_follow_the_language():
    assert fmt.money(-1200, "en") == "-¥1.2K"
    assert fmt.month_label(date(2025, 7, 3), "zh") == "2025年7月"
    assert fmt.month_label(date(2025, 7, 3), "en") == "Jul 2025"
    assert fmt.percent(0.63152) == "63.2%"


def test_formula_cells_get_an_apostrophe_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {"name": ["=1+1", "+cmd", "-x", "@SUM(A1)", "\tx", "ok"], "revenue": [-1.5, 2, 3, 4, 5, 6]}
    )
    safe = export.neutralise_formulas(frame)
    assert safe["name"].tolist() == ["'=1+1", "'+cmd", "'-x", "'@SUM(A1)", "'\tx", "ok"]
    assert safe["revenue"].tolist() == [-1.5, 2, 3, 4, 5, 6]
    assert export.to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1] == "'=1+1,-1.5"


def test_xlsx_download_keeps_numbers_numeric():
    import io

    import openpyxl

    frame = pd.DataFrame({"name": ["=1+1"], "revenue": [12.5]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame))).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["B2"].value == 12.5


def test_every_message_has_english_and_chinese():
    missing = [k for k, v in i18n.catalogue().items() if not v.get("en") or not v.get("zh")]
    assert missing == []


def test_t_fills_placeholders_and_fails_loudly_on_unknown_keys():
    assert i18n.t("filters.range", "zh", start="a", end="b") == "a 至 b"
    with pytest.raises(KeyError):
        i18n.t("no.such.key")


# Streamlit calls whose first argument (or label=) is text a user reads.
_TEXT_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning",
    "error", "success", "toast", "button", "download_button", "file_uploader", "selectbox",
    "multiselect", "radio", "checkbox", "toggle", "text_input", "number_input", "date_input",
    "slider", "select_slider", "segmented_control", "pills", "expander", "popover", "metric",
    "tabs", "form_submit_button", "progress", "spinner", "status",
}  # fmt: skip


def _literal_ui_strings(path) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in _TEXT_CALLS:
            continue
        if isinstance(node.func.value, ast.Name) and node.func.value.id == "ui":
            continue  # ui.text(key) takes a catalogue key, as ui.t does
        texts = [*node.args[:1], *(k.value for k in node.keywords if k.arg in ("label", "text"))]
        for arg in texts:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                found.append(f"{path.name}:{node.lineno} {arg.value!r}")
    return found


def test_pages_take_every_text_from_the_catalogue():
    from tests.conftest import ROOT

    files = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
    assert [hit for path in files for hit in _literal_ui_strings(path)] == []


def test_the_literal_string_check_catches_a_hard_coded_title(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('import streamlit as st\nst.title("Revenue")\nst.metric(ui.t("x"), 3)\n')
    assert _literal_ui_strings(page) == ["page.py:2 'Revenue'"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-03-01", "2025-03-31", ("2025-02-01", "2025-02-28", "month")),
        ("2025-03-01", "2025-03-30", ("2025-02-01", "2025-02-28", "month_to_date")),
        ("2025-11-01", "2025-11-15", ("2025-10-01", "2025-10-15", "month_to_date")),
        ("2025-01-01", "2025-03-31", ("2024-10-01", "2024-12-31", "quarter")),
        ("2025-10-01", "2025-11-15", ("2025-07-01", "2025-08-15", "quarter_to_date")),
        ("2024-01-01", "2024-12-31", ("2023-01-01", "2023-12-31", "year")),
        ("2025-01-01", "2025-05-15", ("2024-01-01", "2024-05-15", "year_to_date")),
        ("2025-01-04", "2025-02-03", ("2024-12-04", "2025-01-03", "days")),
    ],
)
def test_the_previous_period_of_a_calendar_period_is_the_previous_calendar_one(
    start, end, expected
):
    got = periods.previous_range(date.fromisoformat(start), date.fromisoformat(end))
    assert got == (date.fromisoformat(expected[0]), date.fromisoformat(expected[1]), expected[2])


def test_a_year_over_year_comparison_overlaps_only_a_range_over_a_year_long():
    assert not periods.overlaps_year_earlier(date(2024, 1, 1), date(2024, 12, 31))
    assert not periods.overlaps_year_earlier(date(2024, 11, 16), date(2025, 11, 15))
    assert periods.overlaps_year_earlier(date(2024, 11, 15), date(2025, 11, 15))
    assert periods.overlaps_year_earlier(date(1997, 1, 1), date(1998, 12, 31))


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: fmt.amount(3050113.12), "¥3,050,113"),
        (lambda: fmt.amount(-12.5, fmt.CURRENCIES["USD"]), "-$12.5"),
        (lambda: fmt.count(1032), "1,032"),
        (lambda: fmt.count(1080.0), "1,080"),
        (lambda: fmt.percent(0.26215), "26.2%"),
        (lambda: fmt.points(0.012), "+1.2 pp"),
        (lambda: fmt.percent_change(-0.051), "-5.1%"),
        (lambda: fmt.money(3050113.12, "zh"), "¥305.0万"),
        (lambda: fmt.money(None), "—"),
        (lambda: fmt.percent(float("nan")), "—"),
        (lambda: fmt.count(pd.NA), "—"),
        (lambda: fmt.date_label(pd.NaT), "—"),
    ],
)
def test_every_figure_has_one_way_to_be_shown(call, text):
    assert call() == text
