"""Date, number, stage and period forms, read by the SQL macros on a real DuckDB."""

from __future__ import annotations

from datetime import date

import pytest

from salesdash.ingest import parsing


@pytest.fixture
def macros(con):
    parsing.install_macros(con)
    return con


def one(con, sql: str, *params):
    return con.execute(f"select {sql}", list(params)).fetchall()[0][0]


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("2025-07-03", False, date(2025, 7, 3)),
        (" 2025-07-03 ", False, date(2025, 7, 3)),
        ("2025-07-03 14:05:00", False, date(2025, 7, 3)),
        ("2025/7/3", False, date(2025, 7, 3)),
        ("2025.07.03", False, date(2025, 7, 3)),
        ("7/3/2025", False, date(2025, 7, 3)),
        ("7/3/2025", True, date(2025, 3, 7)),
        ("03.07.2025", True, date(2025, 7, 3)),
        ("20250703", False, date(2025, 7, 3)),
        ("2025年7月3日", False, date(2025, 7, 3)),
        ("45841", False, date(2025, 7, 3)),
        ("45841.75", False, date(2025, 7, 3)),
        ("2025/7/3 9:15", False, date(2025, 7, 3)),
        ("", False, None),
        ("next week", False, None),
        ("2025-02-30", False, None),
        ("13/13/2025", False, None),
    ],
)
def test_dates_are_read_in_every_export_form(macros, text, day_first, expected):
    assert one(macros, "sd_date(?, ?)", text, day_first) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("1,234.50", 1234.5),
        ("￥1,234.50", 1234.5),
        ("¥99", 99.0),
        ("$1,000", 1000.0),
        ("€12.5", 12.5),
        ("(120.00)", -120.0),
        ("-7", -7.0),
        ("12%", 0.12),
        ("1.2万", 12000.0),
        ("3亿", 300000000.0),
        (" 42 ", 42.0),
        ("", None),
        ("n/a", None),
    ],
)
def test_numbers_are_read_in_every_export_form(macros, text, expected):
    got = one(macros, "sd_number(?)", text)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_a_line_number_with_a_fraction_is_not_a_line_number(macros):
    assert one(macros, "sd_integer(?)", "3") == 3
    assert one(macros, "sd_integer(?)", "3.0") == 3
    assert one(macros, "sd_integer(?)", "3.5") is None


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Prospecting", "lead"),
        ("线索", "lead"),
        ("客户开发", "lead"),
        ("Engaging", "qualified"),
        ("需求分析", "qualified"),
        ("产品演示", "demo"),
        ("报价", "proposal"),
        ("Closed Won", "won"),
        ("closed_won", "won"),
        ("合同签订", "won"),
        ("赢单", "won"),
        ("Closed Lost", "lost"),
        ("输单", "lost"),
        ("maybe", None),
    ],
)
def test_stage_names_in_english_and_chinese_become_canonical(macros, text, stage):
    assert one(macros, "sd_stage(?)", text) == stage


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025年第4季度", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-07", date(2025, 7, 1), date(2025, 7, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025年7月", date(2025, 7, 1), date(2025, 7, 31)),
        ("2025-13", None, None),
    ],
)
def test_period_labels_become_first_and_last_day(macros, label, start, end):
    assert one(macros, "sd_period_start(?)", label) == start
    assert one(macros, "sd_period_end(?)", label) == end


def test_day_month_order_flags_tell_which_reading_a_date_allows(macros):
    assert one(macros, "sd_dm_order(?)", "13/2/2025") == 1
    assert one(macros, "sd_dm_order(?)", "2/13/2025") == 2
    assert one(macros, "sd_dm_order(?)", "2/3/2025") == 3
    assert one(macros, "sd_dm_order(?)", "3/3/2025") is None
    assert one(macros, "sd_dm_order(?)", "2025-03-02") is None
