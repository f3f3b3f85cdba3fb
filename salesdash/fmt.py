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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime

EMPTY = "—"
PERCENT_DIGITS = 1

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


def _signed(x: float, currency: Currency | None, body: str) -> str:
    return f"{'-' if x < 0 else ''}{(currency or _CURRENCY.get()).symbol}{body}"


def money(x: float | None, lang: str = "en", currency: Currency | None = None) -> str:
    """A compact amount with its currency sign, for cards: "¥1.2万" / "$12.3K"; "-$120".

    Args:
        currency: default: the one in use (``use_currency``).
    """
    if is_missing(x):
        return EMPTY
    return _signed(x, currency, compact_number(abs(x), lang))


def amount(x: float | None, currency: Currency | None = None) -> str:
    """An amount in full with its currency sign, for tables and sentences: "¥3,050,113",
    "-$12.5" (default: the currency in use)."""
    if is_missing(x):
        return EMPTY
    return _signed(x, currency, number(abs(x)))


def money_axis(title: str, currency: Currency | None = None) -> str:
    """A chart axis title of amounts with their currency code: "Revenue (USD)"."""
    return f"{title} ({(currency or _CURRENCY.get()).code})"


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
