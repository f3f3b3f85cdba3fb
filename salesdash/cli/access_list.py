"""``access list | grant EMAIL --role R [--region X]... [--rep NAME] | revoke EMAIL | log``: the
access list (salesdash/access.py). Grants and revokes are writers, logged with who made them."""

from __future__ import annotations

import argparse

import duckdb
import pandas as pd

from salesdash import access, dataset
from salesdash.cli import add_writer_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("access", help="who may use the dashboard and what they see")
    commands = p.add_subparsers(dest="access_command", required=True, metavar="ACTION")
    listing = commands.add_parser("list", help="the access list")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(run=run_list)
    grant = commands.add_parser("grant", help="give someone a role (replacing what they had)")
    grant.add_argument("email")
    grant.add_argument("--role", required=True, choices=access.ROLES)
    grant.add_argument(
        "--region", action="append", default=[], help="a manager's region (repeatable)"
    )
    grant.add_argument("--rep", help="a rep's own name, as the data spells it")
    add_writer_args(grant)
    grant.set_defaults(run=run_grant)
    revoke = commands.add_parser("revoke", help="take someone off the access list")
    revoke.add_argument("email")
    add_writer_args(revoke)
    revoke.set_defaults(run=run_revoke)
    log = commands.add_parser("log", help="every change of the access list, newest first")
    log.add_argument("--json", action="store_true", help="machine-readable output")
    log.set_defaults(run=run_log)


def _records(frame: pd.DataFrame) -> list[dict]:
    out = frame.assign(regions=[list(r) for r in frame["regions"]])
    return out.astype(object).where(out.notna(), None).to_dict(orient="records")


def _show(frame: pd.DataFrame, args: argparse.Namespace, empty: str) -> int:
    access.require(args.viewer, "manage_access")
    if args.json:
        print_json(_records(frame))
    elif frame.empty:
        print(empty)
    else:
        print(frame.assign(regions=[", ".join(r) for r in frame["regions"]]).to_string(index=False))
    return 0


def run_list(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    return _show(access.grants(con), args, "nobody is on the access list")


def run_log(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    return _show(access.changes(con), args, "the access list was never changed")


def run_grant(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    user = access.grant(con, args.email, args.role, regions=tuple(args.region), sales_rep=args.rep)
    where = f" ({', '.join(user.regions)})" if user.regions else ""
    rep = f" as {user.sales_rep}" if user.sales_rep else ""
    print(f"{user.email} is {user.role}{rep}{where}")
    known = dataset.filter_choices(con, access.scope_for(access.LOCAL_USER))["region"]
    unknown = [r for r in user.regions if r not in known]
    if unknown:
        print(f"note: no orders in {', '.join(unknown)} yet: check the spelling")
    return 0


def run_revoke(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    if access.revoke(con, args.email):
        print(f"{access.normalised(args.email)} no longer has access")
    else:
        print(f"{access.normalised(args.email)} was not on the access list")
    return 0
