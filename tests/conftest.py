"""Shared fixtures: real DuckDB databases (never mocks), tiny inline data, the demo set, AppTest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from salesdash import db, ingest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
# Small fixtures derived from the real Maven CRM export (see tests/data/README.md).
MAVEN = ROOT / "tests" / "data" / "maven-crm"


@pytest.fixture
def con() -> Iterable[duckdb.DuckDBPyConnection]:
    """An empty in-memory database with the schema."""
    connection = db.connect(":memory:")
    yield connection
    connection.close()


@pytest.fixture
def demo_con(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """An in-memory database seeded with the bundled demo data."""
    ingest.seed_demo(con)
    return con


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], batch_id: int = 0
) -> None:
    """Insert hand-written rows (dicts of canonical columns) straight into a table."""
    frame = pd.DataFrame(rows)
    frame.insert(0, "batch_id", batch_id)
    con.register("_rows", frame)
    con.execute(f"insert into {table} by name select * from _rows")
    con.unregister("_rows")


@pytest.fixture
def insert() -> Callable[..., None]:
    """``insert(con, "orders", [{...}, ...])``: tiny inline data for hand-checked tests."""
    return insert_rows


@pytest.fixture
def maven() -> Path:
    """The Maven CRM export's fixtures: every 10th opportunity, the teams, the products."""
    return MAVEN


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file seeded with the demo data, set as $SALESDASH_DB for the app."""
    path = tmp_path / "salesdash.duckdb"
    connection = db.connect(path)
    ingest.seed_demo(connection)
    connection.close()
    monkeypatch.setenv("SALESDASH_DB", str(path))
    return path


@pytest.fixture
def app(demo_db: Path):
    """An AppTest of app.py on the demo database (call ``.run()``; ``switch_page`` to move)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=120)
