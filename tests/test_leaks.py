"""Nothing leaks: signed in as the manager of one region, or as a rep, every page they may open
(every Explore view, every Customers tab, every Forecast level), every download and the
executive one-page export name no other region (nor, for a rep, another rep), and their totals
equal plain queries of that region, or that rep, alone. A hand-edited URL asking for another
region still shows only theirs. Pages run under AppTest with Streamlit's sign-in seeded
(``at.user``) and ``[auth]`` configured (``at.secrets``), on a copy of the demo store whose
access list grants them."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from streamlit.elements.widgets.button import ButtonMixin
from streamlit.testing.v1 import AppTest

from salesdash import access, charts, db, fmt, forecast, i18n
from salesdash.store import Store
from tests.conftest import APP, copy_store

MANAGER = "mia@example.com"
REP = "kai@example.com"
REP_NAME = "Zhang Kai"  # an East rep of the demo company
REGION = "East"
OTHER_REGIONS = ("Central", "North", "Northeast", "Northwest", "South", "Southwest")
# A sign-in configuration: present is what matters (AppTest seeds the signed-in user itself).
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-of-some-length",
    "client_id": "salesdash",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}
EXPLORE_VIEWS = ("breakdown", "compare", "trend", "pareto", "channels")


@pytest.fixture(scope="module")
def granted_store(demo_store, tmp_path_factory) -> Store:
    """The demo store, with the manager of East, an East rep and an executive on its list."""
    path = copy_store(demo_store, tmp_path_factory.mktemp("leaks") / "salesdash.duckdb")
    store = Store(path)
    with store.writing("grants of the leak test") as con:
        access.grant(con, MANAGER, "manager", regions=(REGION,))
        access.grant(con, REP, "rep", sales_rep=REP_NAME)
        access.grant(con, "eve@example.com", "executive")
    return store


@pytest.fixture
def downloads(monkeypatch) -> dict[str, str]:
    """Every download a page offers, opened (file name → its text; also under the name without
    the period and filters it carries, ``ui.download_suffix``: "revenue_by_region.csv"), and the
    executive export's figure as JSON under "executive-export"."""
    opened: dict[str, str] = {}
    original = ButtonMixin.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        content = data() if callable(data) else data
        opened[file_name] = opened[_VIEW.sub("", file_name)] = _text_of(file_name, content)
        return original(self, label, data, file_name, *args, **kwargs)

    def figure(fig, kind):
        opened["executive-export"] = fig.to_json()
        return b"%PDF-1.4 stand-in" if kind == "pdf" else b"\x89PNG stand-in"

    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    monkeypatch.setattr(charts.executive, "export_bytes", figure)
    return opened


# The period (one or two ISO dates) and the filters a download's name carries before its suffix.
_VIEW = re.compile(r"(_\d{4}-\d{2}-\d{2}){1,2}(_[^.]*)?(?=\.\w+$)")


def _text_of(name: str, content: bytes | str) -> str:
    if name.endswith(".xlsx"):
        return pd.read_excel(io.BytesIO(content), engine="calamine").to_csv(index=False)
    if name.endswith((".png", ".pdf")):
        return ""  # the figure is checked instead (see ``downloads``)
    return content.decode("utf-8-sig") if isinstance(content, bytes) else content


@pytest.fixture
def signed_in(granted_store, monkeypatch):
    """``signed_in(email, **url)``: an AppTest of app.py for that person, run once."""
    monkeypatch.setenv("SALESDASH_DB", str(granted_store.working))

    def make(email: str, **url) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=240)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
        at.query_params.update(url)
        return at.run()

    return make


def _texts(at: AppTest) -> str:
    """Everything the run drew: every element's and block's message, and tables as CSV."""
    out = []

    def walk(node) -> None:
        out.append(str(getattr(node, "proto", "")))
        if getattr(node, "type", None) == "arrow_data_frame":
            out.append(node.value.to_csv())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def _names(text: str, names: tuple[str, ...]) -> set[str]:
    return {n for n in names if re.search(rf"\b{re.escape(n)}\b", text)}


def _visit_everything(at: AppTest) -> dict[str, str]:
    """Run every page the navigation offers, every Explore view and Forecast level; return
    what each drew (page → text)."""
    drawn = {}
    pages = [p.name for p in (APP.parent / "app_pages").glob("*.py") if p.stem[0] != "_"]
    for page in sorted(pages):
        try:
            at.switch_page(f"app_pages/{page}")
        except ValueError:  # not in this user's navigation
            continue
        at.run()
        assert not at.exception, (page, at.exception)
        drawn[page] = _texts(at)
        if page == "explore.py":
            for view in EXPLORE_VIEWS:
                at.session_state["ex_view_tab"] = view
                drawn[f"explore:{view}"] = _texts(at.run())
        if page == "forecast.py":
            for level in at.segmented_control(key="fc_level").options:
                at.segmented_control(key="fc_level").set_value(level).run()
                drawn[f"forecast:{level}"] = _texts(at)
    return drawn


