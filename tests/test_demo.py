from datetime import date

import pandas as pd
import pytest

from salesdash import config, demo
from salesdash.holidays import chinese_new_year


def test_generation_is_deterministic():
    a, b = demo.generate(3000), demo.generate(3000)
    pd.testing.assert_frame_equal(a.orders, b.orders)
    pd.testing.assert_frame_equal(a.opportunities, b.opportunities)


@pytest.fixture(scope="module")
def generated() -> demo.DemoData:
    """The demo company as the generator makes it (once for this module)."""
    return demo.generate()


def test_demo_company_has_the_promised_shape(generated):
    data = generated
    assert 6 <= data.orders["region"].nunique() <= 8
    assert set(data.orders["channel"]) == {"direct", "store", "online"}
    assert 50 <= data.teams["sales_rep"].nunique() <= 70
    assert data.orders["order_date"].min() == demo.DEMO_START
    assert data.orders["order_date"].max() <= demo.DEMO_END
    assert (data.orders["revenue"] < 0).any()  # returns exist
    assert data.customers["birthday"].notna().any() and data.customers["birthday"].isna().any()
    assert set(data.opportunities["stage"]) >= {
        "won",
        "lost",
        "lead",
        "qualified",
        "demo",
        "proposal",
    }
    assert set(data.targets["scope"]) == {"region", "company"}


def test_chinese_new_year_week_sells_less_than_the_fortnight_before_it():
    days = pd.date_range("2025-01-01", "2025-03-01")
    intensity = pd.Series(demo.daily_intensity(days), index=days)
    cny = pd.Timestamp(chinese_new_year(2025))
    before = intensity[cny - pd.Timedelta(days=14) : cny - pd.Timedelta(days=1)].mean()
    during = intensity[cny : cny + pd.Timedelta(days=6)].mean()
    assert during < 0.4 * before


def test_bundled_csvs_are_what_the_generator_makes(generated, tmp_path):
    fresh = demo.write_csvs(generated, tmp_path)
    for kind, path in fresh.items():
        assert path.read_bytes() == (config.DEMO_DIR / f"{kind}.csv").read_bytes(), kind


def test_seeding_loads_every_bundled_row_teams_first_with_nothing_rejected(demo_reader):
    # the session's demo store is what ingest.seed_demo loaded (tests/conftest.py, demo_store)
    log = demo_reader.execute(
        "select kind, rows_loaded, rows_rejected, rows_duplicate, user_name from ingest_log "
        "order by batch_id"
    ).fetchall()
    assert [row[0] for row in log] == ["teams", "customers", "orders", "opportunities", "targets"]
    assert {row[0] for row in log} == set(config.KINDS)
    for kind, loaded, rejected, duplicate, user in log:
        lines = (config.DEMO_DIR / f"{kind}.csv").read_text(encoding="utf-8").count("\n") - 1
        assert (loaded, rejected, duplicate, user) == (lines, 0, 0, "demo"), kind
        assert demo_reader.execute(f"select count(*) from {kind}").fetchone()[0] == loaded, kind
    assert log[2][1] > 20_000
    assert demo_reader.execute("select max(order_date) from orders").fetchone()[0] == date(
        2026, 11, 15
    )
