"""``demo``: write the demo company's CSVs (never touches a database)."""

from __future__ import annotations

import argparse
from pathlib import Path

from salesdash import config, demo


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="generate the demo data set as CSV files")
    p.add_argument("--rows", type=int, default=demo.DEMO_ROWS, help="about how many order lines")
    p.add_argument("--seed", type=int, default=demo.DEMO_SEED, help="random seed")
    p.add_argument("--out", type=Path, default=config.DEMO_DIR, help="output folder")
    p.set_defaults(run=run, access="none")


def run(args: argparse.Namespace, con: None) -> int:
    paths = demo.write_csvs(demo.generate(args.rows, seed=args.seed), args.out)
    for kind, path in paths.items():
        print(f"{kind:<14} {path}")
    return 0