def _plain(con, sql: str, **params) -> float:
    return float(db.scalar(con, sql, params) or 0.0)


@pytest.fixture(scope="module")
def plain(granted_store):
    with granted_store.reader() as con:
        yield con


# --- a manager of one region ------------------------------------------------------------------


def test_a_manager_sees_only_their_region_on_every_page_download_and_export(
    signed_in, downloads, plain
):
    at = signed_in(MANAGER)
    scope = at.session_state["_scope"]
    assert scope.allowed_regions == (REGION,)
    drawn = _visit_everything(at)
    assert "data.py" not in drawn and "admin.py" not in drawn
    assert {"overview.py", "explore.py", "executive.py", "forecast.py"} <= set(drawn)
    for page, text in drawn.items():
        assert not _names(text, OTHER_REGIONS), page
    assert {"revenue_by_region.csv", "team_scorecards.csv", "executive-export"} <= set(downloads)
    for name, text in downloads.items():
        assert not _names(text, OTHER_REGIONS), name

    # every total equals the plain query of the region alone
    range_sql = "select sum(revenue) from orders where region = $r and order_date between $a and $b"
    period = {"r": REGION, "a": scope.start_date, "b": scope.end_date}
    revenue = _plain(plain, range_sql, **period)
    by_region = pd.read_csv(io.StringIO(downloads["revenue_by_region.csv"]))
    assert by_region["Region"].tolist() == [REGION]
    assert by_region["Revenue (CNY)"].iloc[0] == pytest.approx(revenue, abs=0.01)
    reps = pd.read_csv(io.StringIO(downloads["team_scorecards.csv"]))
    assert set(reps["Region"]) == {REGION}
    assert reps["Revenue (CNY)"].sum() == pytest.approx(
        _plain(plain, range_sql + " and sales_rep is not null", **period), abs=0.01
    )
    created = pd.read_csv(io.StringIO(downloads["funnel-by-region.csv"]))
    assert created["region"].tolist() == [REGION]
    assert created["n_created"].iloc[0] == _plain(
        plain,
        "select count(*) from opportunities where region = $r and created_date between $a and $b",
        **period,
    )
    export = downloads["executive-export"]
    year_to_date = _plain(
        plain, range_sql, r=REGION, a=date(scope.end_date.year, 1, 1), b=scope.end_date
    )
    assert fmt.money(year_to_date, "en") in export
    assert "Your regions together: East" in export and "Company" not in export


def test_a_managers_totals_on_the_overview_are_their_regions(signed_in, plain):
    at = signed_in(MANAGER)
    scope = at.session_state["_scope"]
    revenue = _plain(
        plain,
        "select sum(revenue) from orders where region = $r and order_date between $a and $b",
        r=REGION,
        a=scope.start_date,
        b=scope.end_date,
    )
    shown = {m.label: m.value for m in at.metric}
    assert shown["Revenue"] == fmt.money(revenue, "en")
    assert any(c.value == f"You see: {REGION}" for c in at.sidebar.caption)


def test_a_managers_forecast_is_their_regions_stored_paths_summed(granted_store, plain):
    """No fit for the manager: the stored company forecast's East series, as it is."""
    manager = access.scope_for(access.User(MANAGER, "manager", (REGION,)))
    with granted_store.reader() as con:
        full = forecast.select(forecast.hierarchy_forecast(con, access.Scope()), "region")
        mine = forecast.hierarchy_forecast(con, manager)
    total = mine.history[mine.history["level"] == "total"].set_index("ds")["y"]
    monthly = plain.execute(
        "select date_trunc('month', order_date) as ds, sum(revenue) as y from orders"
        " where region = ? group by ds",
        [REGION],
    ).df()
    monthly = monthly.set_index(pd.to_datetime(monthly["ds"]))["y"]
    assert (total - monthly.reindex(total.index)).abs().max() < 0.01
    east = full.forecast[full.forecast["unique_id"] == REGION]["yhat"].to_numpy()
    summed = mine.forecast[mine.forecast["level"] == "total"]["yhat"].to_numpy()
    assert summed == pytest.approx(east, abs=0.01)
    assert set(mine.keys) == {("total", REGION), ("region", REGION)}


