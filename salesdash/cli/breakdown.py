"""``breakdown --by DIM``: revenue, orders, AOV and customers of a period by one dimension."""

from __future__ import annotations

import argparse

import duckdb

from salesdash import breakdowns, fmt
from salesdash.cli import add_scope_args, print_json, scope_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("breakdown", help="revenue by region, channel, rep, category, product …")
    p.add_argument("--by", required=True, choices=breakdowns.DIMENSIONS)
    p.add_argument("--top", type=int, help="only the N largest by revenue")
    p.add_argument("--bottom", type=int, help="only the N smallest by revenue")
    add_scope_args(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    frame = breakdowns.breakdown(
        con,
        scope_from_args(args),
        args.by,
        limit=args.top or args.bottom,
        bottom=bool(args.bottom),
    )
    frame = frame.rename(columns={"value": args.by})
    if args.json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict(orient="records"))
    elif frame.empty:
        print("no sales in this scope")
    else:
        shown = frame.assign(share=(frame["share"] * 100).round(1))
        print(shown.to_string(index=False, float_format=lambda x: f"{x:,.2f}", na_rep=fmt.EMPTY))
    return 0
