"""The hostile suite: every attack of issue 13, generated in the test, with its one-line refusal.

One real dashboard (`streamlit run app.py`) serves the whole suite; after every test it must still
answer its health check (``server_survives``). ``fingerprint`` is what "the database is
unchanged" compares: every canonical table and the ingest log, row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from salesdash import config
from tests.e2e.conftest import browser, is_healthy, page, running_server  # noqa: F401

TABLES = (*config.KINDS, "ingest_log")


@pytest.fixture(scope="session")
def server_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's TMPDIR: where its upload folders must be, and nothing else."""
    return tmp_path_factory.mktemp("hostile-server-tmp")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, server_tmp: Path) -> Iterator[str]:
    """Base URL of the dashboard the hostile suite attacks (demo data, seeded on first view)."""
    db_path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    log = tmp_path_factory.getbasetemp() / "hostile-streamlit.log"
    with running_server(db_path, log, env={"TMPDIR": str(server_tmp)}) as url:
        yield url


@pytest.fixture(autouse=True)
def server_survives(server: str) -> Iterator[None]:
    """Whatever a test threw at the app, the shared server still answers afterwards."""
    yield
    assert is_healthy(server), "the dashboard server stopped answering its health check"


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """(rows, order-independent hash of all rows) of every canonical table and the ingest log."""
    return {
        table: tuple(
            con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from {table} as t").fetchone()
        )
        for table in TABLES
    }
