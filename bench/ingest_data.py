"""Big export files for the ingest benchmarks, written by DuckDB (seconds, not minutes).

The orders file has the canonical demo columns and realistic value shapes (ids with leading
zeros, ISO dates, two-decimal amounts), about 85 bytes a line. ``bad_rate`` turns that share of
rows bad in a way the parser must catch (a date that is not a date, an amount that is not a
number, alternately), every bad row at a known position: row i is bad when i % (1 / bad_rate)
== 7.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import duckdb

ORDERS_SQL = """
copy (
    select
        'SO' || lpad(cast(j // 2 as varchar), 10, '0') as order_id,
        cast(j % 2 + 1 as integer) as line_no,
        case when $every > 0 and i % $every = 7 and (i // $every) % 2 = 0 then '2025-13-45'
             else strftime($start + cast(i * $days // $rows as integer), '%Y-%m-%d')
        end as order_date,
        'C' || lpad(cast(hash(j) % 120000 as varchar), 6, '0') as customer_id,
        ['North', 'East', 'South', 'Central', 'Southwest', 'Northwest', 'Northeast'][
            cast(hash(j + 1) % 7 as integer) + 1] as region,
        ['direct', 'store', 'online'][cast(hash(j + 2) % 3 as integer) + 1] as channel,
        'Rep ' || cast(hash(j + 3) % 61 as varchar) as sales_rep,
        'Product ' || cast(hash(j + 4) % 40 as varchar) as product,
        ['Hardware', 'Software', 'Services', 'Accessories', 'Consumables'][
            cast(hash(j + 5) % 5 as integer) + 1] as category,
        cast(hash(j + 6) % 5 + 1 as integer) as quantity,
        round((hash(j + 7) % 900000) / 100.0 + 10, 2) as unit_price,
        case when $every > 0 and i % $every = 7 and (i // $every) % 2 = 1 then 'n/a'
             else cast(round((cast(hash(j + 6) % 5 + 1 as integer))
                  * ((hash(j + 7) % 900000) / 100.0 + 10), 2) as varchar)
        end as revenue,
        round((hash(j + 8) % 500000) / 100.0, 2) as cost
    from (select i, i + $first as j from range($rows) as t(i))
) to '{path}' (header, delimiter ',')
"""


def write_orders(
    path: Path,
    rows: int,
    bad_rate: float = 0.0,
    *,
    start: date = date(2023, 11, 1),
    days: int = 1096,
    first: int = 0,
) -> Path:
    """Write ``rows`` order lines to ``path``, dated evenly over ``days`` days from ``start``;
    ``bad_rate`` of them unreadable (see module doc). ``first`` numbers the lines after those of
    another file (a later month's export: new orders, the same customers)."""
    every = round(1 / bad_rate) if bad_rate else 0
    con = duckdb.connect()
    # the path is ours (a benchmark temp file), not data: COPY cannot take it as a parameter
    con.execute(
        ORDERS_SQL.replace("{path}", str(path)),
        {"rows": rows, "every": every, "start": start, "days": days, "first": first},
    )
    con.close()
    return path


def bad_rows(rows: int, bad_rate: float) -> int:
    """How many rows ``write_orders`` made bad."""
    every = round(1 / bad_rate)
    return len(range(7, rows, every))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--bad-rate", type=float, default=0.0)
    args = parser.parse_args()
    write_orders(args.path, args.rows, args.bad_rate)
