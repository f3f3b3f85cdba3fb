"""The demo company is kept apart from a company's own data: shown, labelled as fictional, only
while the company has none; replaced by the first load; removed in one action."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from salesdash import db, ingest, settings
from salesdash.store import Store
from tests.conftest import _app_test, copy_store

ORDERS = (
    "order_id,order_date,customer_id,region,revenue\n"
    "K1,2026-10-02,Z1,Atlantis,500\n"
    "K2,2026-10-03,Z2,Atlantis,250\n"
)


@pytest.fixture
def company(tmp_path: Path, demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A company store with nothing loaded yet, its demo companion already published (a copy
    of the session's demo store, so that the test does not build the demo again)."""
    store = Store(tmp_path / "company.duckdb")
    copy_store(demo_store, store.demo().working)
    monkeypatch.setenv("SALESDASH_DB", str(store.working))
    return store


def _load(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, "utf-8")
    with store.writing("the company's first load") as con:
        ingest.ingest_file(con, path, "orders", load_day=date(2026, 11, 27))


def _banner(at) -> bool:
    return any("fictional demo company" in i.value for i in at.info)


def test_the_demo_is_shown_only_while_the_company_has_no_data(company, tmp_path):
    assert company.shows_demo()  # nothing published
    with company.writing("nothing yet"):
        pass
    assert company.shows_demo()
    _load(company, tmp_path)
    assert not company.shows_demo()


def test_every_page_says_the_demo_is_fictional_and_the_first_load_replaces_it(company, tmp_path):
    at = _app_test().run()
    assert not at.exception
    assert _banner(at)
    assert "Atlantis" not in at.sidebar.multiselect(key="f_region").options
    _load(company, tmp_path)
    at = _app_test().run()
    assert not _banner(at)
    # the company's own data only: the demo's regions are gone, its orders never merged
    assert at.sidebar.multiselect(key="f_region").options == ["Atlantis"]
    with company.reader() as con:
        assert db.scalar(con, "select count(*) from orders") == 2


def test_removing_the_demo_is_one_action_and_leaves_an_empty_company(company):
    with company.writing("remove the demo") as con:
        settings.write(con, "demo", "removed")
    assert not company.shows_demo()
    at = _app_test().run()
    assert not _banner(at)
    assert any("No orders loaded yet" in c.value for c in at.caption)


def test_an_unknown_setting_is_refused_in_one_line(company):
    with (
        pytest.raises(ValueError, match="setting 'demo' cannot be 'maybe'"),
        company.writing("bad setting") as con,
    ):
        settings.write(con, "demo", "maybe")


def _data_page():
    return _app_test().run().switch_page("app_pages/data.py").run()


def _load_button(at):
    return next(b for b in at.button if b.label.startswith("Load"))


def test_the_data_page_asks_once_before_the_first_load_replaces_the_demo(company):
    at = _data_page()
    assert any("demo company is shown" in m.value for m in at.markdown)
    assert any("belong to the demo company" in i.value for i in at.info)  # no demo undo offered
    assert not [b for b in at.button if b.key == "undo_ask"]
    at.file_uploader[0].set_value(("orders.csv", ORDERS.encode(), "text/csv")).run()
    assert _load_button(at).disabled
    at.checkbox[0].check().run()
    _load_button(at).click().run()
    assert not at.exception
    assert not company.shows_demo()
    with company.reader() as con:
        assert db.scalar(con, "select count(*) from orders") == 2
        assert db.scalar(con, "select count(distinct region) from orders") == 1


def test_remove_the_demo_is_one_button_and_it_can_be_shown_again(company):
    at = _data_page()
    at.button(key="demo_remove").click().run()
    assert not at.exception
    assert not company.shows_demo()
    assert not _banner(at)
    at.button(key="demo_show").click().run()
    assert company.shows_demo()
    assert _banner(at)
