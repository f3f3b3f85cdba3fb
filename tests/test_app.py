import ast

import pytest
from streamlit.testing.v1 import AppTest

from salesdash import i18n, ingest
from salesdash.store import Store
from tests import page_checks
from tests.conftest import APP, LOAD_DAY


def test_app_starts_on_the_demo_data_with_the_freshness_line(app):
    at = app.run()
    assert not at.exception
    assert any("15 Nov 2026" in c.value for c in at.caption)


def test_app_renders_in_chinese(app):
    at = app
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert any("数据截至" in c.value for c in at.caption)


def test_the_filters_survive_a_rerun_and_land_in_the_url(app):
    at = app.run()
    at.sidebar.selectbox(key="f_period").set_value("ytd").run()
    at.run()
    assert at.query_params["period"] == "ytd"
    assert at.sidebar.selectbox(key="f_period").value == "ytd"


def test_a_copied_url_reproduces_the_filters(app):
    at = app
    at.query_params.update(
        {"period": "custom", "from": "2025-03-01", "to": "2025-03-31", "region": "East"}
    )
    at.run()
    assert not at.exception
    scope = at.session_state["_scope"]
    assert (scope.start_date.isoformat(), scope.end_date.isoformat()) == (
        "2025-03-01",
        "2025-03-31",
    )
    assert scope.regions == ("East",)


def _values(params, key: str) -> list[str]:
    """A query parameter as a list (AppTest gives one value as a string, several as a list)."""
    value = params[key]
    return [value] if isinstance(value, str) else list(value)


def test_region_and_channel_choices_land_in_the_url_and_a_new_session_gets_them_back(app):
    at = app.run()
    at.sidebar.multiselect(key="f_region").select("East").run()
    at.sidebar.multiselect(key="f_channel").select("online").select("store").run()
    at.sidebar.selectbox(key="f_period").set_value("this_quarter").run()
    url = {key: _values(at.query_params, key) for key in ("period", "region", "channel")}
    assert url == {"period": ["this_quarter"], "region": ["East"], "channel": ["online", "store"]}

    copied = AppTest.from_file(str(APP), default_timeout=120)
    copied.query_params.update(url)
    copied.run()
    scope = copied.session_state["_scope"]
    assert scope.regions == ("East",)
    assert scope.channels == ("online", "store")
    assert (scope.start_date.isoformat(), scope.end_date.isoformat()) == (
        "2026-10-01",
        "2026-11-15",
    )


def test_the_filter_bar_leaves_other_query_parameters_alone(app):
    at = app
    at.query_params.update({"period": "ytd", "rep": "Wang Ling", "tab": "2"})
    at.run()
    at.sidebar.selectbox(key="f_period").set_value("last_month").run()
    assert _values(at.query_params, "rep") == ["Wang Ling"]
    assert _values(at.query_params, "tab") == ["2"]
    assert _values(at.query_params, "period") == ["last_month"]


def test_unknown_values_in_the_url_fall_back_to_the_defaults(app):
    at = app
    at.query_params.update({"period": "forever", "region": ["Atlantis", "East"], "lang": "fr"})
    at.run()
    assert not at.exception
    scope = at.session_state["_scope"]
    assert at.sidebar.selectbox(key="f_period").value == "last_12_months"
    assert scope.regions == ("East",)
    assert (scope.start_date.isoformat(), scope.end_date.isoformat()) == (
        "2025-12-01",
        "2026-11-15",
    )
    assert at.session_state["lang"] == "en"


def test_chinese_formats_dates_and_labels_the_filters_in_chinese(app):
    at = app
    at.query_params.update({"lang": "zh", "period": "this_month"})
    at.run()
    assert at.sidebar.selectbox(key="f_period").label == "时间段"
    captions = [c.value for c in at.caption]
    assert "2026年11月1日 至 2026年11月15日" in captions
    assert any(c.startswith("数据截至 2026年11月15日") for c in captions)


def test_the_language_stays_for_the_session_when_the_page_changes(app):
    at = app
    at.query_params["lang"] = "zh"
    at.run()
    at.query_params.clear()
    at.switch_page("app_pages/data.py").run()
    assert at.session_state["lang"] == "zh"
    assert at.title[0].value == "数据"


PAGES = sorted(
    p.name for p in (APP.parent / "app_pages").glob("*.py") if not p.name.startswith("_")
)


