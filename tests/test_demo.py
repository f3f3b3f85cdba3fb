from datetime import date

import pandas as pd

from salesdash import config, demo, ingest
from salesdash.holidays import chinese_new_year
from tests.conftest import LOAD_DAY


def test_generation_is_deterministic():
    a, b = demo.generate(3000), demo.generate(3000)
    pd.testing.assert_frame_equal(a.orders, b.orders)
    pd.testing.assert_frame_equal(a.opportunities, b.opportunities)


def test_demo_company_has_the_promised_shape():
    data = demo.generate()
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


def test_bundled_csvs_are_what_the_generator_makes(tmp_path):
    fresh = demo.write_csvs(demo.generate(), tmp_path)
    for kind, path in fresh.items():
        assert path.read_bytes() == (config.DEMO_DIR / f"{kind}.csv").read_bytes(), kind


def test_seed_loads_every_bundled_row(con):
    results = {r.kind: r.rows_loaded for r in ingest.seed_demo(con, load_day=LOAD_DAY)}
    for kind in config.KINDS:
        lines = (config.DEMO_DIR / f"{kind}.csv").read_text(encoding="utf-8").count("\n") - 1
        assert results[kind] == lines, kind
    assert con.execute("select max(order_date) from orders").fetchone()[0] == date(2026, 11, 15)
