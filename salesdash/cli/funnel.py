"""``funnel [--by …] [--from D --to D] [--json]``: funnel, win rate, cycle and pipeline."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

import duckdb
import pandas as pd

from salesdash import fmt, funnel
from salesdash.cli import add_scope_args, print_json, require_rows, scope_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("funnel", help="the sales funnel of opportunities created in the period")
    add_scope_args(p)
    p.add_argument("--by", choices=funnel.BREAKDOWNS, help="the same per group")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_funnel)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _stage_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return _records(frame[funnel.STAGE_COLUMNS])


def result_dict(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> dict[str, Any]:
    """What the command prints: the summary, and per group the same fields when --by is given."""
    scope = scope_from_args(args)
    s = funnel.funnel_summary(con, scope)
    out: dict[str, Any] = {
        "from": scope.start_date,
        "to": scope.end_date,
        "stages": _stage_records(s.stages),
        "win_rate": s.win_rate,
        "n_won": s.n_won,
        "n_lost": s.n_lost,
        "won_amount": s.won_amount,
        "n_open": s.n_open,
        "open_amount": s.open_amount,
        "weighted_pipeline": s.weighted_pipeline,
        "median_cycle_days": s.median_cycle_days,
        "p25_cycle_days": s.p25_cycle_days,
        "p75_cycle_days": s.p75_cycle_days,
        "n_created": s.n_created,
        "n_undated": s.n_undated,
        "undated_by_stage": s.undated_by_stage,
        "n_lost_stage_assumed": s.n_lost_stage_assumed,
        "assumed_lost_stage": s.assumed_lost_stage,
        "open_pipeline": _records(s.open_pipeline),
    }
    if args.by:
        keys = [args.by, "region"] if args.by == "sales_rep" else [args.by]
        table = funnel.funnel_breakdown(con, scope, args.by)
        stages = funnel.funnel_stages_by(con, scope, args.by)
        by_group = {
            key if isinstance(key, tuple) else (key,): part
            for key, part in stages.groupby(keys, dropna=False, sort=False)
        }
        groups = []
        for row in _records(table):
            key = tuple(row[k] for k in keys)
            part = by_group.get(key)
            group = {k: row[k] for k in keys}
            group["stages"] = [] if part is None else _stage_records(part)
            group.update({k: v for k, v in row.items() if k not in keys})
            groups.append(group)
        out["by"] = args.by
        out["groups"] = groups
    return out


def _print_stages(stages: list[dict[str, Any]], indent: str = "") -> None:
    frame = pd.DataFrame(stages)
    if frame.empty:
        print(f"{indent}(no opportunities)")
        return
    frame["step_rate"] = frame["step_rate"].map(fmt.percent)
    frame["cumulative_rate"] = frame["cumulative_rate"].map(fmt.percent)
    frame["value"] = frame["value"].map(lambda v: f"{v:,.0f}")
    text = frame[["stage", "reached", "value", "step_rate", "cumulative_rate"]].to_string(
        index=False
    )
    print("\n".join(indent + line for line in text.splitlines()))


def _days(x: float | None) -> str:
    return fmt.EMPTY if x is None else f"{x:.0f} days"


def _print_headline(d: dict[str, Any], indent: str = "") -> None:
    print(
        f"{indent}win rate {fmt.percent(d['win_rate'])} "
        f"(won {d['n_won']:,}, lost {d['n_lost']:,}); open {d['n_open']:,}; "
        f"median cycle {_days(d['median_cycle_days'])}; "
        f"weighted pipeline {d.get('weighted_pipeline', 0):,.0f}"
    )


def run_funnel(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    require_rows(con, "opportunities", "the funnel is built from opportunities")
    if args.channel:
        print(
            "note: --channel does not apply to opportunities (their source is where the lead "
            "came from, not a sales channel)",
            file=sys.stderr,
        )
    out = result_dict(con, args)
    if args.json:
        print_json(out)
        return 0
    _print_stages(out["stages"])
    _print_headline(out)
    if out["n_undated"]:
        print(f"{out['n_undated']:,} opportunities without created date (in no funnel)")
    if out["n_lost_stage_assumed"]:
        print(
            f"{out['n_lost_stage_assumed']:,} lost deals without lost_stage counted as reaching "
            f"{out['assumed_lost_stage']}"
        )
    for group in out.get("groups", []):
        label = " / ".join(str(group[k]) for k in group if k in (args.by, "region"))
        print(f"\n{args.by}: {label}")
        _print_stages(group["stages"], "  ")
        _print_headline(group, "  ")
    return 0
