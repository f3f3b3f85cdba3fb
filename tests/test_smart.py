"""Each SMART rule fires on a crafted target and passes on a sound one, with its reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from salesdash import smart, targets

SOUND = {
    "period_start": date(2025, 3, 1),
    "period_end": date(2025, 3, 31),
    "scope": "region",
    "scope_value": "North",
    "metric": "revenue",
    "target": 1000.0,
    "owner": "Li Ling",
    "note": "North carries the spring launch",
}


@pytest.fixture
def known(con, insert):
    insert(
        con,
        "orders",
        [
            {
                "order_id": "o1",
                "line_no": 1,
                "order_date": date(2025, 2, 10),
                "region": "North",
                "channel": "direct",
                "sales_rep": "Ann",
                "category": "Tea",
                "product": "Green tea",
                "revenue": 100.0,
            },
            {
                "order_id": "o2",
                "line_no": 1,
                "order_date": date(2022, 5, 1),
                "region": "West",
                "channel": "store",
                "sales_rep": "Old Wang",
                "revenue": 50.0,
            },
        ],
    )
    insert(
        con,
        "opportunities",
        [
            {
                "opportunity_id": "d1",
                "stage": "won",
                "close_date": date(2025, 2, 1),
                "region": "North",
                "sales_rep": "Cai",
            }
        ],
    )
    return smart.known_scope_values(con)


def progress(p_hit, status="running", actual=500.0):
    return targets.TargetProgress(
        scope="region",
        scope_value="North",
        metric="revenue",
        period_start=SOUND["period_start"],
        period_end=SOUND["period_end"],
        target=1000.0,
        owner=None,
        note=None,
        as_of=date(2025, 3, 15),
        status=status,
        actual=actual,
        attainment=actual / 1000,
        pacing_share=0.5,
        pacing_years=1,
        expected_to_date=500.0,
        ahead_amount=0.0,
        ahead_days=0,
        days_left=16,
        required_daily_rate=500 / 16,
        projection=1000.0,
        projection_lo80=800.0,
        projection_hi80=1200.0,
        p_hit=p_hit,
    )


def test_a_sound_target_passes_all_five_checks(known):
    checks = smart.smart_checks(SOUND, progress(0.4), known)
    assert [c.rule for c in checks] == list(smart.RULES)
    assert [c.passed for c in checks] == [True] * 5
    assert (
        checks[2].reason() == "Within reach but not certain: a 40.0% chance (between 10% and 90%)."
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"scope": "planet"}, "unknown_scope"),
        ({"metric": "happiness"}, "unknown_metric"),
        ({"scope_value": ""}, "no_scope_value"),
        ({"scope_value": "Atlantis"}, "value_not_in_data"),
    ],
)
def test_specific_fires_on_a_vague_target(known, change, code):
    check = smart.check_specific({**SOUND, **change}, known)
    assert (check.passed, check.code) == (False, code)


def test_specific_reason_names_the_missing_value_in_both_languages(known):
    check = smart.check_specific({**SOUND, "scope_value": "Atlantis"}, known)
    assert check.reason("en") == "No region called 'Atlantis' appears in the data."
    assert "Atlantis" in check.reason("zh")


@pytest.mark.parametrize(
    ("change", "code", "passed"),
    [
        (
            {"scope": "category", "scope_value": "Tea", "metric": "win_rate"},
            "no_deals_for_scope",
            False,
        ),
        ({"scope_value": "West", "metric": "win_rate"}, "no_deals", False),
        ({"scope": "sales_rep", "scope_value": "Cai"}, "no_orders", False),
        ({"metric": "win_rate"}, "measurable_deals", True),
        ({"scope": "product", "scope_value": "Green tea"}, "measurable_orders", True),
    ],
)
def test_measurable_needs_the_data_the_metric_is_computed_from(known, change, code, passed):
    check = smart.check_measurable({**SOUND, **change}, known)
    assert (check.passed, check.code) == (passed, code)


@pytest.mark.parametrize(
    ("p_hit", "code", "passed"),
    [(0.05, "unrealistic", False), (0.95, "not_ambitious", False), (0.5, "achievable_ok", True)],
)
def test_achievable_wants_odds_between_ten_and_ninety_percent(p_hit, code, passed):
    check = smart.check_achievable(progress(p_hit))
    assert (check.passed, check.code) == (passed, code)


def test_achievable_limits_are_configurable():
    check = smart.check_achievable(progress(0.5), p_low=0.6, p_high=0.95)
    assert (check.passed, check.code) == (False, "unrealistic")
    assert (
        check.reason()
        == "Unrealistic: the forecast gives only a 50.0% chance of reaching it (below 60%)."
    )


def test_achievable_cannot_be_judged_without_a_forecast_or_after_the_period():
    assert smart.check_achievable(progress(None)).passed is None
    closed = smart.check_achievable(replace(progress(0.0), status="closed"))
    assert (closed.passed, closed.code) == (None, "closed_missed")


def test_relevant_fires_without_an_owner_or_note(known):
    check = smart.check_relevant({**SOUND, "owner": None, "note": " "}, known)
    assert (check.passed, check.code) == (False, "no_why")
    assert smart.check_relevant({**SOUND, "owner": None}, known).passed is True


def test_relevant_fires_for_a_scope_without_recent_activity(known):
    # West last ordered on 1 May 2022, more than a year before March 2025
    check = smart.check_relevant({**SOUND, "scope_value": "West"}, known)
    assert (check.passed, check.code) == (False, "no_activity")


@pytest.mark.parametrize(
    ("change", "code", "passed"),
    [
        ({"period_end": date(2025, 2, 28)}, "end_not_after_start", False),
        ({"period_end": date(2025, 3, 1)}, "end_not_after_start", False),
        ({"period_start": None}, "no_dates", False),
        ({}, "time_bound_ok", True),
    ],
)
def test_time_bound_wants_an_end_after_the_start(change, code, passed):
    check = smart.check_time_bound({**SOUND, **change})
    assert (check.passed, check.code) == (passed, code)


def test_every_reason_reads_in_english_and_chinese(known):
    rows = [
        {**SOUND, "scope": "planet"},
        {**SOUND, "scope_value": "West", "metric": "win_rate", "owner": None, "note": None},
        {**SOUND, "period_end": date(2025, 1, 1)},
    ]
    for row in rows:
        for check in smart.smart_checks(row, progress(0.02), known):
            assert check.reason("en") and check.reason("zh")
            assert check.reason("en") != check.reason("zh")