def test_a_hand_edited_url_asking_for_another_region_shows_the_managers_own(signed_in):
    at = signed_in(MANAGER, region=["West", "North"], channel="online")
    scope = at.session_state["_scope"]
    assert scope.regions == () and scope.effective_regions() == (REGION,)
    assert any("may not see" in w.value for w in at.warning)
    assert not _names(_texts(at), OTHER_REGIONS)
    at.query_params["drill"] = "region:North"
    at.switch_page("app_pages/explore.py").run()
    assert at.session_state["ex_path"] == ()
    assert any("leads outside" in w.value for w in at.warning)
    assert not _names(_texts(at), OTHER_REGIONS)


# --- a rep -------------------------------------------------------------------------------------


def test_a_rep_sees_only_their_own_sales_everywhere(signed_in, downloads, plain):
    at = signed_in(REP)
    scope = at.session_state["_scope"]
    assert scope.allowed_rep == REP_NAME
    other_reps = tuple(
        r for (r,) in plain.execute("select sales_rep from teams").fetchall() if r != REP_NAME
    )
    drawn = _visit_everything(at)
    assert "executive.py" not in drawn and "data.py" not in drawn
    assert "Forecast my sales" in drawn["forecast.py"]  # fitted when asked, not on view
    for page, text in drawn.items():
        assert not _names(text, OTHER_REGIONS), page
        assert not _names(text, other_reps), page
    for name, text in downloads.items():
        assert not _names(text, OTHER_REGIONS + other_reps), name
    period = {"p": REP_NAME, "a": scope.start_date, "b": scope.end_date}
    revenue = _plain(
        plain,
        "select sum(revenue) from orders where sales_rep = $p and order_date between $a and $b",
        **period,
    )
    by_region = pd.read_csv(io.StringIO(downloads["revenue_by_region.csv"]))
    assert by_region["Revenue (CNY)"].sum() == pytest.approx(revenue, abs=0.01)
    (card,) = pd.read_csv(io.StringIO(downloads["team_scorecards.csv"])).to_dict(orient="records")
    assert (card["Sales rep"], card["Revenue (CNY)"]) == (
        REP_NAME,
        pytest.approx(revenue, abs=0.01),
    )
    customers = _plain(
        plain,
        "select count(distinct customer_id) from orders where sales_rep = $p and order_date <= $b",
        p=REP_NAME,
        b=scope.end_date,
    )
    care = downloads.get("care_list.csv", "")
    assert care == "" or not _names(care, OTHER_REGIONS + other_reps)
    at.switch_page("app_pages/customers.py").run()
    shown = {m.label.split(",")[0]: m.value for m in at.metric}
    assert shown["Customers"] == fmt.count(customers)


# --- no sign-in on an address others can reach ----------------------------------------------------


def test_without_sign_in_an_address_others_can_reach_serves_no_data(demo_db):
    """The embedded default listens on localhost; made to listen on every interface without
    [auth], the app shows one line on how to configure sign-in and nothing else."""
    from streamlit import config

    at = AppTest.from_file(str(APP), default_timeout=60)
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at.run()
    finally:
        config.set_option("server.address", before)
    assert [e.value for e in at.error] == [i18n.t("access.refused", "en")]
    assert not at.metric and not at.dataframe and not at.sidebar.multiselect
    assert "sign-in" in at.error[0].value and "[auth]" in at.error[0].value


def test_on_localhost_without_sign_in_the_one_local_user_is_admin_and_is_told(app):
    at = app.run()
    assert at.session_state["_user"] == access.LOCAL_USER
    assert at.session_state["_user"].role == "admin"
    assert any("Sign-in not configured" in m.value for m in at.sidebar.markdown)


# --- the Access page ------------------------------------------------------------------------------


def test_an_admin_grants_and_revokes_on_the_access_page_and_each_change_is_logged(
    writable_app, writable_db
):
    at = writable_app.switch_page("app_pages/admin.py").run()
    assert not at.exception
    main = at.main
    main.text_input[0].input("Max@Example.com")
    main.selectbox[0].select("manager")
    main.multiselect[0].select(REGION)
    next(b for b in main.button if b.label == "Save access").click().run()
    assert not at.exception
    assert any("max@example" in s.value and "manager" in s.value for s in at.success)
    store = Store(writable_db)
    with store.reader() as con:
        assert access.user_for(con, "max@example.com").regions == (REGION,)
    at.main.selectbox(key="access_revoke").select("max@example.com")
    next(b for b in at.main.button if b.label == "Revoke access").click().run()
    with store.reader() as con:
        assert access.user_for(con, "max@example.com") is None
        log = access.changes(con)
    assert log["action"].tolist() == ["revoke", "grant"]
    assert set(log["changed_by"]) == {access.LOCAL_USER.email}
