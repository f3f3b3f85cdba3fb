"""``batches``, ``undo BATCH_ID`` and ``redo BATCH_ID``: the ingest log, taking a batch back and
bringing an undone one back."""

from __future__ import annotations

import argparse

import duckdb

from salesdash import access, ingest
from salesdash.cli import add_writer_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batches", help="list loaded batches, newest first")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_batches)
    u = sub.add_parser("undo", help="remove the rows a batch loaded")
    u.add_argument("batch_id", type=int)
    add_writer_args(u)
    u.set_defaults(run=run_undo)
    r = sub.add_parser("redo", help="bring back the rows of an undone batch")
    r.add_argument("batch_id", type=int)
    add_writer_args(r)
    r.set_defaults(run=run_redo)


def run_batches(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    access.require(args.viewer, "see_loads")
    frame = ingest.list_batches(con)
    if args.json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict(orient="records"))
    elif frame.empty:
        print("no batches loaded")
    else:
        print(frame[list(ingest.BATCH_COLUMNS)].to_string(index=False))
    return 0


def run_undo(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    removed = ingest.undo_batch(con, args.batch_id)
    print(f"batch {args.batch_id} undone: {removed} rows removed")
    print(f"  redo with: python -m salesdash redo {args.batch_id}")
    return 0


def run_redo(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    restored = ingest.redo_batch(con, args.batch_id)
    print(f"batch {args.batch_id} redone: {restored} rows back")
    return 0
