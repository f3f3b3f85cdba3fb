from datetime import date

from salesdash import dataset


def test_an_empty_database_has_no_order_dates(con):
    assert dataset.order_date_range(con) == (None, None)
    assert dataset.last_order_date(con) is None
    fresh = dataset.data_freshness(con)
    assert (fresh.first_order_date, fresh.last_order_date, fresh.last_loaded_at) == (None,) * 3
    assert fresh.n_rows == 0


def test_the_order_dates_are_the_first_and_last_over_every_order(con, insert):
    insert(
        con,
        "orders",
        [
            {"order_id": "A", "line_no": 1, "order_date": date(2025, 3, 5), "revenue": 1.0},
            {"order_id": "B", "line_no": 1, "order_date": date(2025, 1, 9), "revenue": -1.0},
        ],
    )
    insert(con, "teams", [{"sales_rep": "Li Na"}])
    assert dataset.order_date_range(con) == (date(2025, 1, 9), date(2025, 3, 5))
    assert dataset.last_order_date(con) == date(2025, 3, 5)
    fresh = dataset.data_freshness(con)
    assert (fresh.first_order_date, fresh.last_order_date) == (date(2025, 1, 9), date(2025, 3, 5))
    assert fresh.n_rows == 3
