"""Roles, the access list and the checks on every write (salesdash/access.py), on real DuckDB
stores: who may write, what is refused with the database unchanged, who did what."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from salesdash import access, alerts, db, ingest, settings, targets
from salesdash.access import User
from salesdash.alerts import send
from salesdash.cli import main
from salesdash.errors import AccessDenied, InputError
from salesdash.scope import NO_REGION, NO_REP, Scope
from salesdash.store import Store
from tests.conftest import copy_store

ADMIN = User("ada@example.com", "admin")
ANALYST = User("ann@example.com", "analyst")
EXECUTIVE = User("eve@example.com", "executive")
MANAGER = User("max@example.com", "manager", regions=("East",))
REP = User("rex@example.com", "rep", sales_rep="Li Na")
LOAD_DAY = date(2025, 3, 1)
ORDERS = "order_id,order_date,customer_id,region,sales_rep,revenue\n"


def _orders_csv(path: Path, *rows: str) -> Path:
    path.write_text(ORDERS + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store with two orders (East by Li Na, West by Wu) loaded from the command line, built
    once: each test gets a copy (``store``)."""
    folder = tmp_path_factory.mktemp("access")
    store = Store(folder / "company.duckdb")
    csv = _orders_csv(
        folder / "o.csv", "A,2025-01-05,C1,East,Li Na,10", "B,2025-01-06,C2,West,Wu,5"
    )
    with store.writing("first load") as con:
        ingest.ingest_file(con, csv, "orders", load_day=LOAD_DAY)
    return store


@pytest.fixture
def store(loaded: Store, tmp_path: Path) -> Store:
    return Store(copy_store(loaded, tmp_path / "company.duckdb"))


