"""Benchmark: RFM + segments + value tiers, cohort matrix and care list on 10M order lines.

Usage::

    python bench/customers.py [--rows 10000000] [--customers 500000] [--runs 5] [--keep]

Builds a file database under /tmp/issue-6/ with a fast, deterministic SQL generator (demo.generate
at this size takes minutes and several GB; the shape here is the same: ~1.8 lines per order, 1.5%
returns, 80% of a customer's orders through one channel, customers arriving over three years),
rebuilds the rollups as an import does, then times each function uncached (median of --runs)
beside two baselines measured in the same run: the same RFM in DuckDB straight from the order
lines (no rollup), and a plain pandas computation over the order lines already in memory (loading
them is not counted). The database is deleted at the end unless --keep.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from salesdash import carelist, cohorts, db, rollups, segments  # noqa: E402
from salesdash.scope import Scope  # noqa: E402

WORK_DIR = Path("/tmp/issue-6")
START = date(2023, 11, 1)
END = date(2026, 11, 15)

# Deterministic pseudo-random numbers from hash(): DuckDB's random() differs between threads.
GENERATE_ORDERS = """
insert into orders by name
with params as (
    select $n_orders::bigint as n_orders, $n_customers::bigint as n_customers,
           $start::date as start_day, ($end::date - $start::date) as span
),
customers as (
    -- each customer arrives on a day in the period and orders from then on; skewed sizes
    select c as cust,
           (hash(c, 'arrive') % (span * 9 // 10))::integer as first_day
    from params, range(n_customers) as t(c)
),
orders as (
    select i as order_no,
           (n_customers * pow((hash(i, 'cust') % 1000003) / 1000003.0, 1.6))::bigint as cust,
           (hash(i, 'day') % 1000003) / 1000003.0 as u,
           1 + (hash(i, 'lines') % 5 < 4)::integer as n_lines
    from params, range(n_orders) as t(i)
),
dated as (
    select o.*, c.first_day, p.start_day, p.span
    from orders as o
    join customers as c on o.cust = c.cust, params as p
),
lines as (
    select d.*, l.line_no
    from dated as d, range(d.n_lines) as l(line_no)
)
select
    0 as batch_id,
    'SO' || lpad(order_no::varchar, 9, '0') as order_id,
    line_no + 1 as line_no,
    start_day + (first_day + floor(u * (span - first_day)))::integer as order_date,
    'C' || lpad(cust::varchar, 7, '0') as customer_id,
    ['North', 'East', 'South', 'Central', 'Southwest', 'Northwest', 'Northeast'][
        (cust % 7)::bigint + 1
    ] as region,
    -- 80% of a customer's orders through their preferred channel, as in salesdash.demo
    ['direct', 'store', 'online'][
        case when hash(order_no, 'ch') % 10 < 8 then cust % 3 else hash(order_no, 'ch2') % 3 end
    ::bigint + 1] as channel,
    'Rep ' || (cust % 61)::varchar as sales_rep,
    'Product ' || (hash(order_no, line_no) % 20)::varchar as product,
    'Category ' || (hash(order_no, line_no) % 5)::varchar as category,
    1.0 as quantity,
    round(20 + (hash(order_no, line_no, 'p') % 200000) / 100.0, 2) as unit_price,
    round(
        (20 + (hash(order_no, line_no, 'p') % 200000) / 100.0)
        * case when hash(order_no, line_no, 'r') % 1000 < 15 then -1 else 1 end,
        2
    ) as revenue,
    null as cost
from lines
order by order_date, order_id, line_no
"""

GENERATE_CUSTOMERS = """
insert into customers by name
select
    0 as batch_id,
    'C' || lpad(c::varchar, 7, '0') as customer_id,
    'Customer ' || c::varchar as customer_name,
    ['North', 'East', 'South', 'Central', 'Southwest', 'Northwest', 'Northeast'][
        (c % 7)::bigint + 1
    ] as region,
    null as segment,
    null as city,
    null as signup_date,
    case when hash(c, 'b') % 10 < 6
        then date '1965-01-01' + (hash(c, 'bd') % 13870)::integer end as birthday,
    'Rep ' || (c % 61)::varchar as sales_rep,
    '13' || lpad((hash(c, 'ph') % 1000000000)::varchar, 9, '0') as phone,
    'contact' || c::varchar || '@example.com' as email
from range($n_customers) as t(c)
"""

# The same RFM straight from the order lines, without the rollup (a baseline only).
RFM_FROM_LINES = """
with per_customer as (
    select customer_id,
        ($as_of::date - max(order_date))::integer as recency_days,
        count(distinct order_id)::integer as frequency,
        sum(revenue) as monetary
    from orders
    where order_date <= $as_of::date and customer_id is not null
    group by customer_id
)
select *,
    (1 + floor(5 * (rank() over (order by recency_days desc) - 1) / count(*) over ()))::integer
        as r_score,
    (1 + floor(5 * (rank() over (order by frequency) - 1) / count(*) over ()))::integer as f_score,
    (1 + floor(5 * (rank() over (order by monetary) - 1) / count(*) over ()))::integer as m_score,
    coalesce(sum(greatest(monetary, 0)) over (order by monetary desc, customer_id
        rows between unbounded preceding and 1 preceding), 0) as revenue_before,
    sum(greatest(monetary, 0)) over () as positive_total
from per_customer
"""


def pandas_rfm(lines: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """RFM + segments + value tiers in plain pandas over the order lines."""
    cut = lines[lines["order_date"] <= pd.Timestamp(as_of)]
    out = cut.groupby("customer_id").agg(
        last=("order_date", "max"),
        frequency=("order_id", "nunique"),
        monetary=("revenue", "sum"),
    )
    out["recency_days"] = (pd.Timestamp(as_of) - out["last"]).dt.days
    n = len(out)
    for col, source, ascending in (
        ("r_score", "recency_days", False),
        ("f_score", "frequency", True),
        ("m_score", "monetary", True),
    ):
        rank = out[source].rank(method="min", ascending=ascending)
        out[col] = (1 + np.floor(5 * (rank - 1) / n)).astype(int)
    out["segment"] = segments.segment_of(
        out["r_score"], segments.fm_scores(out["f_score"], out["m_score"])
    ).to_numpy()
    ordered = out["monetary"].sort_values(ascending=False)
    positive = ordered.clip(lower=0)
    before = positive.cumsum() - positive
    total = positive.sum()
    tier = np.where(
        ordered <= 0,
        "C",
        np.where(
            before < segments.TIER_A_SHARE * total,
            "A",
            np.where(before < segments.TIER_B_SHARE * total, "B", "C"),
        ),
    )
    out["value_tier"] = pd.Series(tier, index=ordered.index)
    return out


def timed(fn: Callable[[], object], runs: int) -> tuple[tuple[float, float], object]:
    """Median wall time and median CPU time (all threads of this process) of ``runs`` calls."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / f"customers-{args.rows}.duckdb"
    fresh = not path.exists()
    con = db.connect(path)
    try:
        if fresh:
            start = time.perf_counter()
            con.execute(
                GENERATE_ORDERS,
                {
                    "n_orders": int(args.rows / 1.8),
                    "n_customers": args.customers,
                    "start": START,
                    "end": END,
                },
            )
            con.execute(GENERATE_CUSTOMERS, {"n_customers": args.customers})
            print(f"generated in {time.perf_counter() - start:.1f} s")
            start = time.perf_counter()
            con.execute("begin transaction")
            rollups.refresh(con)
            con.execute("commit")
            print(f"rollups.refresh: {time.perf_counter() - start:.2f} s")
        n_lines = db.scalar(con, "select count(*) from orders")
        n_customers = db.scalar(con, "select count(distinct customer_id) from orders")
        n_rollup = db.scalar(con, "select count(*) from rollup_customer_month")
        n_totals = db.scalar(con, "select count(*) from rollup_customer_totals")
        as_of = db.scalar(con, "select max(order_date) from orders")
        mid = date(2025, 6, 17)
        print(
            f"{n_lines:,} order lines, {n_customers:,} customers, "
            f"{n_rollup:,} customer-month rows, {n_totals:,} customer-total rows; as of {as_of}"
        )

        results = {}
        results["rfm_table (as of last day)"], rfm = timed(
            lambda: segments.rfm_table(con, Scope(), as_of), args.runs
        )
        results["rfm_table (as of 2025-06-17)"], _ = timed(
            lambda: segments.rfm_table(con, Scope(), mid), args.runs
        )
        results["rfm_table, one region"], _ = timed(
            lambda: segments.rfm_table(con, Scope(regions=("East",)), as_of), args.runs
        )
        results["RFM SQL from order lines (no rollup)"], _ = timed(
            lambda: con.execute(RFM_FROM_LINES, {"as_of": as_of}).df(), args.runs
        )
        results["cohort_retention, last 12 months"], _ = timed(
            lambda: cohorts.cohort_retention(con, Scope(date(2025, 12, 1), as_of)), args.runs
        )
        results["cohort_retention, all 37 months"], _ = timed(
            lambda: cohorts.cohort_retention(con, Scope(None, as_of)), args.runs
        )
        results["care_list"], care = timed(
            lambda: carelist.care_list(con, Scope(), as_of), max(1, args.runs // 2)
        )

        lines = con.execute(
            "select customer_id, order_id, order_date, revenue from orders"
            " where customer_id is not null"
        ).df()
        pandas_runs = max(1, min(3, args.runs))
        results["pandas RFM + segments + tiers (lines in memory)"], expected = timed(
            lambda: pandas_rfm(lines, as_of), pandas_runs
        )
        got = rfm.set_index("customer_id").loc[expected.index]
        agree = all(
            (got[c].to_numpy() == expected[c].to_numpy()).all()
            for c in ("recency_days", "frequency", "r_score", "f_score", "segment", "value_tier")
        )
        print(f"care list rows: {len(care):,}; pandas and salesdash agree: {agree}")
        base = results["rfm_table (as of last day)"][0]
        print(f"  {'':<50} {'wall':>9} {'cpu':>9}  wall ratio")
        for name, (wall, cpu) in results.items():
            print(
                f"  {name:<50} {wall * 1000:>6.0f} ms {cpu * 1000:>6.0f} ms"
                f"  ({wall / base:.1f}× rfm_table)"
            )
    finally:
        con.close()
        if not args.keep:
            shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
