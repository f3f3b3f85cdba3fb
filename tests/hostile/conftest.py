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
from salesdash.store import Store
from tests.conftest import copy_store, fast_models
from tests.e2e.conftest import browser, is_healthy, page, serve  # noqa: F401
from tests.hostile import company

TABLES = (*config.KINDS, "ingest_log")


@pytest.fixture(scope="session")
def server_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's TMPDIR: where its upload folders must be, and nothing else."""
    return tmp_path_factory.mktemp("hostile-server-tmp")


@pytest.fixture(scope="session")
def server(
    demo_store: Store, tmp_path_factory: pytest.TempPathFactory, server_tmp: Path
) -> Iterator[str]:
    """Base URL of the dashboard the hostile suite attacks, on a copy of the demo store. No
    attack loads anything: once the server has stopped, its store must be as it was copied."""
    folder = tmp_path_factory.mktemp("hostile")
    store = Store(copy_store(demo_store, folder / "hostile.duckdb"))
    before = _store_fingerprint(store)
    with serve(store.working, folder / "streamlit.log", env={"TMPDIR": str(server_tmp)}) as url:
        yield url
    assert _store_fingerprint(store) == before, "an attack on the server changed its store"


def _store_fingerprint(store: Store) -> tuple[str, dict]:
    """Which snapshot readers see, and the working database's tables."""
    with duckdb.connect(str(store.working), read_only=True) as con:
        return str(store.current().path), fingerprint(con)


@pytest.fixture(autouse=True)
def server_survives(server: str) -> Iterator[None]:
    """Whatever a test threw at the app, the shared server still answers afterwards."""
    yield
    assert is_healthy(server), "the dashboard server stopped answering its health check"


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile company (company.py) loaded, refreshed and published; its working file."""
    with fast_models():
        return company.store(tmp_path_factory.mktemp("hostile-company"))


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """(rows, order-independent hash of all rows) of every canonical table and the ingest log."""
    return {
        table: tuple(
            con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from {table} as t").fetchone()
        )
        for table in TABLES
    }
