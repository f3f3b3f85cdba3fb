"""``python -m salesdash …``: the same functions as the pages, on the command line.

Each command is a module in this package with ``register(subparsers)``, which adds its parser and
sets ``run=<function(args, con) -> int>`` and how it uses the store (``access``):

- ``"read"`` (the default): ``con`` is a read-only connection to the published snapshot, so it
  answers while a load runs, from the data as last published;
- ``"write"``: ``con`` is the working database under the writer lock (``add_writer_args`` adds
  ``--wait``); when the command is done the refresh step runs and the result is published;
- ``"none"``: ``con`` is None (the command never touches a database).

The command line runs with the rights of whoever can open the database file: an admin
(``access.LOCAL_USER``, named in the audit of what it changes). ``--as EMAIL`` makes a read-only
command show what that person would see (``args.viewer``; ``scope_from_args`` starts from their
rights), for checking a grant.

Bad input, an unreadable file, a database that cannot be opened or written, or a role that may
not do something end with a one-line reason on stderr and exit status 2; never a traceback.
Output piped into a reader that stops early (``| head``) ends quietly with status 141, as a
program stopped by SIGPIPE does.
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
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from salesdash import access, config, db, errors, fmt, settings
from salesdash.access import User
from salesdash.errors import AccessDenied, DatabaseLockedError, InputError, WriterBusyError
from salesdash.lock import Holder
from salesdash.scope import Scope
from salesdash.store import Store

EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m salesdash", description=__doc__.splitlines()[0]
    )
    db_help = "database file (default: $SALESDASH_DB or data/salesdash.duckdb)"
    as_help = "show what the person with this email on the access list would see"
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--as", dest="as_email", metavar="EMAIL", help=as_help)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}").register(sub)
    # --db is accepted after the command too ("ingest f.csv --kind orders --db x.duckdb");
    # SUPPRESS keeps a --db given before the command when none follows it.
    for command in sub.choices.values():
        command.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
        command.add_argument(
            "--as", dest="as_email", metavar="EMAIL", default=argparse.SUPPRESS, help=as_help
        )
    return parser


def add_writer_args(parser: argparse.ArgumentParser) -> None:
    """Mark a command as a writer, with ``--wait``: how long to wait for another writer."""
    parser.add_argument(
        "--wait",
        type=float,
        default=config.WRITER_WAIT_S,
        metavar="SECONDS",
        help="wait this long for another load or undo to finish "
        f"(default {config.WRITER_WAIT_S:.0f})",
    )
    parser.set_defaults(access="write")


def add_scope_args(parser: argparse.ArgumentParser) -> None:
    """--from/--to/--region/--channel: the filters every analysis command takes."""
    parser.add_argument("--from", dest="start_date", type=iso_date, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end_date", type=iso_date, help="last day (YYYY-MM-DD)")
    parser.add_argument("--region", action="append", default=[], help="region (repeatable)")
    parser.add_argument("--channel", action="append", default=[], help="channel (repeatable)")


def scope_from_args(args: argparse.Namespace) -> Scope:
    """The filters of the command line within the rights of ``args.viewer`` (``--as``)."""
    return replace(
        rights(args),
        start_date=getattr(args, "start_date", None),
        end_date=getattr(args, "end_date", None),
        regions=tuple(args.region),
        channels=tuple(getattr(args, "channel", ())),
    )


def rights(args: argparse.Namespace) -> Scope:
    """What the command shows: everything, or what the ``--as`` person may see."""
    return access.scope_for(args.viewer)


def _viewer(con: duckdb.DuckDBPyConnection, email: str | None) -> User:
    if email is None:
        return access.LOCAL_USER
    found = access.user_for(con, email)
    if found is None:
        raise InputError(f"{email} is not on the access list: they would see nothing")
    return found


def require_rows(con: duckdb.DuckDBPyConnection, kind: str, needed_for: str) -> None:
    """The one-line answer of a command with nothing to work on: no ``kind`` loaded yet.

    Raises:
        InputError: the table ``kind`` is empty.
    """
    if not db.scalar(con, f"select exists (select 1 from {kind})"):  # noqa: S608
        raise InputError(f"no {kind} loaded: {needed_for} (load them with `ingest`)")


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
    try:
        status = _run(args, argv)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return status
    except BrokenPipeError:
        # the reader went away: say nothing more to it (Python would complain again at exit)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (InputError, AccessDenied, DatabaseLockedError, WriterBusyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, duckdb.Error) as exc:
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        print(f"error: {where}{errors.one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _run(args: argparse.Namespace, argv: list[str] | None) -> int:
    mode = getattr(args, "access", "read")
    if mode == "none":
        return args.run(args, None) or 0
    if mode != "read" and args.as_email:
        raise InputError("--as shows what a person would see; changes run as the command line")
    store = Store(_db_path(args))
    if mode == "write":
        what = "python -m salesdash " + " ".join(sys.argv[1:] if argv is None else argv)
        with (
            store.writing(what, wait_s=args.wait, on_wait=_waiting_message()) as con,
            fmt.currency_in(settings.read(con).get("currency")),
        ):
            return args.run(args, con) or 0
    con = store.reader()
    try:
        args.viewer = _viewer(con, args.as_email)
        with fmt.currency_in(settings.read(con).get("currency")):
            return args.run(args, con) or 0
    finally:
        con.close()


def _db_path(args: argparse.Namespace) -> Path:
    path = Path(args.db or config.db_path())
    if path.is_dir():
        raise InputError(f"--db {path}: a folder, not a database file ({path / 'x.duckdb'}?)")
    return path


# A waiting writer says so when it starts waiting, then every this many seconds.
WAIT_MESSAGE_EVERY_S = 10.0


def _waiting_message() -> Callable[[Holder | None, float], None]:
    """A ``on_wait`` callback printing who we wait for on stderr, now and every few seconds."""
    told = -WAIT_MESSAGE_EVERY_S

    def tell(holder: Holder | None, waited: float) -> None:
        nonlocal told
        if waited - told >= WAIT_MESSAGE_EVERY_S:
            told = waited
            who = holder.describe() if holder else "another writer"
            print(f"waiting for {who} ({waited:.0f} s)", file=sys.stderr, flush=True)

    return tell
