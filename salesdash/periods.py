"""Named date ranges (quick picks) relative to an explicit as-of date, never a hidden today()."""

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
