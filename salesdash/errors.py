"""Errors a person can act on: the message is one line that names the problem."""

from __future__ import annotations

import duckdb


class InputError(ValueError):
    """Bad input (a file, an argument, a mapping): shown as one line, never as a traceback."""


class DatabaseLockedError(RuntimeError):
    """Another process (usually a running dashboard) holds the database file."""


class WriterBusyError(RuntimeError):
    """Another writer (a load, an undo, a target edit) held the store for longer than we waited."""


# DuckDB's "TransactionContext Error: Conflict on update!": two writers changed the same rows at
# once; nothing was written by the one that gets it. The writer lock (store.py) makes writers take
# turns; should a conflict surface anyway, this is what a person reads.
WRITE_CONFLICT = (
    "another load, undo or edit changed the same data at the same moment; nothing was changed "
    "by this one — try again"
)


def one_line(error: BaseException) -> str:
    """The one line to show for ``error``: a person's sentence for what the database or the
    system reports, else the first line of its message (its type when it has none)."""
    if isinstance(error, duckdb.TransactionException) and "conflict" in str(error).lower():
        return WRITE_CONFLICT
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()  # without the file name: pages must not show server paths
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class AccessDenied(RuntimeError):
    """The signed-in user (or the writer a connection acts for) may not do this."""
