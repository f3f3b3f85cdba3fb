"""``kpis``: the sales KPIs of a period with the previous period and the same period last year."""

from __future__ import annotations

import argparse

import duckdb

from salesdash import fmt, kpis
from salesdash.cli import add_scope_args, print_json, require_rows, scope_from_args

ROWS = (
    ("revenue", "revenue", "{:,.2f}"),
    ("orders", "orders", "{:,}"),
    ("aov", "aov", "{:,.2f}"),
    ("active_customers", "active_customers", "{:,}"),
    ("new_customers", "new_customers", "{:,}"),
    ("repeat_rate", "repeat_rate", "pct"),
    ("win_rate", "win_rate", "pct"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kpis", help="sales KPIs with the previous period and last year")
    add_scope_args(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def _cell(value: float | None, style: str) -> str:
    if value is None:
        return fmt.EMPTY
    return fmt.percent(value) if style == "pct" else style.format(value)


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    require_rows(con, "orders", "the KPIs are measured on orders")
    summary = kpis.kpi_summary(con, scope_from_args(args))
    if args.json:
        print_json(summary.as_dict())
        return 0
    cur, prev, ly = summary.current, summary.previous, summary.last_year
    columns = [("current", cur), (f"previous ({summary.previous_label})", prev), ("last year", ly)]
    columns = [(name, k) for name, k in columns if k is not None]
    header = ["metric"] + [
        f"{name} {k.start_date or '…'}..{k.end_date or '…'}" for name, k in columns
    ]
    lines = [header]
    for label, field, style in ROWS:
        lines.append([label] + [_cell(getattr(k, field), style) for _, k in columns])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    for row in lines:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return 0
