"""``refresh``: finish what a killed writer left undone (or rebuild everything derived); publish."""

from __future__ import annotations

import argparse

import duckdb

from salesdash import dataset, db, refresh
from salesdash.cli import add_writer_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "refresh",
        help="bring rollups and stored forecasts up to date and publish (any writer does this)",
    )
    p.add_argument(
        "--whole",
        action="store_true",
        help="rebuild every rollup whole and recompute every stored forecast",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_writer_args(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    """The writer has already finished what was pending (every writer does, first); with
    ``--whole`` everything is marked stale and built again. Prints each step's last run, on one
    line."""
    if args.whole:
        with db.transaction(con):
            con.execute("insert into rollup_changed_whole values (null)")
            con.execute("delete from refresh_state")
            con.execute("delete from stored_results")
            db.mark_changed(con)
        refresh.run(con)
    state = con.execute(
        "select step, data_version, seconds, refreshed_at from refresh_state order by refreshed_at"
    ).df()
    if args.json:
        print_json(state.to_dict(orient="records"))
        return 0
    steps = ", ".join(
        f"{row.step} {row.seconds:.1f} s at {row.refreshed_at:%H:%M:%S}"
        for row in state.itertuples(index=False)
    )
    print(f"up to date for data version {dataset.data_version(con)}: {steps or 'nothing to do'}")
    return 0
