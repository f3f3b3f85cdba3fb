"""Sign-in through a real OpenID Connect provider (oidc-provider-mock, started here on localhost):
the dashboard's server is configured with ``[auth]`` in a secrets file of the test's own, and
people sign in through the provider's own form in headless Chromium.

- a manager of East sees East only, and signs out;
- an executive sees every region;
- someone not on the access list sees the "ask an admin for access" page and no data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from oidc_provider_mock import run_server_in_thread

from salesdash import access
from salesdash.store import Store
from tests.conftest import copy_store
from tests.e2e.conftest import free_port, serve, shot, wait_for_app

pytestmark = pytest.mark.e2e

MANAGER = "mia@example.com"
EXECUTIVE = "eve@example.com"
OTHER_REGIONS = ("Central", "North", "Northeast", "Northwest", "South", "Southwest")


@pytest.fixture(scope="module")
def signed_in_server(demo_store, tmp_path_factory) -> Iterator[str]:
    """A dashboard on a copy of the demo store that grants a manager of East and an executive,
    signing in through a local OpenID Connect provider; its base URL."""
    folder = tmp_path_factory.mktemp("sign-in")
    store = Store(copy_store(demo_store, folder / "salesdash.duckdb"))
    with store.writing("grants of the sign-in test") as con:
        access.grant(con, MANAGER, "manager", regions=("East",))
        access.grant(con, EXECUTIVE, "executive")
    port = free_port()
    with run_server_in_thread() as provider:
        issuer = f"http://localhost:{provider.server_port}"
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-cookie-secret-for-the-sign-in-test"\n'
            'client_id = "salesdash"\n'
            'client_secret = "salesdash-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {"STREAMLIT_SECRETS_FILES": str(secrets)}
        with serve(store.working, folder / "streamlit.log", env=env, port=port) as url:
            yield url


@pytest.fixture
def visitor(browser, signed_in_server):
    """A fresh browser (no cookies) on the signed-in server."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.base = signed_in_server
    yield pg
    context.close()


def _sign_in(page, email: str) -> None:
    page.goto(page.base)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/oauth2/authorize"))
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"^" + re.escape(page.base)))


def _sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_a_manager_signs_in_sees_only_their_region_and_signs_out(visitor):
    _sign_in(visitor, MANAGER)
    wait_for_app(visitor)
    visitor.get_by_text("You see: East").wait_for()
    assert f"Signed in as {MANAGER} · manager" in _sidebar(visitor)
    visitor.goto(visitor.base + "/explore")
    wait_for_app(visitor)
    text = visitor.locator("body").inner_text()
    assert "East" in text
    assert not [r for r in OTHER_REGIONS if re.search(rf"\b{r}\b", text)]
    shot(visitor, "sign-in-manager-explore")
    visitor.get_by_role("button", name="Sign out").click()
    # the provider's own end-of-session page, then back to the dashboard, signed out
    visitor.get_by_role("button", name="End session").click()
    visitor.get_by_role("button", name="Sign in").wait_for()
    assert "East" not in visitor.locator("body").inner_text()
    visitor.goto(visitor.base + "/explore")  # the session cookie is gone: no data by URL
    visitor.get_by_role("button", name="Sign in").wait_for()
    assert "East" not in visitor.locator("body").inner_text()


def test_an_executive_sees_every_region(visitor):
    _sign_in(visitor, EXECUTIVE)
    visitor.goto(visitor.base + "/explore")
    wait_for_app(visitor)
    assert f"Signed in as {EXECUTIVE} · executive" in _sidebar(visitor)
    text = visitor.locator("body").inner_text()
    assert all(re.search(rf"\b{r}\b", text) for r in ("East", *OTHER_REGIONS))


def test_someone_not_on_the_list_is_asked_to_ask_an_admin(visitor):
    _sign_in(visitor, "stranger@example.com")
    visitor.get_by_text("Ask an admin for access").wait_for()
    visitor.get_by_role("button", name="Sign out").wait_for()
    text = visitor.locator("body").inner_text()
    assert "stranger@example.com" in text
    assert not [r for r in ("East", *OTHER_REGIONS) if re.search(rf"\b{r}\b", text)]
    shot(visitor, "sign-in-ask-for-access")
