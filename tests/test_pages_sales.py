"""The sales pages under AppTest on the demo database, in English and Chinese."""

from datetime import date

import pytest

from salesdash import fmt, kpis
from salesdash.scope import Scope

# The default period: the last 12 months up to the last order date of the demo data.
LAST_12 = Scope(date(2025, 12, 1), date(2026, 11, 15))


def _open(app, page: str, lang: str = "en"):
    app.query_params["lang"] = lang
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _charts(at) -> int:
    return len(at.get("plotly_chart"))


def _expected_revenue(con, scope: Scope) -> str:
    return fmt.money(kpis.kpis(con, scope).revenue, "en")


@pytest.mark.parametrize(("lang", "title"), [("en", "Sales overview"), ("zh", "销售概览")])
def test_overview_shows_the_cards_and_charts(app, lang, title):
    at = _open(app, "overview", lang)
    assert at.title[0].value == title
    assert len(at.metric) == 7  # the demo has closed deals, so the win rate card shows
    assert _charts(at) == 3  # trend, by region, by channel
    assert len(at.dataframe) == 2


def test_overview_cards_follow_the_region_filter(app, demo_reader):
    all_regions = _expected_revenue(demo_reader, LAST_12)
    east = _expected_revenue(
        demo_reader, Scope(LAST_12.start_date, LAST_12.end_date, regions=("East",))
    )
    at = _open(app, "overview")
    assert at.metric[0].value == all_regions
    at.sidebar.multiselect(key="f_region").set_value(["East"]).run()
    assert at.metric[0].value == east != all_regions
    assert "YoY" in at.caption[-1].value or any("YoY" in c.value for c in at.caption)


def test_overview_says_so_when_the_range_has_no_sales(app):
    # Northwest's stores sold nothing on the first two days of October 2026 in the demo (a range
    # outside the data is clamped into it, so the empty range is one inside it)
    app.query_params.update(
        {"period": "custom", "from": "2026-10-01", "to": "2026-10-02"}
        | {"region": "Northwest", "channel": "store"}
    )
    at = _open(app, "overview")
    assert at.info and "No sales" in at.info[0].value
    assert len(at.metric) == 0


@pytest.mark.parametrize(("lang", "title"), [("en", "Explore sales"), ("zh", "销售探索")])
def test_explore_renders_the_breakdown_view(app, lang, title):
    at = _open(app, "explore", lang)
    assert at.title[0].value == title
    assert _charts(at) == 1 and len(at.dataframe) == 1
    assert len(at.dataframe[0].value) == 7  # the seven regions


def test_explore_draws_every_view(app):
    at = _open(app, "explore")
    for view in ("breakdown", "compare", "trend", "pareto", "channels"):
        at.segmented_control(key="ex_view_tab").set_value(view).run()
        assert not at.exception, view
        assert _charts(at) == 1, view
        assert len(at.dataframe) == 1, view
        assert at.query_params["view"] in (view, [view])


def test_the_channel_view_compares_the_three_channels(app):
    at = _open(app, "explore")
    at.segmented_control(key="ex_view_tab").set_value("channels").run()
    assert at.dataframe[0].value.iloc[:, 0].tolist() == [
        "Direct sales team",
        "Own stores",
        "Online shop",
    ]


def test_choosing_a_value_drills_down_and_writes_the_path_into_the_url(app):
    at = _open(app, "explore")
    at.selectbox(key="ex_pick_0_region").set_value("East").run()
    assert not at.exception
    assert at.session_state["ex_path"] == (("region", "East"),)
    assert at.query_params["drill"] in ("region:East", ["region:East"])
    assert at.query_params["dim"] in ("sales_rep", ["sales_rep"])
    assert at.selectbox(key="ex_pick_1_sales_rep") is not None


def test_a_drill_path_in_the_url_is_applied(app):
    app.query_params.update({"drill": ["region:East", "sales_rep:Xu Jun"], "dim": "customer"})
    at = _open(app, "explore")
    assert at.session_state["ex_path"] == (("region", "East"), ("sales_rep", "Xu Jun"))
    assert at.selectbox(key="ex_pick_2_customer") is not None
    assert "Region: East" in [b.label for b in at.button]


def test_the_region_filter_changes_the_explore_breakdown(app):
    at = _open(app, "explore")
    before = at.dataframe[0].value
    at.sidebar.multiselect(key="f_region").set_value(["North"]).run()
    after = at.dataframe[0].value
    assert len(before) == 7 and after.iloc[:, 0].tolist() == ["North"]


@pytest.mark.parametrize(("lang", "title"), [("en", "Team scorecards"), ("zh", "团队业绩考核")])
def test_team_shows_the_scorecards_distribution_and_managers(app, lang, title):
    at = _open(app, "team", lang)
    assert at.title[0].value == title
    assert _charts(at) == 1
    reps, managers = at.dataframe[0].value, at.dataframe[1].value
    assert len(reps) == 61  # every demo rep sold in the last 12 months
    assert len(managers) == 10


def test_team_follows_the_region_filter(app):
    at = _open(app, "team")
    at.sidebar.multiselect(key="f_region").set_value(["East"]).run()
    reps = at.dataframe[0].value
    assert set(reps.iloc[:, 1]) == {"East"}  # the region column


@pytest.mark.parametrize("page", ["overview", "explore", "team"])
def test_a_single_day_renders_on_every_page(app, page):
    app.query_params.update({"period": "custom", "from": "2026-11-13", "to": "2026-11-13"})
    at = _open(app, page)
    assert not at.error
    assert _charts(at) == {"overview": 3, "explore": 1, "team": 1}[page]
    if page == "overview":
        assert any("single day" in c.value for c in at.caption)
        assert len(at.metric) >= 6
