"""Scope: the date range, filters and the regions the user may see — applied in SQL, in one place.

Every scoped query takes ``**scope.params()`` and reads its rows through a table macro of the
schema (sql/definitions/scope.sql), one per source, that applies them all::

    from scoped_product_days(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )

An empty list keeps every row. What the signed-in user may see is folded into the lists here, so
no query can forget it: their allowed regions into ``$regions``, their own name (a sales rep) into
``$sales_reps``; tests/test_sql.py checks that every query reads through the macros and hands them
``$regions`` and ``$sales_reps``. A Scope gets its rights in one place,
``access.scope_for(user)``; the filters a page chooses are added to it. ``$all_scopes`` says
whether the rights narrow nothing (then company-wide targets may be shown).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

# Open ends of a date range: wide enough for any real export, narrow enough for DuckDB's DATE.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9999, 12, 31)
# Values no region or rep can have: the filter of a user who may see none of the chosen ones.
NO_REGION = "\x00no-region"
NO_REP = "\x00no-rep"


@dataclass(frozen=True)
class Scope:
    """What a page, a download or a CLI command looks at.

    Attributes:
        start_date: first day included (None: from the beginning).
        end_date: last day included (None: to the end).
        regions, channels, sales_reps, categories, products: chosen values; empty means all.
        allowed_regions: the regions the user may see; None means every region.
        allowed_rep: the one sales rep whose sales the user may see (a rep); None means all.
    """

    start_date: date | None = None
    end_date: date | None = None
    regions: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    sales_reps: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    allowed_regions: tuple[str, ...] | None = None
    allowed_rep: str | None = None

    @property
    def restricted(self) -> bool:
        """Whether the user's rights narrow what they see (a manager or a rep)."""
        return self.allowed_regions is not None or self.allowed_rep is not None

    def effective_regions(self) -> tuple[str, ...]:
        """The region filter after the user's permissions: chosen ∩ allowed."""
        return _narrowed(self.regions, self.allowed_regions, NO_REGION)

    def effective_sales_reps(self) -> tuple[str, ...]:
        """The rep filter after the user's permissions: chosen ∩ their own."""
        allowed = None if self.allowed_rep is None else (self.allowed_rep,)
        return _narrowed(self.sales_reps, allowed, NO_REP)

    def rights(self) -> Scope:
        """Only what the user may see: no dates, no chosen filters."""
        return Scope(allowed_regions=self.allowed_regions, allowed_rep=self.allowed_rep)

    def params(self) -> dict[str, Any]:
        """Named parameters for a scoped query (see the module docstring)."""
        return {
            "start_date": self.start_date or MIN_DATE,
            "end_date": self.end_date or MAX_DATE,
            "regions": list(self.effective_regions()),
            "channels": list(self.channels),
            "sales_reps": list(self.effective_sales_reps()),
            "categories": list(self.categories),
            "products": list(self.products),
            "all_scopes": not self.restricted,
        }

    def with_dates(self, start_date: date | None, end_date: date | None) -> Scope:
        """The same filters over another date range."""
        return replace(self, start_date=start_date, end_date=end_date)

    @property
    def n_days(self) -> int | None:
        """Days in the range, both ends included (None when a side is open)."""
        if self.start_date is None or self.end_date is None:
            return None
        return (self.end_date - self.start_date).days + 1

    def previous_period(self) -> Scope:
        """The range of the same length just before this one."""
        if self.n_days is None:
            raise ValueError("previous_period needs a closed date range")
        end = self.start_date - timedelta(days=1)
        return self.with_dates(end - timedelta(days=self.n_days - 1), end)

    def same_period_last_year(self) -> Scope:
        """The same calendar dates one year earlier (29 Feb becomes 28 Feb)."""
        if self.start_date is None or self.end_date is None:
            raise ValueError("same_period_last_year needs a closed date range")
        return self.with_dates(_year_earlier(self.start_date), _year_earlier(self.end_date))


def sum_name(regions: list[str] | tuple[str, ...]) -> str:
    """How the sum of some regions is named wherever it stands in for the company's figures (a
    manager's totals): "East + North"."""
    return " + ".join(regions)


def _narrowed(
    chosen: tuple[str, ...], allowed: tuple[str, ...] | None, nothing: str
) -> tuple[str, ...]:
    if allowed is None:
        return chosen
    visible = tuple(v for v in (chosen or allowed) if v in allowed)
    return visible or (nothing,)


def _year_earlier(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)
