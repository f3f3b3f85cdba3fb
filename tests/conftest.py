"""Shared fixtures: real DuckDB databases (never mocks), tiny inline data, the demo set, AppTest.

The demo company is loaded, refreshed (rollups, forecasts) and published once per test session
(``demo_store``): page tests read that one store as every dashboard process would, and its
stored forecasts, so no page test fits a model. Tests that write get a copy of it
(``writable_db``), whose refresh after their write fits by seasonal naive (``fast_models``);
unit tests get an in-memory copy (``demo_con``). Tests whose writes run in another process (a
server, the command line) write to a ``small_store``, too short to forecast.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from salesdash import db, ingest, rollups
from salesdash.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
# Small fixtures derived from the real Maven CRM export (see tests/data/README.md).
MAVEN = ROOT / "tests" / "data" / "maven-crm"
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


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The demo company, loaded, refreshed and published once for the whole session (read it;
    never write to it: use ``writable_db``)."""
    store = Store(tmp_path_factory.mktemp("demo-store") / "salesdash.duckdb")
    with store.writing("test session: loading the demo company") as con:
        ingest.seed_demo(con, load_day=LOAD_DAY)
    return store


@pytest.fixture(scope="session")
def demo_reader(demo_store: Store) -> Iterable[duckdb.DuckDBPyConnection]:
    """A read-only connection to the demo store's snapshot, as the pages and the CLI read it."""
    connection = demo_store.reader()
    yield connection
    connection.close()


@pytest.fixture
def demo_con(demo_store: Store) -> Iterable[duckdb.DuckDBPyConnection]:
    """An in-memory copy of the published demo database, free to change."""
    connection = duckdb.connect(":memory:")
    connection.execute("attach ? as published (read_only)", [str(demo_store.current().path)])
    connection.execute("copy from database published to memory")
    connection.execute("detach published")
    yield connection
    connection.close()


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: list[dict],
    batch_id: int = 0,
    *,
    refresh: bool = True,
) -> None:
    """Insert hand-written rows (dicts of canonical columns) straight into a table; rows of the
    tables the rollups summarise are rolled up at once (as the refresh step after a load does),
    unless ``refresh`` is False."""
    frame = pd.DataFrame(rows)
    frame.insert(0, "batch_id", batch_id)
    con.register("_rows", frame)
    con.execute(f"insert into {table} by name select * from _rows")
    con.unregister("_rows")
    if refresh and table in rollups.SOURCE_KINDS:
        rollups.refresh(con)


@pytest.fixture
def insert() -> Callable[..., None]:
    """``insert(con, "orders", [{...}, ...])``: tiny inline data for hand-checked tests."""
    return insert_rows


@pytest.fixture
def maven() -> Path:
    """The Maven CRM export's fixtures: every 10th opportunity, the teams, the products."""
    return MAVEN


@pytest.fixture
def no_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way to fit a forecast raises: what runs under it reads stored results only.

    Replaces the per-series fit, the parallel dispatcher and the targets' path simulator wherever
    a salesdash module holds them, and forgets what this process computed on demand, so that a
    result found is one the refresh step stored in the published snapshot."""
    import sys

    from salesdash import stored
    from salesdash.forecast import models, parallel

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a forecast was fitted where only stored results may be read")

    fitting = {id(models.forecast_series), id(models.simulate_paths), id(parallel.fit_many)}
    for name, module in list(sys.modules.items()):
        if name.startswith("salesdash"):
            for attr, value in list(vars(module).items()):
                if id(value) in fitting:
                    monkeypatch.setattr(module, attr, refuse)
    stored.clear_local()


@contextmanager
def fast_models() -> Iterator[None]:
    """Every forecast by seasonal naive while the block runs (the refresh's stored forecasts and
    month paths, and any asked for on demand), for tests about loads, names and pages, not
    models: the ensemble's refits after a write into a copy of the demo took minutes on a busy
    machine. Thin series stay too thin to forecast.

    The fits run in this process (one forecast worker): a worker process would import the real
    ``forecast_series``, not this one."""
    from salesdash.forecast import models, parallel

    fit = models.forecast_series

    def snaive(*args, **kwargs):
        return fit(*args, **{**kwargs, "method": "snaive"})

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(parallel.WORKERS_ENV, "1")
        for name, module in list(sys.modules.items()):
            if name.startswith("salesdash") and getattr(module, "forecast_series", None) is fit:
                patch.setattr(module, "forecast_series", snaive)
        yield


@pytest.fixture
def quick_forecasts() -> Iterator[None]:
    """``fast_models`` for one test."""
    with fast_models():
        yield


def small_store(folder: Path, last_day: date = date(2026, 11, 15)) -> Store:
    """A store of its own in ``folder``, published: two batches of orders of three regions (the
    first 1 Oct – 31 Oct, the second 1 Nov – ``last_day``), two months, too short to forecast, so
    a write's refresh fits nothing (for writers in another process, where ``fast_models`` cannot
    reach)."""
    store = Store(folder / "small.duckdb")
    header = "order_id,line_no,order_date,customer_id,region,channel,revenue"
    months = ((date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 11, 1), last_day))
    with store.writing("test: a small store") as con:
        for batch, (first, last) in enumerate(months):
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            lines = [
                f"S{batch}-{i},1,{day},C{i % 40},{('East', 'West', 'North')[i % 3]},online,"
                f"{100 + i}"
                for i, day in enumerate(days * 3)
            ]
            path = folder / f"small-{batch}.csv"
            path.write_text("\n".join([header, *lines]) + "\n", "utf-8")
            ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    return store


@pytest.fixture
def demo_db(demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared demo store's database file, set as $SALESDASH_DB for the app (read only)."""
    monkeypatch.setenv("SALESDASH_DB", str(demo_store.working))
    return demo_store.working


def cli_ingest(db_path: Path, file: Path) -> subprocess.Popen:
    """``python -m salesdash --db DB ingest FILE --kind orders`` started in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "salesdash", "--db", str(db_path), "ingest", str(file)]
        + ["--kind", "orders"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def copy_store(source: Store, path: Path) -> Path:
    """A store at ``path`` holding what ``source`` holds (working file and snapshots)."""
    shutil.copyfile(source.working, path)
    shutil.copytree(source.published_dir, Store(path).published_dir)
    return path


@pytest.fixture
def writable_db(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_forecasts: None
) -> Path:
    """A copy of the demo store of this test's own, as $SALESDASH_DB: the test may load, undo
    and edit (the refresh after a write fits by seasonal naive, ``fast_models``)."""
    path = copy_store(demo_store, tmp_path / "salesdash.duckdb")
    monkeypatch.setenv("SALESDASH_DB", str(path))
    return path


def _app_test():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=120)


@pytest.fixture
def app(demo_db: Path):
    """An AppTest of app.py on the shared demo store (call ``.run()``; ``switch_page`` to move)."""
    return _app_test()


@pytest.fixture
def writable_app(writable_db: Path):
    """An AppTest of app.py on a copy of the demo store the test may change."""
    return _app_test()
