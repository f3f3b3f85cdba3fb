"""Scope: the date range, filters and the regions the user may see — applied in SQL, in one place.

Every scoped query takes ``**scope.params()`` and reads its rows through a table macro of the
schema (sql/definitions/scope.sql), one per source, that applies them all::

    from scoped_product_days(
        $start_date, $end_date, $regions, $channels, $sales_reps, $categories, $products
    )

An empty list keeps every row. The regions a signed-in user may see are folded into ``$regions``
here, so no query can forget them; tests/test_sql.py checks that every query reads through the
macros and hands them ``$regions`` and ``$sales_reps``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

# Open ends of a date range: wide enough for any real export, narrow enough for DuckDB's DATE.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9999, 12, 31)
# A value no region can have: the filter for a user who may see none of the chosen regions.
NO_REGION = "\x00no-region"


@dataclass(frozen=True)
class Scope:
    """What a page, a download or a CLI command looks at.

    Attributes:
        start_date: first day included (None: from the beginning).
        end_date: last day included (None: to the end).
        regions, channels, sales_reps, categories, products: chosen values; empty means all.
        allowed_regions: the regions the user may see; None means every region.
    """

    start_date: date | None = None
    end_date: date | None = None
    regions: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    sales_reps: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    allowed_regions: tuple[str, ...] | None = None

    def effective_regions(self) -> tuple[str, ...]:
        """The region filter after the user's permissions: chosen ∩ allowed."""
        if self.allowed_regions is None:
            return self.regions
        chosen = self.regions or self.allowed_regions
        visible = tuple(r for r in chosen if r in self.allowed_regions)
        return visible or (NO_REGION,)

    def params(self) -> dict[str, Any]:
        """Named parameters for a scoped query (see the module docstring)."""
        return {
            "start_date": self.start_date or MIN_DATE,
            "end_date": self.end_date or MAX_DATE,
            "regions": list(self.effective_regions()),
            "channels": list(self.channels),
            "sales_reps": list(self.sales_reps),
            "categories": list(self.categories),
            "products": list(self.products),
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


def _year_earlier(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)
