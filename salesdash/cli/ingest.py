"""``ingest FILE... --kind K``: load exports, one batch per file, and say what happened."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import duckdb

from salesdash import config, fmt, ingest
from salesdash.cli import add_writer_args, iso_date, print_json
from salesdash.errors import InputError

N_REJECTS_SHOWN = 10


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="load CSV/.xlsx exports (one batch per file)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", required=True, choices=ingest.KINDS)
    p.add_argument("--mapping", help="JSON file: {canonical column: source column}")
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--day-first",
        dest="day_first",
        action="store_const",
        const=True,
        default=None,
        help="read ambiguous dates like 3/4/2025 as 3 April",
    )
    order.add_argument(
        "--month-first",
        dest="day_first",
        action="store_const",
        const=False,
        help="read ambiguous dates like 3/4/2025 as March 4",
    )
    p.add_argument(
        "--max-bad-rate",
        type=float,
        default=None,
        help="refuse a file with a larger share of bad rows (default 0.05)",
    )
    p.add_argument(
        "--load-day",
        type=iso_date,
        default=date.today(),
        help="the day plausible dates are counted from: rows dated more than a year after it "
        "are rejected (default: today)",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="a re-export: the rows of this kind (orders, opportunities) already loaded for the "
        "months the file covers are replaced by its rows, in the same batch (undo puts them back)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    add_writer_args(p)
    p.set_defaults(run=run)


def _mapping(path: str | None) -> dict[str, str | None] | None:
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"--mapping {path}: not a readable JSON file ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, str | None) for v in data.values()):
        raise InputError(
            f"--mapping {path}: expected an object {{canonical column: source column}}"
        )
    return data


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    mapping = _mapping(args.mapping)
    con.execute(f"set memory_limit = '{config.INGEST_MEMORY_LIMIT}'")
    extra = {} if args.max_bad_rate is None else {"max_bad_rate": args.max_bad_rate}
    for file in args.files:
        result = ingest.ingest_file(
            con,
            file,
            args.kind,
            load_day=args.load_day,
            mapping=mapping,
            day_first=args.day_first,
            replace=args.replace,
            **extra,
        )
        if args.json:
            print_json(result.summary())
        else:
            _print(result)
    return 0


def _print(result: ingest.BatchResult) -> None:
    print(f"{result.file_name} ({result.encoding}) → {result.kind}, batch {result.batch_id}")
    width = max((len(c) for c in result.mapping), default=0)
    for canonical, source in result.mapping.items():
        print(f"  {canonical:<{width}}  ← {source}")
    print(
        f"  rows: {result.rows_loaded} loaded, {result.rows_rejected} rejected, "
        f"{result.rows_duplicate} duplicate (of {result.rows_total})"
    )
    for row in result.rejects.head(N_REJECTS_SHOWN).itertuples(index=False):
        where = f" {row.column}" if row.column else ""
        value = f" '{row.value}'" if row.value is not None else ""
        print(f"  rejected line {row.line}{where}{value}: {row.reason}")
    if result.rows_rejected > N_REJECTS_SHOWN:
        print(f"  … {result.rows_rejected - N_REJECTS_SHOWN} more (use --json for the first 100)")
    for warning in result.warnings:
        print(f"  warning: {warning}")
    if result.replaced is not None:
        r = result.replaced
        print(
            f"  replaced: {r.rows_replaced} {result.kind} rows of {r.date_from} … {r.date_to} "
            "(the undo puts them back)"
        )
    if result.coverage is not None:
        for line in describe_coverage(result.coverage):
            print(f"  {line}")
    print(f"  undo with: python -m salesdash undo {result.batch_id}")


# What a batch's n_records counts, by kind.
_RECORDS = {"orders": "orders", "opportunities": "opportunities", "customers": "customers"}
_AMOUNT = {"orders": "revenue", "opportunities": "amount"}
_CHANNELS = {"orders": "channels", "opportunities": "sources"}


def describe_coverage(coverage: ingest.Coverage) -> list[str]:
    """What a batch brought, in lines for the terminal; the last one, the dashboard's
    parameters that show exactly its dates."""
    if coverage.first_date is None:
        return [f"brought: {coverage.n_records:,} {_RECORDS[coverage.kind]}, no dates"]
    parts = [f"{coverage.n_records:,} {_RECORDS[coverage.kind]}"]
    if coverage.kind != "customers":
        parts.append(f"{coverage.n_customers:,} customers")
    if coverage.amount is not None:
        parts.append(f"{_AMOUNT[coverage.kind]} {fmt.money(coverage.amount)}")
    lines = [f"covers {coverage.first_date} … {coverage.last_date}: {', '.join(parts)}"]
    lines.append(f"regions: {', '.join(coverage.regions) or '—'}")
    if coverage.kind in _CHANNELS:
        lines.append(f"{_CHANNELS[coverage.kind]}: {', '.join(coverage.channels) or '—'}")
    lines.append(f"view it: ?period=custom&from={coverage.first_date}&to={coverage.last_date}")
    return lines
