"""Numbers and dates as each language writes them: 1.2万 / 12.3K, 2025年7月 / Jul 2025."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Currency:
    """A currency as amounts show it: its ISO 4217 ``code`` (in exports and axis titles) and the
    ``symbol`` before every amount."""

    code: str
    symbol: str


# The currencies a company can choose (settings.KNOWN["currency"]), by code. CNY first: the
# default, what amounts showed before there was a choice.
CURRENCIES = {
    c.code: c
    for c in (
        Currency("CNY", "¥"),
        Currency("USD", "$"),
        Currency("EUR", "€"),
        Currency("GBP", "£"),
        Currency("JPY", "JP¥"),
        Currency("HKD", "HK$"),
        Currency("TWD", "NT$"),
        Currency("SGD", "S$"),
        Currency("AUD", "A$"),
        Currency("CAD", "C$"),
        Currency("KRW", "₩"),
        Currency("INR", "₹"),
        Currency("CHF", "CHF "),
    )
}
DEFAULT_CURRENCY = CURRENCIES["CNY"]
# The company's currency while a page run or a command formats its amounts: every amount of one
# run is in the one currency of the store it reads, so it is set once (``use_currency``) where the
# store is opened, not passed to each of the many places that format an amount. A context
# variable: each dashboard session's script thread has its own.
_CURRENCY: ContextVar[Currency] = ContextVar("currency", default=DEFAULT_CURRENCY)


def currency_of(code: str | None) -> Currency:
    """The currency of a code (the store's setting); the default for none or an unknown one."""
    return CURRENCIES.get(code or "", DEFAULT_CURRENCY)


def use_currency(code: str | None) -> Currency:
    """Show the amounts formatted from now on (in this thread) in the currency ``code``."""
    currency = currency_of(code)
    _CURRENCY.set(currency)
    return currency


@contextmanager
def currency_in(code: str | None) -> Iterator[Currency]:
    """Amounts formatted inside the block are in the currency ``code`` (a command's run)."""
    token = _CURRENCY.set(currency_of(code))
    try:
        yield _CURRENCY.get()
    finally:
        _CURRENCY.reset(token)


def currency() -> Currency:
    """The currency amounts are shown in now (``use_currency``)."""
    return _CURRENCY.get()


def money(x: float | None, lang: str = "en", currency: Currency | None = None) -> str:
    """A compact amount with its currency sign: "¥1.2万" / "$12.3K"; negatives as "-$120".

    Args:
        currency: default: the one in use (``use_currency``).
    """
    if _missing(x):
        return "–"
    sign = "-" if x < 0 else ""
    symbol = (currency or _CURRENCY.get()).symbol
    return f"{sign}{symbol}{compact_number(abs(x), lang)}"


def money_axis(title: str, currency: Currency | None = None) -> str:
    """A chart axis title of amounts with their currency code: "Revenue (USD)"."""
    return f"{title} ({(currency or _CURRENCY.get()).code})"


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
