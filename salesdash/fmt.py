"""Numbers and dates as each language writes them: 1.2万 / 12.3K, 2025年7月 / Jul 2025."""

from __future__ import annotations

import math
import re
from datetime import date

_EN_STEPS = ((1e9, "B"), (1e6, "M"), (1e3, "K"))
_ZH_STEPS = ((1e8, "亿"), (1e4, "万"))
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def compact_number(x: float | None, lang: str = "en", digits: int = 1) -> str:
    """A short number: 12,345 → "12.3K" (en) or "1.2万" (zh); small numbers in full."""
    if _missing(x):
        return "–"
    for step, suffix in _ZH_STEPS if lang == "zh" else _EN_STEPS:
        if abs(x) >= step:
            return f"{x / step:.{digits}f}{suffix}"
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.2f}"


def money(x: float | None, lang: str = "en", currency: str = "¥") -> str:
    """A compact amount with its currency sign: "¥1.2万" / "¥12.3K"; negatives as "-¥120"."""
    if _missing(x):
        return "–"
    sign = "-" if x < 0 else ""
    return f"{sign}{currency}{compact_number(abs(x), lang)}"


def percent(x: float | None, digits: int = 1) -> str:
    """A 0–1 ratio as a percentage: 0.6315 → "63.2%"."""
    return "–" if _missing(x) else f"{x * 100:.{digits}f}%"


def month_label(d: date, lang: str = "en") -> str:
    """The month of ``d``: "Jul 2025" / "2025年7月"."""
    return f"{d.year}年{d.month}月" if lang == "zh" else f"{_EN_MONTHS[d.month - 1]} {d.year}"


def date_label(d: date, lang: str = "en") -> str:
    """A day: "3 Jul 2025" / "2025年7月3日"."""
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~$:]")


def markdown_literal(text: object) -> str:
    """``text`` (a name from the data, a reason quoting a cell) escaped so that markdown shows it as
    it is: no link, emphasis, HTML or math; ':' too, so a bare URL does not become a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", str(text))
