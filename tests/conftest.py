"""Shared fixtures: real DuckDB databases (never mocks), tiny inline data, the demo set, AppTest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from salesdash import db, ingest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
# The real data set lives in ../shared/data beside the checkout (in CI too); see its README.
SHARED_DATA = ROOT.parent / "shared" / "data"
MAVEN = SHARED_DATA / "maven-crm"
# The day tests load on: plausible dates run to a year after it (parsing.Plausible); the demo's
# last order is 2026-11-15.
LOAD_DAY = date(2026, 11, 27)


@pytest.fixture(autouse=True, scope="session")
def error_details() -> None:
    """AppTest reads .streamlit/config.toml, which hides error details from visitors
    (client.showErrorDetails = "none"); a failing test should say why the page failed."""
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")


@pytest.fixture
def con() -> Iterable[duckdb.DuckDBPyConnection]:
    """An empty in-memory database with the schema."""
    connection = db.connect(":memory:")
    yield connection
    connection.close()


@pytest.fixture
def demo_con(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """An in-memory database seeded with the bundled demo data."""
    ingest.seed_demo(con, load_day=LOAD_DAY)
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
    """The Maven CRM sample (../shared/data/maven-crm); a missing copy is an error, not a skip."""
    if not MAVEN.is_dir():
        pytest.fail(f"real test data missing: {MAVEN} (shared/ must sit beside the checkout)")
    return MAVEN


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file seeded with the demo data, set as $SALESDASH_DB for the app."""
    path = tmp_path / "salesdash.duckdb"
    connection = db.connect(path)
    ingest.seed_demo(connection, load_day=LOAD_DAY)
    connection.close()
    monkeypatch.setenv("SALESDASH_DB", str(path))
    return path


@pytest.fixture
def app(demo_db: Path):
    """An AppTest of app.py on the demo database (call ``.run()``; ``switch_page`` to move)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=120)
