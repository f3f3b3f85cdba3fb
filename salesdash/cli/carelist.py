"""``carelist``: the customers to contact now (overdue, birthday, no second order), and why."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from salesdash import carelist, export
from salesdash.cli import iso_date, print_json, scope_from_args
from salesdash.cli.segments import resolve_as_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("carelist", help="customers to contact now, with the reason")
    p.add_argument("--as-of", type=iso_date, help="the day (default: last order date)")
    p.add_argument("--region", action="append", default=[], help="region (repeatable)")
    p.add_argument("--channel", action="append", default=[], help="channel (repeatable)")
    p.add_argument("--rep", action="append", default=[], help="owner rep (repeatable)")
    p.add_argument(
        "--birthday-days", type=int, default=carelist.BIRTHDAY_DAYS, help="birthday window (days)"
    )
    p.add_argument("--out", type=Path, help="write the list to this file (.csv or .xlsx)")
    p.add_argument(
        "--include-contacts",
        action="store_true",
        help="include phone and email in --out and --json (personal data; left out by default)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    as_of = resolve_as_of(con, args)
    scope = scope_from_args(args)
    care = carelist.care_list(con, scope, as_of, birthday_days=args.birthday_days)
    care = carelist.filter_care_list(care, sales_reps=tuple(args.rep))
    out = carelist.for_download(care, include_contacts=args.include_contacts)
    if args.out:
        export.write_file(out, args.out)
    counts = care["reason"].value_counts().reindex(list(carelist.REASONS), fill_value=0)
    if args.json:
        rows = out.astype(object).where(out.notna(), None).to_dict(orient="records")
        print_json(
            {
                "as_of": as_of,
                "n_rows": len(care),
                "reasons": {k: int(v) for k, v in counts.items()},
                "rows": rows,
            }
        )
        return 0
    print(f"as of {as_of}: {len(care):,} customers to contact")
    for reason, n in counts.items():
        print(f"  {reason:<16} {n:>6,}")
    if args.out:
        print(f"list: {args.out}")
    return 0
