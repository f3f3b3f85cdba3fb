"""Values outside any sane range: one order dated 9999-12-31 moved every default view to the year
9999 and broke four pages; amounts of 1e308, 1e309, inf and nan loaded and summed to inf. Such
rows are now rejected with their line and reason, like any unreadable value; the rest of the file
loads, and nothing of a refused file does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from salesdash import config, ingest
from salesdash.errors import InputError
from tests.conftest import LOAD_DAY
from tests.hostile.conftest import fingerprint

HEADER = "order_id,order_date,revenue,quantity,unit_price\n"
# 40 good lines: one bad line stays under the 5% bad-row limit.
GOOD = "".join(f"G{i},2026-10-{1 + i % 28:02d},10,1,10\n" for i in range(40))
LAST_DAY = LOAD_DAY + timedelta(days=config.PLAUSIBLE_DAYS_AHEAD)


def _load(con, tmp_path, body: str, kind: str = "orders", header: str = HEADER):
    path = tmp_path / f"{kind}.csv"
    path.write_text(header + body)
    return ingest.ingest_file(con, path, kind, load_day=LOAD_DAY)


@pytest.mark.parametrize(
    ("line", "column", "value", "reason"),
    [
        ("X,9999-12-31,10,1,10", "order_date", "9999-12-31", "not a plausible date"),
        ("X,1989-12-31,10,1,10", "order_date", "1989-12-31", "not a plausible date"),
        (f"X,{LAST_DAY + timedelta(days=1)},10,1,10", "order_date", None, "not a plausible date"),
        ("X,2026-10-01,1e308,1,10", "revenue", "1e+308", "not a finite amount"),
        ("X,2026-10-01,1e309,1,10", "revenue", "inf", "not a finite amount"),
        ("X,2026-10-01,inf,1,10", "revenue", "inf", "not a finite amount"),
        ("X,2026-10-01,-inf,1,10", "revenue", "-inf", "not a finite amount"),
        ("X,2026-10-01,nan,1,10", "revenue", "nan", "not a finite amount"),
        ("X,2026-10-01,10,nan,10", "quantity", "nan", "not a finite amount"),
        ("X,2026-10-01,,1e7,1e7", "revenue", "100000000000000.0", "not a finite amount"),
    ],
)
def test_an_implausible_date_or_amount_is_rejected_with_its_line_and_reason(
    con, tmp_path, line, column, value, reason
):
    result = _load(con, tmp_path, GOOD + line + "\n")
    assert (result.rows_loaded, result.rows_rejected) == (40, 1)
    reject = result.rejects.iloc[0]
    assert (reject.line, reject.column) == (42, column)
    assert reject.reason.startswith(reason)
    if value is not None:
        assert reject.value == value
    total, n = con.execute("select sum(revenue), count(*) from orders").fetchone()
    assert (total, n) == (400.0, 40)


def test_the_window_names_its_dates_and_its_last_day_is_in(con, tmp_path):
    result = _load(con, tmp_path, GOOD + f"E,{LAST_DAY},10,1,10\nX,9999-12-31,1,1,1\n")
    assert result.rows_loaded == 41
    assert result.rejects.iloc[0].reason == (
        f"not a plausible date: outside 1990-01-01 … {LAST_DAY.isoformat()}"
    )


def test_too_many_implausible_rows_refuse_the_file_and_change_nothing(con, tmp_path):
    before = fingerprint(con)
    with pytest.raises(
        InputError,
        match=r"orders.csv: 10 of 50 rows .* first: line 42 column order_date: not a plausible date",
    ):
        _load(con, tmp_path, GOOD + "X,9999-12-31,1,1,1\n" * 10)
    assert fingerprint(con) == before


def test_two_amounts_of_1e308_no_longer_sum_to_inf(con, tmp_path):
    result = _load(con, tmp_path, GOOD + "X,2026-10-01,1e308,1,1\nY,2026-10-02,1e308,1,1\n")
    assert result.rows_rejected == 2
    assert con.execute("select sum(revenue) from orders").fetchone()[0] == 400.0


def test_an_opportunity_closing_in_the_far_future_and_a_target_for_9999_are_rejected(con, tmp_path):
    deals = "".join(f"D{i},2026-10-01,2026-12-01,proposal,100\n" for i in range(40))
    result = _load(
        con,
        tmp_path,
        deals + "D99,2026-10-01,9999-12-31,proposal,100\n",
        "opportunities",
        "opportunity_id,created_date,close_date,stage,amount\n",
    )
    assert (result.rows_rejected, result.rejects.iloc[0].column) == (1, "close_date")
    targets = "".join(f"2026-{m:02d},region,East,revenue,1000\n" for m in range(1, 13))
    result = _load(
        con,
        tmp_path,
        targets * 3 + "9999,region,East,revenue,1000\n",
        "targets",
        "period,scope,scope_value,metric,target\n",
    )
    assert result.rows_rejected == 1
    assert result.rejects.iloc[0].reason.startswith("not a plausible target period")


def test_a_target_five_years_ahead_and_an_old_customer_s_birthday_load(con, tmp_path):
    year = LOAD_DAY.year + 4
    result = _load(
        con,
        tmp_path,
        f"{year},company,,revenue,1000\n",
        "targets",
        "period,scope,scope_value,metric,target\n",
    )
    assert result.rows_loaded == 1
    customers = "".join(f"C{i},1950-03-0{1 + i % 9}\n" for i in range(40))
    result = _load(
        con, tmp_path, customers + "C99,1850-01-01\n", "customers", "customer_id,birthday\n"
    )
    assert result.rows_loaded == 40
    assert result.rejects.iloc[0].reason.startswith("not a plausible birthday")
    assert date(1850, 1, 1) not in [
        r[0] for r in con.execute("select birthday from customers").fetchall()
    ]
