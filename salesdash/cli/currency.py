"""``currency [CODE]``: the company's currency, shown before every amount (settings.py)."""

from __future__ import annotations

import argparse

import duckdb

from salesdash import fmt, settings
from salesdash.cli import add_writer_args


class _SetsCurrency(argparse.Action):
    """A code given makes the command a writer (settings are published like data)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # noqa: ANN001
        setattr(namespace, self.dest, values)
        if values:
            namespace.access = "write"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("currency", help="show or set the currency amounts are shown in")
    p.add_argument(
        "code",
        nargs="?",
        type=str.upper,
        choices=list(fmt.CURRENCIES),
        action=_SetsCurrency,
        help="set it (an ISO code); without one, show it",
    )
    add_writer_args(p)
    p.set_defaults(run=run, access="read")


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    if args.code:
        settings.write(con, "currency", args.code)
    currency = fmt.currency_of(settings.read(con).get("currency"))
    print(f"{currency.code} ({currency.symbol.strip()})")
    return 0
