from datetime import date

from salesdash.scope import MAX_DATE, MIN_DATE, NO_REGION, Scope


def test_open_scope_passes_open_dates_and_empty_filters():
    params = Scope().params()
    assert params["start_date"] == MIN_DATE and params["end_date"] == MAX_DATE
    assert params["regions"] == [] and params["channels"] == []


def test_allowed_regions_narrow_the_chosen_ones():
    scope = Scope(regions=("East", "North"), allowed_regions=("East",))
    assert scope.params()["regions"] == ["East"]


def test_allowed_regions_apply_when_nothing_is_chosen():
    assert Scope(allowed_regions=("East", "South")).params()["regions"] == ["East", "South"]


def test_a_user_who_may_see_none_of_the_chosen_regions_sees_nothing():
    assert Scope(regions=("North",), allowed_regions=("East",)).params()["regions"] == [NO_REGION]


def test_previous_period_of_a_month_is_the_previous_month_and_else_the_same_length_before():
    prev = Scope(date(2025, 3, 1), date(2025, 3, 31)).previous_period()
    assert (prev.start_date, prev.end_date) == (date(2025, 2, 1), date(2025, 2, 28))
    prev = Scope(date(2025, 3, 5), date(2025, 3, 14)).previous_period()
    assert (prev.start_date, prev.end_date) == (date(2025, 2, 23), date(2025, 3, 4))


def test_same_period_last_year_maps_29_february_to_28():
    scope = Scope(date(2024, 2, 1), date(2024, 2, 29)).same_period_last_year()
    assert (scope.start_date, scope.end_date) == (date(2023, 2, 1), date(2023, 2, 28))


def test_scoped_query_filters_in_sql(con, insert):
    insert(
        con,
        "orders",
        [
            {
                "order_id": "A",
                "line_no": 1,
                "order_date": date(2025, 1, 5),
                "revenue": 10.0,
                "region": "East",
                "channel": "online",
            },
            {
                "order_id": "B",
                "line_no": 1,
                "order_date": date(2025, 1, 6),
                "revenue": 5.0,
                "region": "West",
                "channel": "online",
            },
            {
                "order_id": "C",
                "line_no": 1,
                "order_date": date(2025, 3, 6),
                "revenue": 7.0,
                "region": "East",
                "channel": "store",
            },
        ],
    )
    sql = (
        "select coalesce(sum(revenue), 0) from orders where order_date between $start_date and $end_date "
        "and in_list($regions, region) and in_list($channels, channel)"
    )
    scope = Scope(date(2025, 1, 1), date(2025, 1, 31), regions=("East",))
    params = {
        k: v
        for k, v in scope.params().items()
        if k in {"start_date", "end_date", "regions", "channels"}
    }
    assert con.execute(sql, params).fetchone()[0] == 10.0
