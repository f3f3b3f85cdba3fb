"""``targets``: every target on an as-of date — progress, projection, P(hit) and its SMART check."""

from __future__ import annotations

import argparse
import math

import duckdb

from salesdash import smart, targets
from salesdash.cli import iso_date, print_json, scope_from_args
from salesdash.errors import InputError

FIELDS = (
    "scope",
    "scope_value",
    "metric",
    "period_start",
    "period_end",
    "status",
    "target",
    "actual",
    "attainment",
    "expected_to_date",
    "ahead_amount",
    "ahead_days",
    "required_daily_rate",
    "projection",
    "projection_lo80",
    "projection_hi80",
    "p_hit",
)
_TEXT_COLUMNS = (
    "scope",
    "scope_value",
    "metric",
    "period_start",
    "period_end",
    "target",
    "actual",
    "attainment",
    "expected_to_date",
    "projection",
    "projection_lo80",
    "projection_hi80",
    "p_hit",
    "smart",
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("targets", help="targets: progress, projection, P(hit), SMART check")
    p.add_argument("--as-of", type=iso_date, help="the day to stand on (default: last order date)")
    p.add_argument("--region", action="append", default=[], help="only these regions (repeatable)")
    p.add_argument(
        "--status",
        choices=("all", "running", "upcoming", "closed"),
        default="all",
        help="only targets whose period is running, upcoming or closed on the as-of date",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def _clean(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _record(row: dict) -> dict:
    out = {f: _clean(row[f]) for f in FIELDS}
    if out["ahead_days"] is not None:
        out["ahead_days"] = int(out["ahead_days"])
    out["smart"] = {c.rule: {"passed": c.passed, "reason": c.reason()} for c in row["smart"]}
    return out


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    as_of = args.as_of or targets.last_covered_day(con)
    if as_of is None:
        raise InputError("no orders loaded: targets are tracked against orders (see `ingest`)")
    frame = smart.assess_targets(con, scope_from_args(args), as_of=as_of)
    if args.status != "all" and not frame.empty:
        frame = frame[frame["status"] == args.status]
    records = [_record(row) for row in frame.to_dict(orient="records")]
    if args.json:
        print_json({"as_of": as_of, "targets": records})
        return 0
    if not records:
        print(f"no targets (as of {as_of})")
        return 0
    print(f"as of {as_of}: {len(records)} targets")
    print(" | ".join(_TEXT_COLUMNS) + " (S M A R T: + pass, - fail, ? cannot judge)")
    for r in records:
        print(_text_line(r))
    return 0


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def _text_line(record: dict) -> str:
    marks = " ".join(
        f"{rule[0].upper()}{'+' if v['passed'] else ('?' if v['passed'] is None else '-')}"
        for rule, v in record["smart"].items()
    )
    cells = [_fmt(record[c]) for c in _TEXT_COLUMNS if c != "smart"]
    failed = "; ".join(
        f"{rule}: {v['reason']}" for rule, v in record["smart"].items() if v["passed"] is False
    )
    return " | ".join(cells + [marks]) + (f"\n    {failed}" if failed else "")
