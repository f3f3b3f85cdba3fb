"""The browser tests: the real server (`streamlit run app.py`) driven by Debian's Chromium.

``server`` starts one dashboard per test session on a free localhost port, on a copy of the demo
store the session publishes once (tests/conftest.py); ``page`` is a fresh Playwright page on it.
Tests that change data use ``own_page``: a server on a small store of their own.
Screenshots go to ``test-artifacts/`` (``shot(page, name)``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import copy_store, small_store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(
    db_path: Path, log_path: Path, env: dict | None = None, port: int | None = None
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on ``db_path`` on a free localhost port (or ``port``); yield
    its base URL. ``env`` adds to the server's environment (the hostile suite gives it its own
    TMPDIR; the sign-in test its secrets file, whose redirect URI names the port)."""
    port = port or free_port()
    env = {**os.environ, **(env or {}), "SALESDASH_DB": str(db_path)}
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not is_healthy(url):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit did not start within {START_TIMEOUT_S}s; see {log_path}"
                    )
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def is_healthy(url: str) -> bool:
    """Whether the server at ``url`` answers its health check."""
    try:
        return urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def server(demo_store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running dashboard on a copy of the demo store, for tests that only read."""
    folder = tmp_path_factory.mktemp("e2e")
    path = copy_store(demo_store, folder / "e2e.duckdb")
    with serve(path, folder / "streamlit.log") as url:
        yield url


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[str]:
    """Base URL of a dashboard of this test's own on a small store of its own (``small_store``,
    whose refresh after a write fits nothing): for tests that load, undo or edit (the shared
    ``server`` stays as the demo is)."""
    with serve(small_store(tmp_path).working, tmp_path / "streamlit.log") as url:
        yield url


# The one Playwright and browser of the test process: the hostile suite's conftest imports the
# fixture below, which makes it a second session fixture, and a second sync Playwright started
# while the first runs fails ("Sync API inside the asyncio loop"). The instance that started
# them stops them.
_SHARED: dict = {}


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; a missing browser fails in CI and skips elsewhere."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is not installed (.ci/run installs it)")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    started = not _SHARED
    if started:
        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    yield _SHARED["browser"]
    if started:
        _SHARED.pop("browser").close()
        _SHARED.pop("playwright").stop()


def _page(browser, base: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.base = base
    return context, pg


@pytest.fixture
def page(browser, server):
    """A fresh browser page (1400×900) with the shared server's base URL as ``page.base``."""
    context, pg = _page(browser, server)
    yield pg
    context.close()


@pytest.fixture
def own_page(browser, own_server):
    """A fresh browser page on a server and store of this test's own (``own_server``)."""
    context, pg = _page(browser, own_server)
    yield pg
    context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the script and drawn every element.

    The freshness caption is drawn by app.py on every page once the script has started (before
    it, the page is an empty shell and the checks below pass too early); 'Running…'
    (stStatusWidget) shows while the script runs; grey placeholders (stSkeleton) show until lazily
    loaded widgets such as tables and the file uploader are drawn.
    """
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
    page.wait_for_function(
        "() => !document.querySelector("
        '\'[data-testid="stStatusWidget"], [data-testid="stSkeleton"]\')',
        timeout=60_000,
    )


def shot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def table_rows(table) -> list[list[str]]:
    """The rows a st.dataframe shows, as text, read from the grid's accessible (hidden) cells.

    The grid draws on a canvas and fills its accessible table once it is scrolled into view;
    only the rows it has drawn are there, so this reads the first screenful.
    """
    table.scroll_into_view_if_needed()
    table.locator('[role="gridcell"]').first.wait_for(state="attached")
    rows = table.locator('[role="row"]:has([role="gridcell"])')
    return [row.locator('[role="gridcell"]').all_inner_texts() for row in rows.all()]
