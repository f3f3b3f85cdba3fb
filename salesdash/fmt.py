"""The one way salesdash shows a figure, in each language: amounts, counts, percentages, dates
and the empty cell. Pages, charts, tables, alerts and the command line all format through here.

- Amounts carry the currency and thousands separators: in full in tables ("¥3,050,113"),
  compact on cards and axes ("¥305.0万" / "¥3.1M").
- Counts are whole numbers in full with separators ("1,032"), never compact.
- Percentages have one precision (``PERCENT_DIGITS``): "26.2%".
- Anything missing (None, NaN, NA, NaT) is ``EMPTY``: "—".
"""

from __future__ import annotations

import re
from datetime import date, datetime

EMPTY = "—"
PERCENT_DIGITS = 1
DEFAULT_CURRENCY = "¥"

_EN_STEPS = ((1e9, "B"), (1e6, "M"), (1e3, "K"))
_ZH_STEPS = ((1e8, "亿"), (1e4, "万"))
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_missing(x: object) -> bool:
    """None, a float NaN, pandas' NA or NaT: a figure that is not there."""
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN, NA and NaT are the values not equal to themselves
    except (TypeError, ValueError):  # pandas' NA refuses bool()
        return True


def compact_number(x: float | None, lang: str = "en", digits: int = 1) -> str:
    """A short number for cards and axes: 12,345 → "12.3K" (en) or "1.2万" (zh); small numbers
    in full."""
    if is_missing(x):
        return EMPTY
    for step, suffix in _ZH_STEPS if lang == "zh" else _EN_STEPS:
        if abs(x) >= step:
            return f"{x / step:.{digits}f}{suffix}"
    return number(x)


def axis_number(x: float, lang: str = "en") -> str:
    """A chart axis tick: compact without a needless decimal ("500万", "1.5亿", "12K")."""
    return re.sub(r"\.0(?=\D*$)", "", compact_number(x, lang))


def number(x: float | None) -> str:
    """A number in full with thousands separators: whole from 100 on ("3,050,113"), else with up
    to two decimals ("2.5", "0.25")."""
    if is_missing(x):
        return EMPTY
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def decimal(x: float | None, digits: int = 1) -> str:
    """A measure with a fixed number of decimals and separators: 36.5 days, a p-value 0.06."""
    return EMPTY if is_missing(x) else f"{x:,.{digits}f}"


def count(x: float | None) -> str:
    """A count in full: 1032 → "1,032" (never "1.0K")."""
    return EMPTY if is_missing(x) else f"{round(x):,}"


def _signed(x: float, currency: str, body: str) -> str:
    return f"{'-' if x < 0 else ''}{currency}{body}"


def money(x: float | None, lang: str = "en", currency: str = DEFAULT_CURRENCY) -> str:
    """A compact amount with its currency sign, for cards: "¥1.2万" / "¥12.3K"; "-¥120"."""
    if is_missing(x):
        return EMPTY
    return _signed(x, currency, compact_number(abs(x), lang))


def amount(x: float | None, currency: str = DEFAULT_CURRENCY) -> str:
    """An amount in full with its currency sign, for tables: "¥3,050,113", "-¥12.5"."""
    if is_missing(x):
        return EMPTY
    return _signed(x, currency, number(abs(x)))


def percent(x: float | None) -> str:
    """A 0–1 ratio as a percentage at the one precision: 0.26215 → "26.2%"."""
    return EMPTY if is_missing(x) else f"{x * 100:.{PERCENT_DIGITS}f}%"


def percent_change(x: float | None) -> str:
    """A relative change, signed: 0.051 → "+5.1%"."""
    return EMPTY if is_missing(x) else f"{x * 100:+.{PERCENT_DIGITS}f}%"


def points(x: float | None) -> str:
    """A difference of two rates in percentage points: 0.012 → "+1.2 pp"."""
    return EMPTY if is_missing(x) else f"{x * 100:+.{PERCENT_DIGITS}f} pp"


def month_label(d: date, lang: str = "en") -> str:
    """The month of ``d``: "Jul 2025" / "2025年7月"."""
    return f"{d.year}年{d.month}月" if lang == "zh" else f"{_EN_MONTHS[d.month - 1]} {d.year}"


def date_label(d: date | None, lang: str = "en") -> str:
    """A day: "3 Jul 2025" / "2025年7月3日"."""
    if is_missing(d):
        return EMPTY
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"


def time_label(t: datetime | None, lang: str = "en") -> str:
    """A moment to the minute: "3 Jul 2025 14:05" / "2025年7月3日 14:05"."""
    if is_missing(t):
        return EMPTY
    return f"{date_label(t, lang)} {t:%H:%M}"


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~$:]")


def markdown_literal(text: object) -> str:
    """``text`` (a name from the data, a reason quoting a cell) escaped so that markdown shows it as
    it is: no link, emphasis, HTML or math; ':' too, so a bare URL does not become a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", str(text))
