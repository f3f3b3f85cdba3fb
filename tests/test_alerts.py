"""Each alert rule against a case small enough to compute by hand, on a real DuckDB."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from salesdash import alerts, rollups
from salesdash.alerts import cadence, concentration, pace, pipeline, quiet, revenue
from salesdash.alerts.context import Context
from salesdash.alerts.forecasts import TargetOutlook
from salesdash.alerts.impact import attach_targets
from salesdash.alerts.model import Alert, Link
from salesdash.alerts.text import format_facts, what
from salesdash.errors import InputError
from tests.conftest import insert_rows

NOW = datetime(2025, 6, 30, 9, 0)


@dataclass(frozen=True)
class FixedForecasts:
    """A forecast source with answers written down: the rules, not the models, are tested."""

    intervals: dict[str, pd.DataFrame] = field(default_factory=dict)
    outlooks: tuple[TargetOutlook, ...] = ()

    def interval_before(self, con, freq, period_start):
        return self.intervals.get(freq, pd.DataFrame(columns=alerts.forecasts.INTERVAL_COLUMNS))

    def target_outlooks(self, con, as_of):
        return list(self.outlooks)


def outlook(scope="region", value="East", totals=(90.0, 110.0), target=100.0, days_left=30):
    return TargetOutlook(
        scope=scope,
        scope_value=value,
        metric="revenue",
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
        target=target,
        actual=50.0,
        days_left=days_left,
        totals=np.array(totals, dtype=float),
    )


def order(order_id, day, customer, revenue_, region="East", rep="R1", channel="store", batch=1):
    return {
        "order_id": order_id,
        "line_no": 1,
        "order_date": day,
        "customer_id": customer,
        "region": region,
        "channel": channel,
        "sales_rep": rep,
        "category": "Cat",
        "product": "P",
        "revenue": revenue_,
    }


# --- revenue out of range ----------------------------------------------------------------------


def test_the_last_complete_month_and_week_end_on_or_before_the_as_of_day():
    assert revenue.last_complete_period(date(2025, 6, 15), "M") == (
        date(2025, 5, 1),
        date(2025, 5, 31),
    )
    assert revenue.last_complete_period(date(2025, 6, 30), "M") == (
        date(2025, 6, 1),
        date(2025, 6, 30),
    )
    # 15 June 2025 is a Sunday: its own week is complete; the 14th's is not
    assert revenue.last_complete_period(date(2025, 6, 15), "W") == (
        date(2025, 6, 9),
        date(2025, 6, 15),
    )
    assert revenue.last_complete_period(date(2025, 6, 14), "W") == (
        date(2025, 6, 2),
        date(2025, 6, 8),
    )


def test_a_month_below_its_range_is_measured_in_interval_widths(con):
    # East sold 40 in May against a forecast of 100 [80, 125]: (100 − 40) / (100 − 80) = 3 widths
    # out, 60% short → critical. West sold 130 against 100 [85, 120]: above, info. North sold 79
    # against 100 [80, 120]: outside, but (100 − 79) / 20 = 1.05 widths → info.
    insert_rows(
        con,
        "orders",
        [
            order("o1", date(2025, 5, 3), "A", 40.0, "East"),
            order("o2", date(2025, 5, 9), "B", 130.0, "West"),
            order("o3", date(2025, 5, 9), "C", 79.0, "North"),
            order("o4", date(2025, 4, 9), "C", 500.0, "North"),  # April: not the period
        ],
    )
    intervals = pd.DataFrame(
        [
            ("region", "East", 100.0, 80.0, 125.0),
            ("region", "West", 100.0, 85.0, 120.0),
            ("region", "North", 100.0, 80.0, 120.0),
            ("region", "South", 100.0, 80.0, 120.0),  # sold nothing: 0 is 5 widths out
        ],
        columns=alerts.forecasts.INTERVAL_COLUMNS,
    )
    settings = revenue.RevenueSettings(grains=("M",))
    context = Context(NOW, FixedForecasts({"M": intervals}))
    found = {a.owner: a for a in revenue.check(con, date(2025, 6, 15), settings, context)}
    assert set(found) == {"East", "West", "North", "South"}
    east = found["East"]
    assert (east.severity, east.facts["distance"], east.facts["shortfall_share"]) == (
        "critical",
        3.0,
        0.6,
    )
    assert east.money_at_stake == 60.0 and east.money_per_day == pytest.approx(60 / 31, abs=0.01)
    assert east.link.url() == "explore?period=custom&from=2025-05-01&to=2025-05-31&region=East"
    assert (found["West"].severity, found["West"].facts["direction"]) == ("info", "above")
    assert found["West"].money_at_stake == 0
    assert (found["North"].severity, found["North"].facts["distance"]) == ("info", 1.05)
    assert found["South"].facts["actual_amount"] == 0 and found["South"].severity == "critical"


def test_a_miss_smaller_than_the_minimum_share_is_not_reported():
    intervals = pd.DataFrame(
        [("total", "total", 100.0, 98.0, 102.0)], columns=alerts.forecasts.INTERVAL_COLUMNS
    )
    actuals = pd.DataFrame([("total", "total", 97.0)], columns=["level", "unique_id", "revenue"])
    assert revenue.out_of_range(intervals, actuals, revenue.RevenueSettings()).empty
    loose = revenue.RevenueSettings(min_shortfall_share=0.0)
    assert len(revenue.out_of_range(intervals, actuals, loose)) == 1


# --- target pace -------------------------------------------------------------------------------


def test_pace_flags_a_low_chance_and_a_20_point_fall_with_their_severities():
    low = outlook(value="East", totals=[90, 95, 99, 100, 120])  # P(hit) 2/5 = 40%
    lost = outlook(value="West", totals=[80, 90, 99, 99, 101])  # 1/5 = 20%: not below 20%
    doomed = outlook(value="North", totals=[80, 90, 99, 99, 99])  # 0%
    fell = outlook(value="South", totals=[90, 100, 101, 102, 103])  # 80%, was 100%
    steady = outlook(value="Central", totals=[90, 100, 101, 102, 103])  # 80%, was 90%
    context = Context(
        NOW,
        outlooks=(low, lost, doomed, fell, steady),
        previous_p_hit={fell.key: 1.0, steady.key: 0.9},
    )
    found = {a.owner: a for a in pace.check(None, date(2025, 6, 1), pace.PaceSettings(), context)}
    assert {k: a.severity for k, a in found.items()} == {
        "East": "warning",
        "West": "warning",
        "North": "critical",
        "South": "info",
    }
    assert found["South"].p_hit_change == pytest.approx(-0.2)
    assert found["South"].response == "pace_fell"
    # money at stake: target − median total (99 for East's five totals)
    assert found["East"].money_at_stake == pytest.approx(1.0)
    assert (
        found["East"].link.url()
        == "targets?period=custom&from=2025-04-01&to=2025-06-01&region=East"
    )


# --- customers going quiet ---------------------------------------------------------------------


def test_an_a_tier_customer_silent_past_their_own_gaps_is_flagged_with_a_year_of_revenue(con):
    # A ordered every 10 days from 1 Jan to 12 Mar 2025 (8 orders, 7 gaps of 10 days: P90 10,
    # mean 10), 100 each. On 11 May they have been silent 60 days: past 10 and 30 days; a random
    # buyer every 10 days stays silent 60 days with chance e^-6 = 0.25% → info.
    # B (same rhythm, 22 Nov 2024 to 31 Jan 2025, silent 100 days) has chance e^-10 = 0.0045%:
    # under 1 in 10,000 → warning.
    # C and D are small: tier C.
    rows = []
    for i in range(8):
        day = date(2025, 1, 1) + timedelta(days=10 * i)
        rows.append(order(f"a{i}", day, "A", 100.0, rep="RA"))
    for i in range(8):
        day = date(2024, 11, 22) + timedelta(days=10 * i)
        rows.append(order(f"b{i}", day, "B", 100.0, region="West", rep="RB"))
    rows += [order("c1", date(2025, 1, 5), "C", 1.0), order("d1", date(2025, 5, 1), "D", 1.0)]
    insert_rows(con, "orders", rows)
    insert_rows(
        con, "customers", [{"customer_id": "A", "customer_name": "Acme", "sales_rep": "RA"}]
    )
    rollups.refresh(con)
    found = {
        a.customer_id: a
        for a in quiet.check(con, date(2025, 5, 11), quiet.QuietSettings(), Context(NOW))
    }
    assert set(found) == {"A", "B"}
    a = found["A"]
    assert (a.severity, a.owner_kind, a.owner, a.region) == ("info", "sales_rep", "RA", "East")
    assert a.facts["silence_days"] == 60 and a.facts["quantile_gap_days"] == 10
    assert a.facts["p_silence"] == pytest.approx(np.exp(-6), abs=1e-6)
    assert a.money_at_stake == 800.0 and a.money_per_day == pytest.approx(800 / 365, abs=0.01)
    assert a.facts["customer_name"] == "Acme"
    b = found["B"]
    assert (b.severity, b.owner, b.region, b.facts["silence_days"]) == (
        "warning",
        "RB",
        "West",
        100,
    )


def test_a_quiet_customer_with_too_few_orders_or_a_short_silence_is_not_flagged(con):
    rows = [order(f"a{i}", date(2025, 1, 1) + timedelta(days=10 * i), "A", 100.0) for i in range(4)]
    insert_rows(con, "orders", rows)  # 3 gaps: too few
    rollups.refresh(con)
    assert quiet.check(con, date(2025, 5, 10), quiet.QuietSettings(), Context(NOW)) == []


# --- concentration -----------------------------------------------------------------------------


def test_the_top_customers_share_above_and_rising_is_a_warning(con):
    # As of 31 Dec 2025, top-1 customer's share of the last 365 days: X 60 of 100 = 60% (> 50%);
    # the year before X made 30 of 100 = 30%: up 30 points (≥ 10) → warning.
    # Reps of East: R1 60 of 100 → above 50% but not rising 15 points (it was 60 of 100 too
    # … R1 made 30 + 30 the year before: 60%) → info.
    insert_rows(
        con,
        "orders",
        [
            order("p0", date(2023, 12, 1), "Y", 5.0, rep="R2"),  # the data covers both years
            order("p1", date(2024, 6, 1), "X", 30.0, rep="R1"),
            order("p2", date(2024, 6, 2), "Y", 40.0, rep="R2"),
            order("p3", date(2024, 6, 3), "Z", 30.0, rep="R1"),
            order("c1", date(2025, 6, 1), "X", 60.0, rep="R1"),
            order("c2", date(2025, 6, 2), "Y", 40.0, rep="R2"),
        ],
    )
    rollups.refresh(con)
    settings = concentration.ConcentrationSettings(top_n=1)
    found = concentration.check(con, date(2025, 12, 31), settings, Context(NOW))
    by = {a.facts["measure"]: a for a in found}
    top = by["top_customers"]
    assert (top.severity, top.facts["revenue_share"], top.facts["before_share"]) == (
        "warning",
        0.6,
        0.4,
    )
    assert top.money_at_stake == 60.0 and top.region is None
    rep = by["rep"]
    assert (rep.severity, rep.owner, rep.subject, rep.facts["revenue_share"]) == (
        "info",
        "East",
        "R1",
        0.6,
    )


# --- pipeline ----------------------------------------------------------------------------------


def test_the_new_deal_factor_sums_the_share_of_cycles_that_fit():
    # cycles 1, 2, 4 days; 3 days left: F(1) + F(2) + F(3) = 1/3 + 2/3 + 2/3 = 5/3
    assert pipeline.new_deal_factor(np.array([4, 1, 2]), 3) == pytest.approx(5 / 3)
    assert pipeline.new_deal_factor(np.array([4, 1, 2]), 0) == 0


def opp(opp_id, created, closed, stage, amount=100.0, region="East", rep="R1", lost_stage=None):
    return {
        "opportunity_id": opp_id,
        "created_date": created,
        "close_date": closed,
        "stage": stage,
        "lost_stage": lost_stage,
        "amount": amount,
        "region": region,
        "sales_rep": rep,
    }


def test_stuck_and_overdue_deals_and_stage_win_rates_by_hand(con):
    as_of = date(2025, 6, 30)
    # 20 won deals with cycles 10, 20, …, 200 days: P90 (linear) = 181 days.
    won = [
        opp(f"w{i}", as_of - timedelta(days=300 + 10 * i), as_of - timedelta(days=300), "won")
        for i in range(1, 21)
    ]
    # lost at demo: reached lead, qualified, demo. From demo: 20 won / (20 + 5) = 80%.
    lost = [
        opp(f"l{i}", date(2024, 1, 1), date(2024, 3, 1), "lost", lost_stage="demo")
        for i in range(5)
    ]
    open_ = [
        opp("old", as_of - timedelta(days=400), None, "demo", 1000.0),  # 400 > 2 × 181: warning
        opp("aging", as_of - timedelta(days=200), None, "demo", 1000.0),  # > 181: info
        opp("late", as_of - timedelta(days=50), as_of - timedelta(days=40), "proposal", 500.0),
        opp("fresh", as_of - timedelta(days=5), as_of + timedelta(days=20), "lead", 500.0),
    ]
    insert_rows(con, "opportunities", won + lost + open_)
    found = pipeline.check(con, as_of, pipeline.PipelineSettings(), Context(NOW))
    got = {(a.kind, a.subject): a for a in found}
    assert set(got) == {("deal_stuck", "old"), ("deal_stuck", "aging"), ("deal_overdue", "late")}
    old = got[("deal_stuck", "old")]
    assert (old.severity, old.facts["quantile_cycle_days"], old.owner) == ("warning", 181, "R1")
    assert old.money_at_stake == pytest.approx(800.0)  # 1000 × 80%
    assert got[("deal_stuck", "aging")].severity == "info"
    late = got[("deal_overdue", "late")]
    # proposal: reached by the 20 won only (the lost stopped at demo): 100%
    assert (late.severity, late.facts["overdue_days"], late.money_at_stake) == (
        "warning",
        40,
        500.0,
    )


def test_a_quarter_gap_the_pipeline_cannot_cover(con):
    as_of = date(2025, 5, 31)
    # Won in the last 365 days in East: 4 deals of 250 (cycles 30 days) = 1,000; East revenue in
    # the same days: 4,000 → deals bring 25% of revenue. Q2 target 3,000, actual 1,000: the gap
    # 2,000 × 25% = 500 must come from deals. Open: one proposal deal of 200 closing 20 June
    # (proposal win rate 100%: 200). New deals: 1,000 / 365 a day × Σ_{u=1..30} F(u), F = 0 below
    # 30 days and 1 at 30 → 1,000 / 365 × 1 = 2.74. Covered 202.74 of 500: 40.5% → critical.
    won = [
        opp(
            f"w{i}",
            date(2024, 9, 1) + timedelta(days=30 * i),
            date(2024, 10, 1) + timedelta(days=30 * i),
            "won",
            250.0,
        )
        for i in range(4)
    ]
    insert_rows(
        con,
        "opportunities",
        won + [opp("p1", date(2025, 5, 1), date(2025, 6, 20), "proposal", 200.0)],
    )
    insert_rows(con, "orders", [order("o1", date(2025, 1, 10), "A", 4000.0)])
    quarter = TargetOutlook(
        scope="region",
        scope_value="East",
        metric="revenue",
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
        target=3000.0,
        actual=1000.0,
        days_left=30,
        totals=np.array([2000.0, 3500.0]),
    )
    found = pipeline.check(
        con, as_of, pipeline.PipelineSettings(), Context(NOW, outlooks=(quarter,))
    )
    (gap,) = [a for a in found if a.kind == "pipeline_gap"]
    assert gap.facts["deal_share"] == 0.25 and gap.facts["need_amount"] == 500.0
    assert gap.facts["open_amount"] == 200.0
    assert gap.facts["new_amount"] == pytest.approx(1000 / 365, abs=0.01)
    assert gap.facts["coverage_rate"] == pytest.approx((200 + 1000 / 365) / 500, abs=1e-4)
    assert gap.severity == "critical" and gap.owner == "East"
    assert gap.money_at_stake == pytest.approx(500 - 200 - 1000 / 365, abs=0.01)
    assert (gap.p_hit, gap.target_label) == (0.5, "East · revenue · 2025-Q2")


# --- data cadence ------------------------------------------------------------------------------


def log_row(batch_id, kind, when, loaded=1000, rejected=0, undone=None):
    return (
        batch_id,
        kind,
        f"{kind}-{batch_id}.csv",
        "x",
        None,
        None,
        loaded,
        rejected,
        0,
        "ana",
        when,
        undone,
    )


def test_an_export_two_usual_gaps_late_is_overdue_and_four_is_critical(con):
    weekly = [
        log_row(i, "orders", datetime(2025, 5, 5, 6) + timedelta(days=7 * i)) for i in range(4)
    ]
    con.executemany(
        "insert into ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)", weekly
    )
    last = weekly[-1][10]
    settings = cadence.CadenceSettings()

    def check(now):
        return [
            a
            for a in cadence.check(con, now.date(), settings, Context(now))
            if a.kind == "load_overdue"
        ]

    assert check(last + timedelta(days=14)) == []
    (late,) = check(last + timedelta(days=15))
    assert (late.severity, late.owner, late.subject, late.facts["usual_gap_days"]) == (
        "warning",
        "ana",
        "orders",
        7,
    )
    assert check(last + timedelta(days=29))[0].severity == "critical"


def test_a_load_with_far_more_rejects_or_half_the_revenue_per_day_is_an_anomaly(con):
    loads = [
        log_row(i, "orders", datetime(2025, 5, 5, 6) + timedelta(days=7 * i), 1000, 1)
        for i in range(1, 5)
    ]
    loads.append(log_row(5, "orders", datetime(2025, 6, 2, 6), 900, 100))  # 10% rejected
    con.executemany(
        "insert into ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)", loads
    )
    rows = []
    for batch in range(1, 6):  # 7 days × 100 a day; the last batch 7 days × 40 a day
        for d in range(7):
            day = date(2025, 4, 28) + timedelta(days=7 * (batch - 1) + d)
            rows.append(
                {
                    **order(f"o{batch}{d}", day, "A", 40.0 if batch == 5 else 100.0),
                    "batch_id": batch,
                }
            )
    frame = pd.DataFrame(rows)
    con.register("_o", frame)
    con.execute("insert into orders by name select * from _o")
    found = cadence.check(
        con, date(2025, 6, 1), cadence.CadenceSettings(), Context(datetime(2025, 6, 2, 7))
    )
    by = {a.facts["measure"]: a for a in found if a.kind == "load_anomaly"}
    assert set(by) == {"reject_rate", "revenue_per_day"}
    assert by["reject_rate"].facts["latest_rate"] == 0.1
    assert by["reject_rate"].facts["usual_rate"] == pytest.approx(0.001, abs=1e-4)
    assert (
        by["revenue_per_day"].facts["latest_amount"],
        by["revenue_per_day"].facts["usual_amount"],
    ) == (40.0, 100.0)


# --- impact and words --------------------------------------------------------------------------


def test_a_risk_shows_the_target_whose_chance_it_lowers_most():
    # East's quarter: totals 100…109 against 100: P(hit) 100%. A customer worth 1 a day for the
    # 5 days left costs 5: totals 95…104 → 5 of 10 reach 100 → 50%. The company target (totals
    # 1000, 1010 … 1100 against 1000) falls less: 10 of 11 still reach it.
    east = outlook(totals=np.arange(100.0, 110.0), target=100.0, days_left=5)
    firm = outlook(
        scope="company",
        value="",
        totals=np.arange(1000.0, 1101.0, 10.0),
        target=1000.0,
        days_left=5,
    )
    alert = Alert(
        kind="customer_quiet",
        key="k",
        severity="info",
        owner_kind="sales_rep",
        owner="R1",
        subject="A",
        as_of=date(2025, 6, 25),
        region="East",
        money_at_stake=365.0,
        money_per_day=1.0,
    )
    (out,) = attach_targets([alert], [east, firm])
    assert (out.target_label, out.p_hit, out.p_hit_if_lost) == (
        "East · revenue · 2025-Q2",
        1.0,
        0.5,
    )


def test_facts_are_formatted_by_their_names_in_both_languages():
    facts = {
        "actual_amount": 12345.0,
        "shortfall_share": 0.4,
        "period_start_date": "2025-05-01",
        "grain": "month",
    }
    en, zh = format_facts(facts, "en"), format_facts(facts, "zh")
    assert (en["actual"], en["shortfall_share"], en["period_start_date"], en["grain"]) == (
        "¥12.3K",
        "40%",
        "1 May 2025",
        "month",
    )
    assert (zh["actual"], zh["period_start_date"], zh["grain"]) == ("¥1.2万", "2025年5月1日", "月")
    row = {
        "kind": "deal_overdue",
        "subject": "D1",
        "owner": "R1",
        "facts": {
            "stage": "proposal",
            "deal_amount": 500.0,
            "close_date": "2025-05-21",
            "overdue_days": 40,
        },
    }
    assert (
        what(row, "en")
        == "Deal D1 (proposal, ¥500) was due to close on 21 May 2025, 40 days ago, and is still open."
    )
    assert "报价" in what(row, "zh")


def test_a_link_carries_the_filters_the_detail_page_reads():
    link = Link.for_period(
        "funnel", date(2025, 4, 1), date(2025, 6, 30), region="East", channel=None
    )
    assert (
        link.url("zh") == "funnel?period=custom&from=2025-04-01&to=2025-06-30&region=East&lang=zh"
    )


def test_settings_are_changed_by_name_and_a_wrong_name_says_which(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[alerts.rules.quiet]\nmin_quiet_days = 45\n[alerts.rules.revenue]\ngrains = ["M"]\n',
        encoding="utf-8",
    )
    settings = alerts.load_settings(secrets)
    assert settings.quiet.min_quiet_days == 45 and settings.quiet.gap_quantile == 0.9
    assert settings.revenue.grains == ("M",)
    with pytest.raises(InputError, match="unknown setting"):
        alerts.settings_from({"quiet": {"min_days": 3}})
    with pytest.raises(InputError, match="unknown alert rule 'noise'"):
        alerts.settings_from({"noise": {}})
