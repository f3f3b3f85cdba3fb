"""The DuckDB file: connect (creating and migrating the schema), and the one way to run SQL.

Queries live in ``salesdash/sql/<name>.sql``; ``run_sql(con, "sales/by_period", **params)`` runs
one with DuckDB named parameters (``$start_date``). Parameters a query does not mention are not
passed, so callers can hand every query the whole ``Scope.params()``. DuckDB's own parser says
which parameters a statement names and where one statement ends, so a ``$name`` or ``--`` inside
a string literal is text, as it is to the database.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from salesdash import config
from salesdash.errors import DatabaseLockedError

SCHEMA_DIR = config.SQL_DIR / "schema"
DEFINITIONS_DIR = config.SQL_DIR / "definitions"


def connect(
    path: str | Path | None = None, *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the database (``:memory:`` for tests).

    A writing connection brings the schema up to date: the table migrations not yet applied
    (``migrate``), then the macros and views, when the code's differ from the database's
    (``define``). A read-only connection writes nothing and uses the macros and views stored in
    the file, so a database is always published by a writer that connected to it. It cannot do
    otherwise: DuckDB refuses ``create macro`` on a read-only database, and the ``temp`` macros
    it allows there belong to one connection, unseen by its cursors (one per dashboard session).

    Raises:
        DatabaseLockedError: another process holds the file (a running dashboard does).
    """
    target = str(path if path is not None else config.db_path())
    if target != ":memory:" and not read_only:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseLockedError(
                f"database {target} is in use by another process (a running dashboard?); "
                "stop it or use --db for another file"
            ) from None
        raise
    if not read_only:
        migrate(con)
        define(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the files in ``sql/schema`` not yet applied, in name order; return their names.

    Migrations create and alter tables and run once per database; macros and views are not
    migrations (see ``define``).
    """
    con.execute(
        "create table if not exists schema_migrations"
        " (name varchar primary key, applied_at timestamp)"
    )
    done = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    applied = []
    for file in sorted(SCHEMA_DIR.glob("*.sql")):
        if file.stem in done:
            continue
        with transaction(con):
            con.execute(file.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations values (?, ?)", [file.stem, datetime.now()])
        applied.append(file.stem)
    return applied


def define(con: duckdb.DuckDBPyConnection) -> bool:
    """(Re)create the macros and views of ``sql/definitions`` when they differ from those the
    database was last given; True when it did.

    Each file is ``create or replace`` statements, applied in name order (within a file, a macro
    comes after those it calls), so an edited macro reaches every existing database at its next
    writing connection. The digest of all the files is kept in ``schema_definitions``: a database
    already up to date is not written to.
    """
    files = sorted(DEFINITIONS_DIR.glob("*.sql"))
    texts = [file.read_text(encoding="utf-8") for file in files]
    digest = hashlib.sha256(
        "\n".join(f"{f.name}\n{t}" for f, t in zip(files, texts, strict=True)).encode()
    ).hexdigest()
    con.execute(
        "create table if not exists schema_definitions (digest varchar, applied_at timestamp)"
    )
    if scalar(con, "select digest from schema_definitions") == digest:
        return False
    with transaction(con):
        for text in texts:
            con.execute(text)
        con.execute("delete from schema_definitions")
        con.execute("insert into schema_definitions values (?, ?)", [digest, datetime.now()])
    return True


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with transaction(con):`` runs the block in one transaction: committed when the block
    ends, rolled back (and the error raised again) when it raises."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


@cache
def sql_text(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    return (config.SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Statement:
    """One statement of a SQL text, as DuckDB parses it, and the named parameters it uses."""

    sql: str
    parameters: frozenset[str]


# An in-memory database only for parsing: the parser needs no catalogue, and a connection of its
# own (behind a lock: a connection serves one thread at a time) keeps it off every caller's.
_PARSER = duckdb.connect(":memory:")
_PARSER_LOCK = threading.Lock()


@lru_cache(maxsize=512)
def statements(sql: str) -> tuple[Statement, ...]:
    """The statements of ``sql`` in order, split and read by DuckDB's parser."""
    with _PARSER_LOCK:
        parsed = _PARSER.extract_statements(sql)
        return tuple(Statement(s.query, frozenset(s.named_parameters)) for s in parsed)


def params_for(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The named parameters ``sql`` uses, taken from ``params`` (TypeError when one is missing)."""
    return _named(frozenset().union(*(s.parameters for s in statements(sql))), params)


def _named(wanted: frozenset[str], params: dict[str, Any]) -> dict[str, Any]:
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"query needs parameters {sorted(missing)}")
    return {k: v for k, v in params.items() if k in wanted}


def run_sql(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run ``sql/<name>.sql`` with named parameters and return the result as a DataFrame."""
    sql = sql_text(name)
    return con.execute(sql, params_for(sql, params)).df()


def execute_sql(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    """Run a statement file (DDL/DML) from ``sql/<name>.sql``, one statement at a time, each with
    the parameters it names (DuckDB binds parameters only to the last statement of a
    multi-statement call)."""
    for statement in statements(sql_text(name)):
        con.execute(statement.sql, _named(statement.parameters, params) or None)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> Any:
    """The single value of a one-row, one-column statement.

    Fetches the whole result: DuckDB 2 keeps a result that was only ``fetchone()``-ed open, and
    then refuses ``register()`` and friends on the same connection.
    """
    rows = con.execute(sql, params).fetchall()
    return rows[0][0] if rows else None


def mark_changed(con: duckdb.DuckDBPyConnection) -> None:
    """Record, inside a writer's transaction, a change that is not a batch (a target edit, an
    alert acknowledged, an access grant), so that it is published (salesdash/store.py)."""
    con.execute("update store_state set changed = changed + 1")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per canonical table."""
    return {kind: scalar(con, f"select count(*) from {kind}") for kind in config.KINDS}


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when no canonical table has a row."""
    return not any(table_counts(con).values())
