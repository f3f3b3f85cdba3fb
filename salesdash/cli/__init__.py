"""``python -m salesdash …``: the same functions as the pages, on the command line.

Each command is a module in this package with ``register(subparsers)``, which adds its parser and
sets ``run=<function(args, con) -> int>`` (``con`` is None for commands with ``needs_db=False``).
Bad input, an unreadable file, a database that cannot be opened or written end with a one-line
reason on stderr and exit status 2; never a traceback. Output piped into a reader that stops early
(``| head``) ends quietly with status 141, as a program stopped by SIGPIPE does.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import pkgutil
import signal
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from salesdash import config, db, errors
from salesdash.errors import DatabaseLockedError, InputError
from salesdash.scope import Scope

EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m salesdash", description=__doc__.splitlines()[0]
    )
    db_help = "database file (default: $SALESDASH_DB or data/salesdash.duckdb)"
    parser.add_argument("--db", help=db_help)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}").register(sub)
    # --db is accepted after the command too ("ingest f.csv --kind orders --db x.duckdb");
    # SUPPRESS keeps a --db given before the command when none follows it.
    for command in sub.choices.values():
        command.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    return parser


def add_scope_args(parser: argparse.ArgumentParser) -> None:
    """--from/--to/--region/--channel: the filters every analysis command takes."""
    parser.add_argument("--from", dest="start_date", type=iso_date, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end_date", type=iso_date, help="last day (YYYY-MM-DD)")
    parser.add_argument("--region", action="append", default=[], help="region (repeatable)")
    parser.add_argument("--channel", action="append", default=[], help="channel (repeatable)")


def scope_from_args(args: argparse.Namespace) -> Scope:
    return Scope(
        start_date=args.start_date,
        end_date=args.end_date,
        regions=tuple(args.region),
        channels=tuple(args.channel),
    )


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


def print_json(obj: Any) -> None:
    """Machine-readable output: dates as ISO text, NaN and ±inf as null (JSON has neither)."""
    text = json.dumps(
        _finite(obj), ensure_ascii=False, indent=2, default=_json_default, allow_nan=False
    )
    print(text)


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return _finite(value.item())
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    con = None
    try:
        if getattr(args, "needs_db", True):
            con = db.connect(_db_path(args))
        status = args.run(args, con) or 0
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return status
    except BrokenPipeError:
        # the reader went away: say nothing more to it (Python would complain again at exit)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (InputError, DatabaseLockedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, duckdb.Error) as exc:
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        print(f"error: {where}{errors.one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if con is not None:
            con.close()


def _db_path(args: argparse.Namespace) -> Path:
    path = Path(args.db or config.db_path())
    if path.is_dir():
        raise InputError(f"--db {path}: a folder, not a database file ({path / 'x.duckdb'}?)")
    return path
