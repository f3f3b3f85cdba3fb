"""Calendar facts the data follows: Chinese New Year moves between late January and mid February."""

from __future__ import annotations

from datetime import date

# First day of the lunar new year (Spring Festival), from the published Chinese calendar.
CHINESE_NEW_YEAR: dict[int, date] = {
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}


def chinese_new_year(year: int) -> date:
    """The Spring Festival date of ``year``.

    Raises:
        ValueError: the year is outside the table (2015–2035).
    """
    try:
        return CHINESE_NEW_YEAR[year]
    except KeyError:
        raise ValueError(
            f"no Chinese New Year date known for {year} (table covers 2015–2035)"
        ) from None
