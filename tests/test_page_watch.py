"""The Watch page: stored alerts as cards, filters, links with filters set, acknowledge, snooze."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from salesdash import alerts
from salesdash.store import Store
from tests.test_alerts_store import alert, save

PAGE = "app_pages/watch.py"


def stored_alerts() -> list[alerts.Alert]:
    quiet = alert("quiet-east", severity="warning", region="East", money=5000.0)
    drop = replace(
        alert("drop-west", severity="critical", region="West", money=90000.0),
        kind="revenue_out_of_range",
        owner_kind="region",
        owner="West",
        subject="West",
        facts={
            "grain": "month",
            "direction": "below",
            "period_start_date": "2026-10-01",
            "period_end_date": "2026-10-31",
            "actual_amount": 60000.0,
            "median_amount": 150000.0,
            "lo95_amount": 120000.0,
            "hi95_amount": 180000.0,
            "shortfall_share": 0.6,
            "distance": 3.0,
        },
        response="revenue_below",
        link=alerts.Link.for_period(
            "explore", date(2026, 10, 1), date(2026, 10, 31), region="West"
        ),
        target_label="West · revenue · 2026-Q4",
        p_hit=0.55,
        p_hit_if_lost=0.2,
    )
    return [drop, quiet]


@pytest.fixture
def watch(writable_db):
    """A copy of the demo store with two alerts stored and published (as a refresh leaves it)."""
    with Store(writable_db).writing("alerts for the test") as con:
        save(con, stored_alerts(), now=datetime(2026, 11, 16, 8, 0))
    return writable_db


def published_state(path) -> list[tuple]:
    """What the published snapshot says people did with the alerts."""
    con = Store(path).reader()
    rows = con.execute("select alert_key, status, snoozed_until from alert_state").fetchall()
    con.close()
    return rows


def open_watch(app):
    at = app.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def cards(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(":material/")]


def link_urls(at) -> list[str]:
    return [e.proto.url for e in at.get("link_button")]


def test_the_page_lists_the_stored_alerts_most_costly_first_with_links(writable_app, watch):
    app = writable_app
    at = open_watch(app)
    assert at.title[0].value == "Watch"
    heads = cards(at)
    assert "Revenue out of range" in heads[0] and "Customer going quiet" in heads[1]
    texts = " ".join(m.value for m in at.markdown)
    assert "60% short" in texts.replace("\\", "")
    assert "West · revenue · 2026-Q4" in texts.replace("\\", "")
    assert link_urls(at) == [
        "explore?period=custom&from=2026-10-01&to=2026-10-31&region=West&lang=en",
        "explore?drill=customer%3AA&lang=en",
    ]
    assert [m.value for m in at.metric][:3] == ["2", "1", "1"]


def test_the_filters_narrow_the_list(writable_app, watch):
    app = writable_app
    at = open_watch(app)
    at.multiselect(key="w_kind").select("customer_quiet").run()
    assert len(cards(at)) == 1 and "Customer going quiet" in cards(at)[0]
    at.multiselect(key="w_kind").unselect("customer_quiet").run()
    at.multiselect(key="w_region").select("West").run()
    assert len(cards(at)) == 1 and "Revenue out of range" in cards(at)[0]


def test_acknowledge_puts_an_alert_aside_and_the_toggle_brings_it_back(writable_app, watch):
    app = writable_app
    at = open_watch(app)
    at.button(key="ack-drop-west").click().run()
    assert not at.exception
    assert len(cards(at)) == 1
    assert published_state(watch) == [("drop-west", "acknowledged", None)]
    at.toggle(key="w_hidden").set_value(True).run()
    assert len(cards(at)) == 2
    assert any("Acknowledged by" in c.value for c in at.caption)
    at.button(key="reopen-drop-west").click().run()
    at.toggle(key="w_hidden").set_value(False).run()
    assert len(cards(at)) == 2


def test_snooze_hides_an_alert_until_the_chosen_day(writable_app, watch):
    app = writable_app
    at = open_watch(app)
    until = date.today() + timedelta(days=3)
    at.date_input(key="until-quiet-east").set_value(until).run()
    at.button(key="snooze-quiet-east").click().run()
    assert not at.exception
    assert len(cards(at)) == 1
    assert published_state(watch) == [("quiet-east", "snoozed", until)]


def test_the_page_speaks_chinese(writable_app, watch):
    app = writable_app
    app.query_params["lang"] = "zh"
    at = open_watch(app)
    assert at.title[0].value == "监控与风险"
    assert "收入超出预测区间" in cards(at)[0]


def test_before_the_first_refresh_the_page_says_how_alerts_come(writable_app, writable_db):
    from salesdash import db

    with Store(writable_db).writing("a store from before the alerts") as con, db.transaction(con):
        con.execute("delete from alerts")
        con.execute("delete from alert_runs")
        db.mark_changed(con)
    at = open_watch(writable_app)
    assert "computed after each load" in at.info[0].value