@contextmanager
def acting_as(store: Store, user: User) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working database tagged for ``user`` as ``Store.writing`` tags it, without the
    refresh and publication a writer ends with (the write functions' own checks and records
    are what is tested)."""
    con = db.connect(store.working)
    try:
        access.tag_writer(con, user)
        yield con
    finally:
        con.close()


def _state(store: Store) -> tuple:
    """Everything a refused write must leave as it was: rows, batches, grants in the working
    database, and the publication."""
    con = db.connect(store.working, read_only=True)
    try:
        return (
            db.scalar(con, "select count(*) from orders"),
            db.scalar(con, "select count(*) from ingest_log where undone_at is null"),
            db.scalar(con, "select count(*) from targets"),
            db.scalar(con, "select count(*) from access_grants"),
            store.current().number,
        )
    finally:
        con.close()


# --- roles become scopes ---------------------------------------------------------------------


def test_admin_analyst_and_executive_see_everything():
    for user in (ADMIN, ANALYST, EXECUTIVE, access.LOCAL_USER):
        assert access.scope_for(user) == Scope()
        assert not access.scope_for(user).restricted


def test_a_manager_sees_their_regions_and_a_rep_their_own_sales():
    assert access.scope_for(MANAGER).params()["regions"] == ["East"]
    rep = access.scope_for(REP).params()
    assert rep["sales_reps"] == ["Li Na"] and rep["regions"] == []
    assert not rep["all_scopes"]
    narrowed = access.scope_for(User("r@x.com", "rep", regions=("East",), sales_rep="Li Na"))
    assert narrowed.params()["regions"] == ["East"]


def test_a_manager_without_regions_or_a_rep_without_a_name_sees_nothing():
    assert access.scope_for(User("m@x.com", "manager")).params()["regions"] == [NO_REGION]
    assert access.scope_for(User("r@x.com", "rep")).params()["sales_reps"] == [NO_REP]


def test_a_rep_choosing_another_rep_sees_nothing():
    scope = Scope(sales_reps=("Wu",), allowed_rep="Li Na")
    assert scope.params()["sales_reps"] == [NO_REP]


def test_scoped_sql_of_a_manager_and_a_rep_counts_only_their_rows(store):
    with store.reader() as con:
        sql = (
            "select coalesce(sum(revenue), 0) from orders"
            " where in_list($regions, region) and in_list($sales_reps, sales_rep)"
        )

        def total(user: User) -> float:
            params = access.scope_for(user).params()
            return con.execute(sql, {k: params[k] for k in ("regions", "sales_reps")}).fetchall()[
                0
            ][0]

        assert total(ADMIN) == 15.0
        assert total(User("m@x.com", "manager", regions=("West",))) == 5.0
        assert total(REP) == 10.0


# --- serving without sign-in ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "sign_in", "trusted", "mode"),
    [
        ("localhost", False, False, "local"),
        ("127.0.0.1", False, False, "local"),
        ("::1", False, False, "local"),
        ("0.0.0.0", False, False, "refuse"),
        ("", False, False, "refuse"),  # Streamlit's default: every interface
        (None, False, False, "refuse"),
        ("192.168.1.20", False, False, "refuse"),
        ("192.168.1.20", False, True, "local"),
        ("0.0.0.0", True, False, "sign_in"),
        ("localhost", True, False, "sign_in"),
    ],
)
def test_without_sign_in_only_a_local_or_declared_trusted_address_serves_data(
    address, sign_in, trusted, mode
):
    assert access.serving_mode(address, sign_in=sign_in, trusted_network=trusted) == mode


# --- the access list ---------------------------------------------------------------------------


def test_a_grant_is_listed_and_logged_with_who_made_it(store):
    with store.writing("grant", user=ADMIN) as con:
        access.grant(con, " Max@Example.com ", "manager", regions=("East", "North", "East"))
    with store.reader() as con:
        assert access.user_for(con, "max@example.com") == User(
            "max@example.com", "manager", ("East", "North")
        )
        (row,) = access.changes(con).to_dict(orient="records")
    assert (row["changed_by"], row["action"], row["email"]) == (ADMIN.email, "grant", MANAGER.email)
    assert row["regions"] == ("East", "North")


def test_revoking_takes_someone_off_the_list_and_logs_it(store):
    with acting_as(store, access.LOCAL_USER) as con:
        access.grant(con, REP.email, "rep", sales_rep="Li Na")
        assert access.revoke(con, REP.email)
        assert not access.revoke(con, "nobody@example.com")
        assert access.user_for(con, REP.email) is None
        log = access.changes(con)
    assert log["action"].tolist() == ["revoke", "grant"]
    assert set(log["changed_by"]) == {access.LOCAL_USER.email}


@pytest.mark.parametrize(
    ("email", "role", "regions", "rep", "reason"),
    [
        ("not-an-email", "analyst", (), None, "not an email"),
        ("a@x.com", "boss", (), None, "unknown role"),
        ("a@x.com", "manager", (), None, "at least one --region"),
        ("a@x.com", "rep", (), None, "needs --rep"),
        ("a@x.com", "executive", ("East",), None, "managers and reps only"),
        ("a@x.com", "manager", ("East",), "Li Na", "rep role only"),
    ],
)
def test_a_grant_that_makes_no_sense_is_refused_in_one_line(
    store, email, role, regions, rep, reason
):
    before = _state(store)
    with acting_as(store, access.LOCAL_USER) as con, pytest.raises(InputError, match=reason):
        access.grant(con, email, role, regions=regions, sales_rep=rep)
    assert _state(store) == before


def test_an_admin_cannot_change_their_own_access_on_a_page(store):
    with acting_as(store, access.LOCAL_USER) as con:
        access.grant(con, ADMIN.email, "admin")
    with acting_as(store, ADMIN) as con, pytest.raises(AccessDenied, match="own"):
        access.revoke(con, ADMIN.email)


# --- writes refused below the pages -----------------------------------------------------------


@pytest.mark.parametrize("user", [MANAGER, EXECUTIVE, REP], ids=lambda u: u.role)
def test_a_user_who_may_change_nothing_gets_no_writer(store, tmp_path, user):
    before = _state(store)
    with pytest.raises(AccessDenied, match=user.role), store.writing("load", user=user):
        pytest.fail("the writer should not have opened")
    assert _state(store) == before


@pytest.mark.parametrize("user", [MANAGER, EXECUTIVE, REP], ids=lambda u: u.role)
def test_every_write_function_refuses_them_and_the_database_is_unchanged(store, tmp_path, user):
    """Even on a connection of their own (a page that forgot to hide its button, or one that
    reached the writer another way), each write function checks the user it acts for."""
    more = _orders_csv(tmp_path / "more.csv", "C,2025-02-01,C3,East,Li Na,7")
    edit = pd.DataFrame(
        [[date(2025, 1, 1), date(2025, 12, 31), "company", "", "revenue", 100.0, None, None]],
        columns=list(targets.COLUMNS),
    )
    writes = {
        "ingest": lambda con: ingest.ingest_file(con, more, "orders", load_day=LOAD_DAY),
        "undo": lambda con: ingest.undo_batch(con, 1),
        "target edit": lambda con: targets.save_edits(con, edit),
        "grant": lambda con: access.grant(con, "new@example.com", "analyst"),
        "revoke": lambda con: access.revoke(con, "new@example.com"),
        "remove the demo": lambda con: settings.write(con, "demo", "removed"),
        "acknowledge": lambda con: alerts.set_state(
            con, "an-alert", "acknowledge", user=user.email, now=datetime.now()
        ),
    }
    before = _state(store)
    con = db.connect(store.working)
    try:
        # the tag Store.writing puts on a writer's connection, naming them (it would refuse
        # to open one for them: see the test above)
        tag = {"email": user.email, "role": user.role, "name": None}
        con.execute("set variable salesdash_writer = ?", [json.dumps(tag)])
        for name, write in writes.items():
            with pytest.raises(AccessDenied, match=user.role):
                write(con)
            assert db.scalar(con, "select count(*) from orders") == 2, name
    finally:
        con.close()
    assert _state(store) == before


def test_an_analyst_writes_data_but_may_not_manage_access(store):
    with acting_as(store, ANALYST) as con:
        with pytest.raises(AccessDenied, match="manage access"):
            access.grant(con, "new@example.com", "admin")
        ingest.undo_batch(con, 1)
        assert db.scalar(con, "select count(*) from access_grants") == 0
        assert db.scalar(con, "select count(*) from orders") == 0


# --- audit -----------------------------------------------------------------------------------


def test_each_load_undo_and_target_edit_records_who_did_it(store, tmp_path):
    more = _orders_csv(tmp_path / "more.csv", "C,2025-02-01,C3,East,Li Na,7")
    edit = pd.DataFrame(
        [[date(2025, 1, 1), date(2025, 12, 31), "region", "East", "revenue", 100.0, None, None]],
        columns=list(targets.COLUMNS),
    )
    with acting_as(store, ANALYST) as con:
        loaded = ingest.ingest_file(con, more, "orders", load_day=LOAD_DAY).batch_id
        edited = targets.save_edits(con, edit)
    with acting_as(store, ADMIN) as con:
        ingest.undo_batch(con, loaded)
        log = ingest.list_batches(con).set_index("batch_id")
    assert log.loc[1, "user_name"] == access.LOCAL_USER.email  # the command line's first load
    assert log.loc[loaded, "user_name"] == ANALYST.email
    assert log.loc[loaded, "undone_by"] == ADMIN.email
    assert log.loc[edited, "user_name"] == ANALYST.email
    assert pd.isna(log.loc[edited, "undone_by"])


# --- the command line --------------------------------------------------------------------------


def _run(capsys, store: Store, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(store.working), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_access_commands_grant_list_revoke_and_log(store, capsys):
    status, out, _ = _run(
        capsys,
        store,
        "access",
        "grant",
        "max@example.com",
        "--role",
        "manager",
        "--region",
        "East",
        "--region",
        "Nowhere",
    )
    assert status == 0
    assert out.splitlines() == [
        "max@example.com is manager (East, Nowhere)",
        "note: no orders in Nowhere yet: check the spelling",
    ]
    _, out, _ = _run(capsys, store, "access", "list", "--json")
    (grant,) = json.loads(out)
    assert (grant["role"], grant["regions"], grant["granted_by"]) == (
        "manager",
        ["East", "Nowhere"],
        access.LOCAL_USER.email,
    )
    assert _run(capsys, store, "access", "revoke", "max@example.com")[1].startswith("max@")
    _, out, _ = _run(capsys, store, "access", "log", "--json")
    assert [c["action"] for c in json.loads(out)] == ["revoke", "grant"]


def test_as_email_shows_what_that_person_would_see(store, capsys):
    _run(
        capsys, store, "access", "grant", "max@example.com", "--role", "manager", "--region", "West"
    )
    _run(capsys, store, "access", "grant", REP.email, "--role", "rep", "--rep", "Li Na")
    _, out, _ = _run(capsys, store, "kpis", "--json")
    assert json.loads(out)["current"]["revenue"] == 15.0
    _, out, _ = _run(capsys, store, "--as", "max@example.com", "kpis", "--json")
    assert json.loads(out)["current"]["revenue"] == 5.0
    _, out, _ = _run(capsys, store, "kpis", "--json", "--as", REP.email)
    assert json.loads(out)["current"]["revenue"] == 10.0


def test_as_email_of_someone_not_on_the_list_or_for_a_change_is_one_line(store, capsys):
    status, _, err = _run(capsys, store, "--as", "who@example.com", "kpis")
    assert (
        status == 2
        and err.strip()
        == "error: who@example.com is not on the access list: they would see nothing"
    )
    status, _, err = _run(capsys, store, "--as", "who@example.com", "undo", "1")
    assert status == 2 and err.count("\n") == 1 and "--as" in err
    assert _state(store)[1] == 1


def test_a_manager_may_not_list_the_loads_or_the_access_list(store, capsys):
    _run(capsys, store, "access", "grant", MANAGER.email, "--role", "manager", "--region", "East")
    for command in (["batches"], ["access", "list"]):
        status, _, err = _run(capsys, store, "--as", MANAGER.email, *command)
        assert status == 2 and "may not" in err and err.count("\n") == 1


# --- the alerts digest ----------------------------------------------------------------------------


def test_a_digest_goes_to_what_the_recipients_role_may_see(store):
    manager = send.Recipient(MANAGER.email, "email")
    with acting_as(store, access.LOCAL_USER) as con:
        # nobody on the list (no sign-in): the entry's regions, as configured
        assert send.recipient_scope(con, manager) == Scope()
        access.grant(con, MANAGER.email, "manager", regions=("East", "North"))
        access.grant(con, REP.email, "rep", sales_rep="Li Na")
        assert send.recipient_scope(con, manager).params()["regions"] == ["East", "North"]
        narrowed = send.Recipient(MANAGER.email, "email", regions=("North", "West"))
        assert send.recipient_scope(con, narrowed).params()["regions"] == ["North"]
        rep = send.recipient_scope(con, send.Recipient(REP.email, "email")).params()
        assert (rep["regions"], rep["sales_reps"]) == ([], ["Li Na"])
        stranger = send.Recipient("who@example.com", "email")
        assert send.recipient_scope(con, stranger).params()["regions"] == [NO_REGION]
        webhook = send.Recipient("https://hooks.example.com/x", "webhook", regions=("West",))
        assert send.recipient_scope(con, webhook).params()["regions"] == ["West"]
