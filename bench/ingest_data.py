"""Big export files for the ingest benchmarks, written by DuckDB (seconds, not minutes).

The orders file has the canonical demo columns and realistic value shapes (ids with leading
zeros, ISO dates, two-decimal amounts), about 85 bytes a line. ``bad_rate`` turns that share of
rows bad in a way the parser must catch (a date that is not a date, an amount that is not a
number, alternately), every bad row at a known position: row i is bad when i % (1 / bad_rate)
== 7.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

ORDERS_SQL = """
copy (
    select
        'SO' || lpad(cast(i // 2 as varchar), 10, '0') as order_id,
        cast(i % 2 + 1 as integer) as line_no,
        case when $every > 0 and i % $every = 7 and (i // $every) % 2 = 0 then '2025-13-45'
             else strftime(date '2023-11-01' + cast(i * 1096 // $rows as integer), '%Y-%m-%d')
        end as order_date,
        'C' || lpad(cast(hash(i) % 120000 as varchar), 6, '0') as customer_id,
        ['North', 'East', 'South', 'Central', 'Southwest', 'Northwest', 'Northeast'][
            cast(hash(i + 1) % 7 as integer) + 1] as region,
        ['direct', 'store', 'online'][cast(hash(i + 2) % 3 as integer) + 1] as channel,
        'Rep ' || cast(hash(i + 3) % 61 as varchar) as sales_rep,
        'Product ' || cast(hash(i + 4) % 40 as varchar) as product,
        ['Hardware', 'Software', 'Services', 'Accessories', 'Consumables'][
            cast(hash(i + 5) % 5 as integer) + 1] as category,
        cast(hash(i + 6) % 5 + 1 as integer) as quantity,
        round((hash(i + 7) % 900000) / 100.0 + 10, 2) as unit_price,
        case when $every > 0 and i % $every = 7 and (i // $every) % 2 = 1 then 'n/a'
             else cast(round((cast(hash(i + 6) % 5 + 1 as integer))
                  * ((hash(i + 7) % 900000) / 100.0 + 10), 2) as varchar)
        end as revenue,
        round((hash(i + 8) % 500000) / 100.0, 2) as cost
    from range($rows) as t(i)
) to '{path}' (header, delimiter ',')
"""


def write_orders(path: Path, rows: int, bad_rate: float = 0.0) -> Path:
    """Write ``rows`` order lines to ``path``; ``bad_rate`` of them unreadable (see module doc)."""
    every = round(1 / bad_rate) if bad_rate else 0
    con = duckdb.connect()
    # the path is ours (a benchmark temp file), not data: COPY cannot take it as a parameter
    con.execute(ORDERS_SQL.replace("{path}", str(path)), {"rows": rows, "every": every})
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
