"""Calendar periods: month, quarter and year boundaries, and named date ranges (quick picks)
relative to an explicit as-of date, never a hidden today()."""

from __future__ import annotations

from datetime import date, timedelta

QUICK_PICKS = ("this_month", "last_month", "this_quarter", "ytd", "last_12_months", "all", "custom")


def month_start(d: date) -> date:
    return d.replace(day=1)


def quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def add_months(d: date, months: int) -> date:
    """The first of the month ``months`` after ``d``'s month."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    return add_months(d, 1) - timedelta(days=1)


def years_earlier(d: date, years: int) -> date:
    """The same day ``years`` years before (28 February for a 29 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def period_of(kind: str, as_of: date) -> tuple[date, date]:
    """The calendar quarter or year (``kind``) containing ``as_of``."""
    if kind == "quarter":
        start = quarter_start(as_of)
        return start, add_months(start, 3) - timedelta(days=1)
    if kind == "year":
        return date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    raise ValueError(f"unknown period kind '{kind}' (expected quarter or year)")


def period_kind(start: date, end: date) -> str:
    """The calendar period [start, end] is: "month", "quarter", "year" or "other"."""
    if start.day != 1 or end < start:
        return "other"
    kinds = {1: "month", 3: "quarter", 12: "year"}
    for months, kind in kinds.items():
        if add_months(start, months) - timedelta(days=1) == end:
            return kind
    return "other"


def quick_range(
    pick: str, as_of: date, first: date | None = None
) -> tuple[date | None, date | None]:
    """The (start, end) of a quick pick, both included, ending at ``as_of`` for running periods.

    Args:
        pick: one of QUICK_PICKS other than "custom".
        as_of: the day the view stands on (the dashboard uses the last date in the data).
        first: the first date in the data, for "all".
    """
    if pick == "this_month":
        return month_start(as_of), as_of
    if pick == "last_month":
        start = add_months(as_of, -1)
        return start, month_start(as_of) - timedelta(days=1)
    if pick == "this_quarter":
        return quarter_start(as_of), as_of
    if pick == "ytd":
        return date(as_of.year, 1, 1), as_of
    if pick == "last_12_months":
        return add_months(as_of, -11), as_of
    if pick == "all":
        return first, as_of
    raise ValueError(
        f"unknown quick pick '{pick}' (expected one of: {', '.join(QUICK_PICKS[:-1])})"
    )


def clamp_dates(dates: tuple[date, ...], first: date, last: date) -> tuple[date, ...]:
    """A picked range (one date while a pick is half done, else two) in order and moved inside
    [first, last]: ``?from=0001-01-01&to=9999-12-31`` becomes the data's own range."""
    return tuple(min(max(d, first), last) for d in sorted(dates))