@pytest.fixture(scope="session")
def data_names(demo_reader) -> set[str]:
    """The demo data's own names (regions, reps, products, customers, …): a Chinese page may show
    them as they are."""
    columns = {
        "orders": ("region", "channel", "sales_rep", "product", "category", "customer_id"),
        "customers": ("customer_name", "city", "segment", "email"),
        "teams": ("manager",),
        "targets": ("owner", "note"),
        "opportunities": ("lost_reason", "source"),
        "ingest_log": ("file_name", "user_name"),
    }
    return {
        str(value)
        for table, names in columns.items()
        for name in names
        for (value,) in demo_reader.execute(
            f"select distinct {name} from {table} where {name} is not null"
        ).fetchall()
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo_data_in_both_languages(
    app, no_fitting, data_names, page, lang
):
    """... from what the refresh step stored: no page fits a model on view. Every table cell reads
    as a formatted figure or "—" (never "None", "nan" or a raw float), and a page in Chinese shows
    no English word but the data's own names and ``page_checks.ALLOWED_WORDS`` (issue 15)."""
    app.query_params["lang"] = lang
    at = app.run().switch_page(f"app_pages/{page}").run()
    assert not at.exception
    assert at.session_state["lang"] == lang
    # the page itself drew: its title and a chart or a table of the demo data (the Watch page:
    # its cards, counted in the first metric, of the risks planted in the demo)
    drawn = at.get("plotly_chart") or at.dataframe
    if page == "watch.py":
        drawn = int(at.metric[0].value) > 0 and at.get("link_button")
    assert len(at.title) == 1 and drawn
    assert any(c.value.startswith(i18n.t("app.freshness", lang).split(" {")[0]) for c in at.caption)
    assert page_checks.bad_cells(at) == []
    if lang == "zh":
        assert page_checks.english_words(at, data_names) == []


def test_the_no_fitting_guard_catches_a_forecast_nobody_stored(no_fitting, demo_reader):
    """The guard the page test above relies on: asking for what no refresh stored fits, and
    fitting raises."""
    from datetime import date

    from salesdash import forecast, targets
    from salesdash.scope import Scope

    forecast.hierarchy_forecast(demo_reader, Scope(), freq="M")  # stored: read, not fitted
    with pytest.raises(AssertionError, match="fitted"):
        forecast.hierarchy_forecast(demo_reader, Scope(), freq="M", horizon=5)
    with pytest.raises(AssertionError, match="fitted"):
        targets.year_outlook(demo_reader, Scope(), as_of=date(2026, 5, 15))


def test_the_navigation_lists_every_page_with_an_icon():
    """A page file the navigation forgets is unreachable (a merge once dropped the Watch page)."""
    tree = ast.parse(APP.read_text("utf-8"))
    literal = {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in ("SECTIONS", "ICONS")
    }
    listed = [name for names in literal["SECTIONS"].values() for name in names]
    assert sorted(listed) == sorted(page.removesuffix(".py") for page in PAGES)
    assert set(literal["ICONS"]) == set(listed)


def test_the_quick_picks_count_back_from_the_datas_last_day_not_from_today(tmp_path, monkeypatch):
    """A company whose export ends in June 1998 sees June 1998 under "this month", whatever day
    it is today (issue 15: a 1997–98 file left the Overview on "last 12 months" of nothing)."""
    export = tmp_path / "orders.csv"
    export.write_text(
        "order_id,order_date,region,revenue\nA1,1997-03-02,East,10\nA2,1998-06-20,East,30\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "company.duckdb")
    with store.writing("a company's 1997-98 export") as con:
        ingest.ingest_file(con, export, "orders", load_day=LOAD_DAY)
    monkeypatch.setenv("SALESDASH_DB", str(store.working))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["period"] = "this_month"
    at.run()
    assert not at.exception
    scope = at.session_state["_scope"]
    assert (scope.start_date.isoformat(), scope.end_date.isoformat()) == (
        "1998-06-01",
        "1998-06-20",
    )
    at.sidebar.selectbox(key="f_period").set_value("last_12_months").run()
    scope = at.session_state["_scope"]
    assert (scope.start_date.isoformat(), scope.end_date.isoformat()) == (
        "1997-07-01",
        "1998-06-20",
    )
