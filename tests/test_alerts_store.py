"""The stored alerts: refresh writes them, people acknowledge and snooze them, and that state
outlives loads, undo and later refreshes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from salesdash import alerts, ingest, rollups
from salesdash.alerts import store
from salesdash.alerts.model import Alert, Link
from salesdash.errors import InputError
from salesdash.scope import Scope
from tests.test_alerts import FixedForecasts, outlook

NOW = datetime(2025, 6, 30, 9, 0)
AS_OF = date(2025, 6, 29)


def alert(key="k1", severity="warning", money=100.0, region="East", kind="customer_quiet"):
    return Alert(
        kind=kind,
        key=key,
        severity=severity,
        owner_kind="sales_rep",
        owner="R1",
        subject="A",
        as_of=AS_OF,
        facts={
            "customer_name": "Acme",
            "last_order_date": "2025-04-30",
            "silence_days": 60,
            "quantile_gap_days": 10,
            "mean_gap_days": 9.5,
            "p_silence": 0.0018,
            "year_amount": money,
        },
        region=region,
        money_at_stake=money,
        response="call_customer",
        link=Link("explore", (("drill", "customer:A"),)),
    )


def save(con, alerts_, now=NOW, version="1:0"):
    store.save(con, alerts_, [], data_version=version, as_of=AS_OF, now=now)


def shown(con, on=AS_OF, scope=None) -> dict[str, str]:
    frame = alerts.stored_alerts(con, on=on, scope=scope)
    return dict(
        zip(
            frame.loc[frame["is_shown"], "alert_key"],
            frame.loc[frame["is_shown"], "state"],
            strict=True,
        )
    )


def test_a_refresh_replaces_the_alerts_and_an_alert_keeps_the_day_it_was_first_seen(con):
    save(con, [alert("k1"), alert("k2")])
    save(con, [alert("k1", money=120.0), alert("k3")], now=NOW + timedelta(days=1))
    frame = alerts.stored_alerts(con, on=AS_OF).set_index("alert_key")
    assert sorted(frame.index) == ["k1", "k3"]
    assert frame.loc["k1", "first_seen_at"] == NOW
    assert frame.loc["k3", "first_seen_at"] == NOW + timedelta(days=1)
    assert frame.loc["k1", "money_at_stake"] == 120.0
    assert frame.loc["k1", "facts"]["year_amount"] == 120.0
    assert frame.loc["k1", "link_params"] == (("drill", "customer:A"),)
    assert alerts.last_run(con).computed_at == NOW + timedelta(days=1)


def test_an_acknowledged_alert_stays_away_until_it_gets_worse(con):
    save(con, [alert("k1", severity="warning", money=100.0)])
    alerts.set_state(con, "k1", "acknowledge", user="ana@example.com", now=NOW)
    assert shown(con) == {}
    frame = alerts.stored_alerts(con, on=AS_OF)
    assert (frame["state"][0], frame["state_user"][0]) == ("acknowledged", "ana@example.com")
    save(con, [alert("k1", severity="warning", money=124.0)])  # +24%: drift
    assert shown(con) == {}
    save(con, [alert("k1", severity="warning", money=126.0)])  # +26%: worse
    assert shown(con) == {"k1": "acknowledged"}
    save(con, [alert("k1", severity="critical", money=50.0)])  # more severe: worse
    assert shown(con) == {"k1": "acknowledged"}


def test_a_snoozed_alert_comes_back_when_the_snooze_ends_or_it_gets_worse(con):
    save(con, [alert("k1")])
    alerts.set_state(con, "k1", "snooze", user=None, now=NOW, until=date(2025, 7, 7))
    assert shown(con, on=date(2025, 7, 7)) == {}
    assert shown(con, on=date(2025, 7, 8)) == {"k1": "open"}
    save(con, [alert("k1", severity="critical")])
    assert shown(con, on=date(2025, 7, 1)) == {"k1": "snoozed"}
    alerts.set_state(con, "k1", "reopen", user=None, now=NOW)
    assert shown(con, on=date(2025, 7, 1)) == {"k1": "open"}


def test_state_changes_are_refused_with_a_reason(con):
    save(con, [alert("k1")])
    with pytest.raises(InputError, match="no open alert nope"):
        alerts.set_state(con, "nope", "acknowledge", user=None, now=NOW)
    with pytest.raises(InputError, match="a day after today"):
        alerts.set_state(con, "k1", "snooze", user=None, now=NOW, until=NOW.date())
    with pytest.raises(InputError, match="unknown action"):
        alerts.set_state(con, "k1", "delete", user=None, now=NOW)


def test_state_survives_a_load_and_its_undo(con, tmp_path):
    save(con, [alert("k1")])
    alerts.set_state(con, "k1", "snooze", user="ana", now=NOW, until=date(2025, 8, 1))
    path = tmp_path / "orders.csv"
    path.write_text("order_id,order_date,revenue\nX1,2025-06-01,10\n", encoding="utf-8")
    result = ingest.ingest_file(con, path, "orders", load_day=date(2025, 6, 2))
    ingest.undo_batch(con, result.batch_id)
    frame = alerts.stored_alerts(con, on=AS_OF)
    assert (frame["state"][0], str(frame["snoozed_until"][0].date())) == ("snoozed", "2025-08-01")


def test_a_scope_sees_its_regions_and_only_an_unrestricted_one_sees_company_alerts(con):
    save(con, [alert("east"), alert("west", region="West"), alert("firm", region=None)])
    assert set(shown(con)) == {"east", "west", "firm"}
    assert set(shown(con, scope=Scope(allowed_regions=("East",)))) == {"east"}
    assert set(shown(con, scope=Scope(regions=("West",)))) == {"west"}
    assert shown(con, scope=Scope(allowed_regions=())) == {}


def test_refresh_keeps_each_targets_chance_per_data_version_and_reports_the_fall(con):
    # Version 1: East's quarter at 90%; version 2 (a load): 60% → fell 30 points → pace alert.
    first = outlook(totals=np.r_[np.full(9, 120.0), 80.0])
    second = outlook(totals=np.r_[np.full(6, 120.0), np.full(4, 80.0)])
    con.execute(
        "insert into orders values (1, 'o1', 1, date '2025-06-01', 'A', 'East', 'store', 'R1', 'P', 'C', 1, 10, 10, null, null)"
    )
    rollups.refresh(con)
    alerts.refresh(con, AS_OF, now=NOW, forecasts=FixedForecasts(outlooks=(first,)))
    assert "target_pace" not in set(alerts.stored_alerts(con, on=AS_OF)["kind"])
    con.execute(
        "insert into ingest_log values (7, 'orders', 'f.csv', 'x', null, null, 1, 0, 0, null, ?, null, null)",
        [NOW],
    )
    found = alerts.refresh(
        con, AS_OF, now=NOW + timedelta(hours=1), forecasts=FixedForecasts(outlooks=(second,))
    )
    (fell,) = [a for a in found if a.kind == "target_pace"]
    assert fell.p_hit_change == pytest.approx(-0.3)
    assert (fell.severity, fell.facts["p_hit_before"]) == ("info", 0.9)
    # the same version again compares with version 1 still, not with itself
    again = alerts.refresh(
        con, AS_OF, now=NOW + timedelta(hours=2), forecasts=FixedForecasts(outlooks=(second,))
    )
    assert [a.p_hit_change for a in again if a.kind == "target_pace"] == [pytest.approx(-0.3)]


def test_the_clock_refresh_replaces_only_the_data_alerts(con):
    save(con, [alert("k1"), replace(alert("old"), kind="load_overdue")])
    for i in range(4):
        con.execute(
            "insert into ingest_log values (?, 'orders', 'f.csv', 'x', null, null, 10, 0, 0, 'ana', ?, null, null)",
            [i + 1, datetime(2025, 5, 5, 6) + timedelta(days=7 * i)],
        )
    found = alerts.refresh_clock(con, now=datetime(2025, 6, 30, 9))
    assert [a.kind for a in found] == ["load_overdue"]
    keys = set(alerts.stored_alerts(con, on=AS_OF)["alert_key"])
    assert keys == {"k1", found[0].key}
