"""The care list: reasons on crafted customers, birthdays across 29 Feb and the year end, masking."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest

from salesdash import carelist, rollups
from salesdash.scope import Scope
from tests.test_segments import order

AS_OF = date(2025, 12, 25)


def customer(cid, region="East", rep="Li Na", birthday=None):
    return {
        "customer_id": cid,
        "customer_name": f"Name {cid}",
        "region": region,
        "sales_rep": rep,
        "birthday": birthday,
        "phone": "13983317161",
        "email": f"{cid}@example.com",
    }


def every(cid, last, gap, n, revenue, region="East"):
    """n orders of ``cid``, ``gap`` days apart, the last on ``last``."""
    return [
        order(f"{cid}-{i}", cid, last - timedelta(days=gap * i), revenue, region=region)
        for i in range(n)
    ]


@pytest.fixture
def crafted(con, insert):
    rows = (
        # big1: tier A, orders every 10 days, silent 31 days > max(3 × 10, 30) → overdue
        every("big1", AS_OF - timedelta(days=31), 10, 3, 10_000.0)
        # big2: tier A, every 10 days, silent 29 days → not yet
        + every("big2", AS_OF - timedelta(days=29), 10, 3, 9_000.0)
        # big3: tier A, every 40 days, silent 100 days < 120 → not yet
        + every("big3", AS_OF - timedelta(days=100), 40, 3, 8_000.0)
        # small: tier C, every 10 days, silent 200 days → not high value, not listed as overdue
        + every("small", AS_OF - timedelta(days=200), 10, 3, 1.0)
        # new1: one order 100 days ago → no second order; new2: 30 days ago; old1: 400 days ago
        + [order("n1", "new1", AS_OF - timedelta(days=100), 10.0)]
        + [order("n2", "new2", AS_OF - timedelta(days=30), 10.0)]
        + [order("o1", "old1", AS_OF - timedelta(days=400), 10.0, region="West")]
    )
    insert(con, "orders", rows)
    insert(
        con,
        "customers",
        [
            customer("big1", birthday=date(1990, 1, 3)),  # next: 3 Jan 2026, 9 days → listed
            customer("big2", birthday=date(1980, 1, 15), rep="Wang Bo"),  # 21 days → not listed
            customer("big3"),
            customer("small"),
            customer("new1", rep="Wang Bo"),
            customer("new2"),
            customer("old1", region="West", birthday=date(1970, 12, 25)),  # today → listed
        ],
    )
    rollups.refresh(con)
    return con


def reasons(care: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(care["reason"], care["customer_id"], strict=True))


def test_the_care_list_gives_each_crafted_customer_the_right_reason(crafted):
    care = carelist.care_list(crafted, Scope(), AS_OF)
    assert reasons(care) == {
        ("overdue", "big1"),
        ("birthday", "big1"),
        ("birthday", "old1"),
        ("no_second_order", "new1"),
    }
    row = care[care["reason"] == "overdue"].iloc[0]
    assert (row.recency_days, row.usual_interval_days, row.value_tier) == (31, 10.0, "A")
    assert row.sales_rep == "Li Na" and row.last_order_date == AS_OF - timedelta(days=31)
    birthday = care[(care["reason"] == "birthday") & (care["customer_id"] == "big1")].iloc[0]
    assert birthday.next_birthday == date(2026, 1, 3)


def test_the_birthday_window_and_the_second_order_wait_are_parameters(crafted):
    care = carelist.care_list(crafted, Scope(), AS_OF, birthday_days=30, no_second_order_days=20)
    assert ("birthday", "big2") in reasons(care)
    assert ("no_second_order", "new2") in reasons(care)


def test_the_scope_region_and_the_rep_filter_narrow_the_list(crafted):
    west = carelist.care_list(crafted, Scope(regions=("West",)), AS_OF)
    assert reasons(west) == {("birthday", "old1")}
    care = carelist.care_list(crafted, Scope(), AS_OF)
    assert reasons(carelist.filter_care_list(care, sales_reps=("Wang Bo",))) == {
        ("no_second_order", "new1")
    }
    assert reasons(carelist.filter_care_list(care, regions=("West",))) == {("birthday", "old1")}


@pytest.mark.parametrize(
    ("birthday", "as_of", "expected"),
    [
        (date(1988, 2, 29), date(2027, 2, 20), date(2027, 2, 28)),
        (date(1988, 2, 29), date(2028, 2, 20), date(2028, 2, 29)),
        (date(1988, 2, 29), date(2027, 3, 1), date(2028, 2, 29)),
        (date(1990, 1, 3), date(2025, 12, 25), date(2026, 1, 3)),
        (date(1990, 12, 25), date(2025, 12, 25), date(2025, 12, 25)),
    ],
)
def test_next_birthday_minds_29_february_and_the_year_end(birthday, as_of, expected):
    assert carelist.next_birthday(birthday, as_of) == expected


def test_personal_data_is_masked_and_left_out_of_the_download_unless_chosen(crafted):
    care = carelist.care_list(crafted, Scope(), AS_OF)
    masked = carelist.mask_personal(care)
    assert set(masked["phone"]) == {"139****7161"}
    assert masked.loc[masked["customer_id"] == "big1", "email"].iloc[0] == "b***@example.com"
    assert "phone" not in carelist.for_download(care, include_contacts=False).columns
    full = carelist.for_download(care, include_contacts=True)
    assert set(full["phone"]) == {"13983317161"}


def test_an_empty_database_gives_an_empty_list_with_every_column(con):
    care = carelist.care_list(con, Scope(), AS_OF)
    assert care.empty and list(care.columns) == carelist.COLUMNS


def test_the_carelist_command_filters_by_region_and_leaves_contacts_out(demo_db, tmp_path, capsys):
    from salesdash.cli import main

    out = tmp_path / "care.csv"
    args = ["--db", str(demo_db), "carelist", "--region", "East", "--out", str(out), "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert result["n_rows"] == len(table) > 0
    assert set(table["region"]) == {"East"}
    assert "phone" not in table.columns and "email" not in table.columns
    assert set(table["reason"]) <= set(carelist.REASONS)
    assert sum(result["reasons"].values()) == len(table)
    assert main(["--db", str(demo_db), "carelist", "--include-contacts", "--out", str(out)]) == 0
    assert "phone" in pd.read_csv(out, encoding="utf-8-sig").columns
