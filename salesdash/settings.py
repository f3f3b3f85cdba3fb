"""Settings of a company's store: what a person chose for the whole company, kept in the working
database (table ``store_settings``) and published with the data, so that every reader sees the
same choice.

- ``demo``: ``removed`` once someone removed the demo company (it is shown while the company has
  no data of its own, until then).
- ``currency``: the ISO code of the company's currency (``fmt.CURRENCIES``; CNY when not
  chosen): its symbol stands before every amount, its code in exports and chart axes.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from salesdash import access, db, fmt
from salesdash.errors import InputError

# The settings a store knows, with the values each may take.
KNOWN: dict[str, tuple[str, ...]] = {
    "demo": ("shown", "removed"),
    "currency": tuple(fmt.CURRENCIES),
}


def read(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every setting chosen in the database ``con`` reads: key → value."""
    return dict(con.execute("select key, value from store_settings").fetchall())


def write(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Choose ``value`` for ``key`` (a writer's connection; published like any change), as the
    user the connection writes for, who must be allowed to change data.

    Raises:
        InputError: an unknown setting or value.
        AccessDenied: a role that may not change data.
    """
    user = access.require_on(con, "change_data")
    if value not in KNOWN.get(key, ()):
        expected = ", ".join(KNOWN.get(key, ())) or f"a known setting ({', '.join(KNOWN)})"
        raise InputError(f"setting '{key}' cannot be '{value}' (expected {expected})")
    with db.transaction(con):
        con.execute(
            "insert or replace into store_settings values (?, ?, ?, ?)",
            [key, value, user.email, datetime.now()],
        )
        db.mark_changed(con)
