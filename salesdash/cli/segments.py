"""``segments``: RFM scores, segment and value tier per customer, and a summary per segment."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

import duckdb

from salesdash import dataset, export, segments
from salesdash.cli import iso_date, print_json, scope_from_args
from salesdash.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segments", help="RFM segments and value tiers of the customers")
    p.add_argument("--as-of", type=iso_date, help="score as of this day (default: last order date)")
    p.add_argument("--region", action="append", default=[], help="region (repeatable)")
    p.add_argument("--channel", action="append", default=[], help="channel (repeatable)")
    p.add_argument("--out", type=Path, help="write the customer table to a .csv or .xlsx file")
    p.add_argument("--json", action="store_true", help="machine-readable summary")
    p.set_defaults(run=run)


def resolve_as_of(con: duckdb.DuckDBPyConnection, args: argparse.Namespace):
    as_of = args.as_of or dataset.last_order_date(con)
    if as_of is None:
        raise InputError("no orders loaded: nothing to score (load orders with `ingest`)")
    return as_of


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    as_of = resolve_as_of(con, args)
    scope = scope_from_args(args)
    rfm = segments.rfm_table(con, scope, as_of)
    if args.out:
        table = rfm.sort_values("customer_id")[segments.EXPORT_COLUMNS]
        export.write_file(table, args.out)
    summary = segments.rfm_summary(rfm, as_of)
    if args.json:
        print_json(asdict(summary))
        return 0
    print(f"as of {as_of}: {summary.n_customers:,} customers, revenue {summary.revenue:,.2f}")
    for code, figures in summary.segments.items():
        print(
            f"  {code:<20} {figures['n_customers']:>8,}  {figures['revenue']:>16,.2f}"
            f"  {figures['revenue_share']:>6.1%}"
        )
    if args.out:
        print(f"per-customer table: {args.out}")
    return 0
