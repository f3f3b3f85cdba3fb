"""The browser tests: the real server (`streamlit run app.py`) driven by Debian's Chromium.

``server`` starts one dashboard per test session on a free localhost port against a temporary
database (seeded with the demo data on first start); ``page`` is a fresh Playwright page.
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(db_path: Path, log_path: Path, env: dict | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port against ``db_path``; yields its base URL.

    ``env`` adds variables to the server's environment (e.g. TMPDIR)."""
    port = _free_port()
    env = {**os.environ, **(env or {}), "SALESDASH_DB": str(db_path)}
    log = log_path.open("w")
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
    deadline = time.monotonic() + START_TIMEOUT_S
    while not is_healthy(url):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(f"streamlit did not start within {START_TIMEOUT_S}s; see {log.name}")
        time.sleep(0.5)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def is_healthy(url: str) -> bool:
    """Whether the server at ``url`` answers its health check."""
    try:
        return urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running dashboard on a temporary database."""
    db_path = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    with running_server(db_path, tmp_path_factory.getbasetemp() / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; a missing browser fails in CI and skips elsewhere."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is not installed (.ci/run installs it)")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser page (1400×900) with the server's base URL as ``page.base``."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.base = server
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
