"""The real Maven CRM export (every 10th opportunity of it, tests/data/maven-crm) imports with the
expected counts."""

from __future__ import annotations

from salesdash import db, ingest
from tests.conftest import LOAD_DAY


def test_maven_pipeline_loads_every_opportunity_with_canonical_stages(con, maven):
    result = ingest.ingest_file(
        con, maven / "sales_pipeline.csv", "opportunities", load_day=LOAD_DAY
    )
    assert (result.rows_total, result.rows_loaded, result.rows_rejected) == (880, 880, 0)
    assert result.mapping == {
        "opportunity_id": "opportunity_id",
        "created_date": "engage_date",
        "close_date": "close_date",
        "stage": "deal_stage",
        "amount": "close_value",
        "sales_rep": "sales_agent",
        "customer_id": "account",
        "product": "product",
    }
    stages = dict(con.execute("select stage, count(*) from opportunities group by 1").fetchall())
    assert stages == {"won": 412, "lost": 271, "qualified": 147, "lead": 50}


def test_prospecting_rows_without_an_engage_date_are_kept_undated(con, maven):
    ingest.ingest_file(con, maven / "sales_pipeline.csv", "opportunities", load_day=LOAD_DAY)
    undated = con.execute(
        "select stage, count(*) from opportunities where created_date is null group by 1"
    ).fetchall()
    assert undated == [("lead", 50)]


def test_maven_teams_give_35_reps_in_3_offices_and_their_regions_to_the_pipeline(con, maven):
    ingest.ingest_file(con, maven / "sales_pipeline.csv", "opportunities", load_day=LOAD_DAY)
    teams = ingest.ingest_file(con, maven / "sales_teams.csv", "teams", load_day=LOAD_DAY)
    assert teams.rows_loaded == 35
    offices = dict(con.execute("select region, count(*) from teams group by 1").fetchall())
    assert offices == {"Central": 11, "East": 12, "West": 12}
    assert db.scalar(con, "select count(*) from opportunities where region is null") == 0
    won_west = db.scalar(
        con, "select count(*) from opportunities where region = 'West' and stage = 'won'"
    )
    assert 0 < won_west < 412


def test_the_gtxpro_spelling_is_reported_against_the_products_catalogue(con, maven):
    ingest.ingest_file(con, maven / "sales_pipeline.csv", "opportunities", load_day=LOAD_DAY)
    products = ingest.ingest_file(con, maven / "products.csv", "products", load_day=LOAD_DAY)
    assert products.rows_loaded == 7
    assert products.warnings == [
        "product 'GTXPro' is not in the products catalogue (catalogue has 'GTX Pro'): "
        "143 opportunities rows"
    ]
    # the rows themselves are kept: nothing silently dropped
    assert db.scalar(con, "select count(*) from opportunities where product = 'GTXPro'") == 143


def test_a_pipeline_loaded_after_the_catalogue_is_warned_at_load(con, maven):
    ingest.ingest_file(con, maven / "products.csv", "products", load_day=LOAD_DAY)
    result = ingest.ingest_file(
        con, maven / "sales_pipeline.csv", "opportunities", load_day=LOAD_DAY
    )
    assert len(result.warnings) == 1 and "'GTXPro'" in result.warnings[0]


def test_maven_files_are_recognised_by_their_header(con, maven):
    kinds = {
        name: ingest.guess_kind(ingest.preview_file(con, maven / name, "orders").header)
        for name in ("sales_pipeline.csv", "sales_teams.csv", "products.csv")
    }
    assert kinds == {
        "sales_pipeline.csv": "opportunities",
        "sales_teams.csv": "teams",
        "products.csv": "products",
    }
