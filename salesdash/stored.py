"""Results of heavy computations, kept in the database by the refresh step and only read by pages.

A forecast (with its backtest and sample paths) is a pure function of its inputs: the history it
is fitted on, the grain, the horizon, the number of paths, the seed, and the forecasting code.
``remembered(con, kind, inputs, compute)`` looks the result up by a digest of exactly those, in
the ``stored_results`` table of the database ``con`` reads, and computes it only when it is not
there. So:

- the refresh step (salesdash/refresh.py) calls the very functions the pages call, with the same
  arguments, inside ``recording(con, version)``: what they compute is written to the working
  database, published with it, and found there by every reader;
- a page asking for something no refresh computed (a filter no stored level covers, another
  as-of date) computes it on demand and keeps it in its own process;
- a fit is never reused across a change of its inputs or of the code that makes it, and a new
  data version reuses every fit whose history did not change (a target edit refits nothing).

Histories are rounded to the cent before they are hashed and fitted: DuckDB's parallel sums can
differ in the last bits from run to run, and a digest must not.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd

T = TypeVar("T")

PACKAGE_DIR = Path(__file__).resolve().parent
# The code a stored result depends on: a change to any of these files makes every stored result
# stale (looked up under another digest), so a new model is never shadowed by an old fit.
CODE_FILES = ("forecast/*.py", "stored.py")
# Results computed on demand that a process keeps (about 2 MB each for a hierarchy forecast).
LOCAL_ENTRIES = 64
# Money and counts are fitted to the cent (see the module docstring).
DECIMALS = 2


@dataclass
class _Recorder:
    con: duckdb.DuckDBPyConnection
    version: str
    used: set[str] = field(default_factory=set)
    computed: int = 0


_RECORDING: ContextVar[_Recorder | None] = ContextVar("salesdash_recording", default=None)
_LOCAL: OrderedDict[str, Any] = OrderedDict()
_LOCAL_LOCK = threading.Lock()  # sessions of one dashboard process run in threads


@cache
def code_digest() -> str:
    """A digest of the code stored results depend on (``CODE_FILES``)."""
    digest = hashlib.sha256()
    for pattern in CODE_FILES:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def rounded(frame: pd.DataFrame, columns: Sequence[str] = ("y",)) -> pd.DataFrame:
    """``frame`` with its value ``columns`` rounded to the cent (what is fitted and hashed)."""
    return frame.assign(**{c: frame[c].astype(float).round(DECIMALS) for c in columns})


def digest(kind: str, inputs: Sequence[Any]) -> str:
    """The key of a result: its kind, the code digest and every input, hashed."""
    h = hashlib.sha256(f"{kind}\0{code_digest()}".encode())
    for value in inputs:
        _feed(h, value)
    return f"{kind}:{h.hexdigest()}"


def _feed(h: Any, value: Any) -> None:
    if isinstance(value, pd.DataFrame):
        h.update(repr([(str(c), str(t)) for c, t in value.dtypes.items()]).encode())
        h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        _feed(h, value.to_frame("_"))
    elif isinstance(value, np.ndarray):
        h.update(f"{value.dtype}{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, list | tuple):
        h.update(b"(")
        for item in value:
            _feed(h, item)
        h.update(b")")
    elif value is None or isinstance(value, str | int | float | bool | date | datetime):
        h.update(f"{type(value).__name__}:{value!r};".encode())
    else:
        raise TypeError(f"cannot key a stored result on a {type(value).__name__}")


@contextmanager
def recording(con: duckdb.DuckDBPyConnection, version: str) -> Iterator[_Recorder]:
    """Within the block, results computed through ``remembered`` are written to ``con``'s
    ``stored_results`` (a refresh step of data version ``version``), and results found there are
    marked as used by it (see ``forget_unused``)."""
    recorder = _Recorder(con, version)
    token = _RECORDING.set(recorder)
    try:
        yield recorder
    finally:
        _RECORDING.reset(token)


def forget_unused(con: duckdb.DuckDBPyConnection, version: str) -> int:
    """Delete the results no refresh step of data version ``version`` asked for (the refresh
    calls it once every step is done): the database keeps what its data version needs."""
    return int(
        con.execute("delete from stored_results where used_version <> ?", [version]).fetchall()[0][
            0
        ]
    )


def remembered(
    con: duckdb.DuckDBPyConnection, kind: str, inputs: Sequence[Any], compute: Callable[[], T]
) -> T:
    """``compute()``, unless a result for exactly these ``inputs`` is stored (see the module
    docstring). Inputs are DataFrames, arrays, tuples and plain values."""
    key = digest(kind, inputs)
    recorder = _RECORDING.get()
    if recorder is not None:
        return _record(recorder, key, kind, compute)
    with _LOCAL_LOCK:
        if key in _LOCAL:
            _LOCAL.move_to_end(key)
            return _LOCAL[key]
    found = _lookup(con, key)
    if found is not None:
        return found
    value = compute()
    with _LOCAL_LOCK:
        _LOCAL[key] = value
        while len(_LOCAL) > LOCAL_ENTRIES:
            _LOCAL.popitem(last=False)
    return value


def _record(recorder: _Recorder, key: str, kind: str, compute: Callable[[], T]) -> T:
    con = recorder.con
    recorder.used.add(key)
    found = _lookup(con, key)
    if found is not None:
        con.execute(
            "update stored_results set used_version = ? where key = ?", [recorder.version, key]
        )
        return found
    start = time.perf_counter()
    value = compute()
    seconds = time.perf_counter() - start
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    con.execute(
        "insert or replace into stored_results values (?, ?, ?, ?, ?)",
        [key, kind, recorder.version, seconds, payload],
    )
    recorder.computed += 1
    return value


def _lookup(con: duckdb.DuckDBPyConnection, key: str) -> Any | None:
    try:
        rows = con.execute("select payload from stored_results where key = ?", [key]).fetchall()
    except duckdb.CatalogException:  # a database from before stored results
        return None
    # The payload was written by this code's refresh step into a database only writers change.
    return pickle.loads(rows[0][0]) if rows else None  # noqa: S301


def clear_local() -> None:
    """Forget the results this process computed on demand (tests)."""
    with _LOCAL_LOCK:
        _LOCAL.clear()
