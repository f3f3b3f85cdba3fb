"""The hostile suite: every attack of issue 13, generated in the test, with its one-line refusal.

One real dashboard (`streamlit run app.py`) serves the whole suite; after every test it must still
answer its health check (``server_survives``). ``fingerprint`` is what "the database is
unchanged" compares: every canonical table and the ingest log, row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest

from salesdash import config, db, ingest, targets
from salesdash.forecast import hierarchy
from tests.conftest import LOAD_DAY
from tests.e2e.conftest import browser, is_healthy, page, running_server  # noqa: F401

TABLES = (*config.KINDS, "ingest_log")


@pytest.fixture(scope="session")
def server_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's TMPDIR: where its upload folders must be, and nothing else."""
    return tmp_path_factory.mktemp("hostile-server-tmp")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, server_tmp: Path) -> Iterator[str]:
    """Base URL of the dashboard the hostile suite attacks, on the demo data. No attack loads
    anything: once the server has stopped, its database must be as it was seeded."""
    db_path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    with db.connect(db_path) as con:
        ingest.seed_demo(con, load_day=LOAD_DAY)
        seeded = fingerprint(con)
    log = tmp_path_factory.getbasetemp() / "hostile-streamlit.log"
    with running_server(db_path, log, env={"TMPDIR": str(server_tmp)}) as url:
        yield url
    with duckdb.connect(str(db_path)) as con:
        assert fingerprint(con) == seeded, "an attack on the server changed its database"


@pytest.fixture(autouse=True)
def server_survives(server: str) -> Iterator[None]:
    """Whatever a test threw at the app, the shared server still answers afterwards."""
    yield
    assert is_healthy(server), "the dashboard server stopped answering its health check"


@pytest.fixture
def quick_forecasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forecasts by seasonal naive only: this suite is about names, not models, and the ensemble's
    fits took minutes on a busy machine (until issue 12 stores forecasts, pages fit them)."""
    fit = hierarchy.forecast_series
    monkeypatch.setattr(
        hierarchy, "forecast_series", lambda *a, **kw: fit(*a, **{**kw, "method": "snaive"})
    )
    monkeypatch.setattr(targets, "default_simulator", lambda: _seasonal_naive_paths)


def _seasonal_naive_paths(y, horizon, *, freq, n_paths=1000, seed=0):
    """Last year's periods again, ±10% noise (as tests/test_pages_targets.py)."""
    rng = np.random.default_rng(seed)
    base = np.resize(y.to_numpy()[-12:], horizon)
    return base * (1 + rng.normal(0, 0.1, (n_paths, horizon)))


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """(rows, order-independent hash of all rows) of every canonical table and the ingest log."""
    return {
        table: tuple(
            con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from {table} as t").fetchone()
        )
        for table in TABLES
    }
