"""The funnel on tiny hand-checked data, the CLI, and the Maven CRM export through the real import."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from salesdash import funnel, ingest
from salesdash.cli import main
from salesdash.errors import InputError
from salesdash.scope import Scope
from salesdash.store import Store
from tests.conftest import LOAD_DAY

JAN = Scope(start_date=date(2025, 1, 1), end_date=date(2025, 1, 31))


def opp(oid, stage, created, closed=None, amount=None, **extra):
    return {
        "opportunity_id": oid,
        "stage": stage,
        "created_date": created,
        "close_date": closed,
        "amount": amount,
        "lost_stage": extra.pop("lost_stage", None),
        "region": extra.pop("region", "East"),
        "sales_rep": extra.pop("sales_rep", "Ann"),
        **extra,
    }


# One deal per fate, all created in January 2025, plus one open proposal from 2024 so the data
# set uses every stage. Reached: lead a b c d e; qualified a b d; demo a d; proposal a; won a.
FIVE = [
    opp("a", "won", date(2025, 1, 2), date(2025, 1, 20), 100.0),
    opp("b", "lost", date(2025, 1, 3), date(2025, 1, 25), 50.0, lost_stage="qualified"),
    opp("c", "lost", date(2025, 1, 4), date(2025, 1, 15), 30.0, lost_stage="lead"),
    opp("d", "demo", date(2025, 1, 5), None, 80.0),
    opp("e", "lead", date(2025, 1, 6), None, 10.0),
    opp("z", "proposal", date(2024, 6, 1), None, 500.0),
]


def test_lost_deals_count_at_the_stages_they_passed(con, insert):
    insert(con, "opportunities", FIVE)
    stages = funnel.funnel_stages(con, JAN)
    assert stages["stage"].tolist() == ["lead", "qualified", "demo", "proposal", "won"]
    assert stages["reached"].tolist() == [5, 3, 2, 1, 1]
    assert stages["value"].tolist() == [270.0, 230.0, 180.0, 100.0, 100.0]
    assert stages["drop_off"].tolist() == [0, 2, 1, 1, 0]
    assert pd.isna(stages["step_rate"].iloc[0])
    assert stages["step_rate"].iloc[1:].tolist() == pytest.approx([3 / 5, 2 / 3, 1 / 2, 1.0])
    assert stages["cumulative_rate"].tolist() == pytest.approx([1, 0.6, 0.4, 0.2, 0.2])


def test_win_rate_ignores_open_deals_and_counts_deals_closed_in_the_period(con, insert):
    late = opp("f", "won", date(2024, 12, 1), date(2025, 1, 10), 60.0)
    next_month = opp("g", "lost", date(2025, 1, 9), date(2025, 2, 3), 5.0, lost_stage="lead")
    insert(con, "opportunities", [*FIVE, late, next_month])
    summary = funnel.funnel_summary(con, JAN)
    # Closed in January: a and f won, b and c lost; g closed in February; d, e are open.
    assert (summary.n_won, summary.n_lost) == (2, 2)
    assert summary.win_rate == pytest.approx(0.5)
    assert summary.won_amount == 160.0
    assert summary.n_open == 2
    # The funnel is the January cohort: a b c d e g (f was created in December).
    assert summary.n_created == 6


def test_a_stage_nobody_reached_shows_zero_and_leaves_the_next_step_undefined(con, insert):
    older_demo = opp("y", "demo", date(2024, 5, 1))
    insert(con, "opportunities", [FIVE[1], FIVE[2], FIVE[4], FIVE[5], older_demo])
    stages = funnel.funnel_stages(con, JAN).set_index("stage")
    assert stages["reached"].tolist() == [3, 1, 0, 0, 0]
    assert stages.loc["qualified", "step_rate"] == pytest.approx(1 / 3)
    assert stages.loc["demo", "step_rate"] == 0.0
    assert pd.isna(stages.loc["proposal", "step_rate"])
    assert pd.isna(stages.loc["won", "step_rate"])
    assert stages.loc["proposal", "cumulative_rate"] == 0.0


def test_the_funnel_shows_only_the_stages_the_data_uses(con, insert):
    insert(
        con,
        "opportunities",
        [
            opp("w", "won", date(2025, 1, 2), date(2025, 1, 9), 10.0),
            opp("l", "lost", date(2025, 1, 3), date(2025, 1, 9), 10.0),
            opp("q", "qualified", date(2025, 1, 4), None, 10.0),
            opp("p", "lead", date(2025, 1, 5), None, 10.0),
        ],
    )
    summary = funnel.funnel_summary(con, JAN)
    assert summary.stages["stage"].tolist() == ["lead", "qualified", "won"]
    # With a filter the stages come from their own query over every row: the same answer.
    assert funnel.stages_used(con) == ("lead", "qualified", "won")
    east = funnel.funnel_summary(con, Scope(start_date=date(2025, 1, 1), regions=("East",)))
    assert east.stages["reached"].tolist() == [4, 3, 1]
    # The lost deal without lost_stage is counted up to qualified, the stage before won.
    assert summary.stages["reached"].tolist() == [4, 3, 1]
    assert (summary.assumed_lost_stage, summary.n_lost_stage_assumed) == ("qualified", 1)


def test_sales_cycle_is_the_median_and_quartiles_of_won_deals(con, insert):
    days = [10, 20, 30, 40]
    rows = [
        opp(
            f"w{d}",
            "won",
            date(2025, 1, 1),
            date(2025, 1, 1) + pd.Timedelta(days=d).to_pytimedelta(),
        )
        for d in days
    ]
    rows.append(opp("lost", "lost", date(2025, 1, 1), date(2025, 1, 3), lost_stage="lead"))
    insert(con, "opportunities", rows)
    summary = funnel.funnel_summary(con, Scope())
    assert summary.median_cycle_days == 25.0
    assert (summary.p25_cycle_days, summary.p75_cycle_days) == (17.5, 32.5)


def test_weighted_pipeline_uses_the_historical_win_rate_from_each_stage(con, insert):
    insert(con, "opportunities", FIVE)
    pipeline = funnel.open_pipeline(con, JAN).set_index("stage")
    # Closed history: a won (reached won), b lost at qualified, c lost at lead.
    assert pipeline["win_rate_from_stage"].tolist() == pytest.approx([1 / 3, 1 / 2, 1, 1])
    assert pipeline.loc["demo", "weighted_amount"] == 80.0
    assert pipeline.loc["lead", "weighted_amount"] == pytest.approx(10 / 3, abs=0.005)
    # z (open proposal from 2024) is not in January's pipeline.
    assert pipeline.loc["proposal", "n_open"] == 0
    assert funnel.funnel_summary(con, JAN).weighted_pipeline == pytest.approx(
        80 + 10 / 3, abs=0.005
    )


def test_cohorts_by_creation_month_leave_undated_rows_out_and_count_them(con, insert):
    rows = [
        opp("j1", "won", date(2025, 1, 2), date(2025, 3, 1), 10.0),
        opp("j2", "lost", date(2025, 1, 9), date(2025, 1, 20), lost_stage="lead"),
        opp("f1", "qualified", date(2025, 2, 1)),
        opp("f2", "lead", date(2025, 2, 2)),
        opp("f3", "lead", date(2025, 2, 3)),
        opp("u1", "lead", None),
        opp("u2", "qualified", None),
    ]
    insert(con, "opportunities", rows)
    months = funnel.funnel_breakdown(con, Scope(), "month").set_index("month")
    assert months.index.tolist() == ["2025-01", "2025-02"]
    assert months.loc["2025-01", "n_created"] == 2
    assert months.loc["2025-02", "n_created"] == 3
    assert months.loc["2025-01", "lead_to_qualified_rate"] == 0.5
    assert months.loc["2025-02", "lead_to_qualified_rate"] == pytest.approx(1 / 3)
    # A cohort's win rate counts its deals whenever they closed (j1 closed in March).
    assert months.loc["2025-01", "win_rate"] == 0.5
    assert pd.isna(months.loc["2025-02", "win_rate"])
    summary = funnel.funnel_summary(con, Scope())
    assert summary.n_created == 5
    assert summary.n_undated == 2
    assert summary.undated_by_stage == {"lead": 1, "qualified": 1}


def test_breakdown_by_region_and_the_region_filter_agree(con, insert):
    rows = [
        opp("e1", "won", date(2025, 1, 2), date(2025, 1, 5), 10.0, region="East"),
        opp("e2", "lost", date(2025, 1, 2), date(2025, 1, 5), lost_stage="lead", region="East"),
        opp("w1", "lost", date(2025, 1, 2), date(2025, 1, 5), lost_stage="lead", region="West"),
    ]
    insert(con, "opportunities", rows)
    regions = funnel.funnel_breakdown(con, Scope(), "region").set_index("region")
    assert regions.loc["East", "win_rate"] == 0.5
    assert regions.loc["West", "win_rate"] == 0.0
    west = funnel.funnel_summary(con, Scope(regions=("West",)))
    assert (west.n_won, west.n_lost, west.n_created) == (0, 1, 1)
    # Opportunities have no sales channel: the channel filter leaves the funnel alone.
    assert funnel.funnel_summary(con, Scope(channels=("store",))).n_created == 3


def test_an_unknown_breakdown_is_refused_with_the_accepted_list(con):
    with pytest.raises(InputError, match="region, sales_rep, product, source, month"):
        funnel.funnel_breakdown(con, Scope(), "colour")


def test_a_rep_far_below_the_region_is_flagged_and_a_small_sample_is_not(con, insert):
    rows = []

    def rep(name, n, converted, region="East"):
        for i in range(n):
            stage = "qualified" if i < converted else "lead"
            rows.append(opp(f"{name}{i}", stage, date(2025, 1, 1), sales_rep=name, region=region))

    rep("Ann", 30, 6)  # 20% against 48/65 = 74% for the rest of East
    rep("Bob", 30, 24)
    rep("Cai", 30, 24)
    rep("Dan", 5, 0)  # 0%, but only five deals
    rep("Eve", 25, 0, region="West")  # alone in West: nobody to compare with
    insert(con, "opportunities", rows)
    flags = funnel.rep_flags(con, Scope())
    # One row per rep (in their region) and step: lead → qualified, qualified → won.
    assert len(flags) == 5 * 2
    assert flags["step"].iloc[0] == "lead_to_qualified"
    assert flags["sales_rep"].iloc[0] == "Ann"
    flags = flags[flags["step"] == "lead_to_qualified"].set_index("sales_rep")
    assert flags.loc["Ann", "verdict"] == "flagged"
    assert flags.loc["Ann", "region_rate"] == pytest.approx(48 / 65)
    assert flags.loc["Ann", "p_value"] < 0.001
    assert flags.loc["Dan", "verdict"] == "small_sample"
    assert flags.loc["Bob", "verdict"] == "ok"
    assert (flags.loc["Eve", "region"], flags.loc["Eve", "verdict"]) == ("West", "no_peers")


def test_conversion_over_time_carries_the_deals_behind_each_point(con, insert):
    insert(con, "opportunities", FIVE)
    trend = funnel.conversion_trend(con, Scope())
    jan = trend[trend["month"] == pd.Timestamp("2025-01-01")].set_index("metric")
    assert jan.loc["lead_to_qualified", "n_deals"] == 5
    assert jan.loc["lead_to_qualified", "rate"] == pytest.approx(3 / 5)
    assert jan.loc["win_rate", "n_deals"] == 3
    assert jan.loc["win_rate", "rate"] == pytest.approx(1 / 3)


def test_the_cli_prints_the_funnel_as_json_per_group(tmp_path, insert, capsys):
    path = tmp_path / "f.duckdb"
    with Store(path).writing("test data") as con:
        insert(con, "opportunities", FIVE)
    assert (
        main(
            [
                "--db",
                str(path),
                "funnel",
                "--from",
                "2025-01-01",
                "--to",
                "2025-01-31",
                "--json",
                "--by",
                "region",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert [s["reached"] for s in out["stages"]] == [5, 3, 2, 1, 1]
    assert set(out["stages"][0]) >= {"stage", "reached", "value", "step_rate", "cumulative_rate"}
    assert out["win_rate"] == pytest.approx(1 / 3)
    assert (out["n_won"], out["n_lost"], out["n_open"]) == (1, 2, 2)
    assert out["median_cycle_days"] == 18.0
    assert out["weighted_pipeline"] == pytest.approx(80 + 10 / 3, abs=0.005)
    (east,) = out["groups"]
    assert east["region"] == "East"
    assert [s["reached"] for s in east["stages"]] == [5, 3, 2, 1, 1]
    assert east["win_rate"] == pytest.approx(1 / 3)


def test_the_cli_prints_a_readable_table_and_refuses_a_bad_breakdown(tmp_path, insert, capsys):
    path = tmp_path / "f.duckdb"
    with Store(path).writing("test data") as con:
        insert(con, "opportunities", FIVE)
    assert main(["--db", str(path), "funnel", "--by", "sales_rep"]) == 0
    text = capsys.readouterr().out
    assert "proposal" in text and "win rate" in text and "Ann" in text
    with pytest.raises(SystemExit):
        main(["--db", str(path), "funnel", "--by", "colour"])


def _expected_by_office(maven) -> pd.DataFrame:
    """Won / lost / won value per regional office, straight from the CSVs (not the module)."""
    pipeline = pd.read_csv(maven / "sales_pipeline.csv")
    teams = pd.read_csv(maven / "sales_teams.csv")
    merged = pipeline.merge(teams, on="sales_agent", how="left")
    closed = merged[merged["deal_stage"].isin(["Won", "Lost"])]
    out = closed.groupby("regional_office").agg(
        n_won=("deal_stage", lambda s: int((s == "Won").sum())),
        n_lost=("deal_stage", lambda s: int((s == "Lost").sum())),
    )
    out["win_rate"] = out["n_won"] / (out["n_won"] + out["n_lost"])
    return out


def test_maven_crm_through_the_real_import(con, maven):
    ingest.ingest_file(con, maven / "sales_teams.csv", "teams", load_day=LOAD_DAY)
    ingest.ingest_file(con, maven / "sales_pipeline.csv", "opportunities", load_day=LOAD_DAY)
    summary = funnel.funnel_summary(con, Scope())
    assert (summary.n_won, summary.n_lost) == (412, 271)
    assert round(summary.win_rate * 100, 2) == 60.32
    assert summary.won_amount == 932_420
    # Maven's stages: Prospecting → Engaging → Won/Lost, imported as lead → qualified → won.
    assert summary.stages["stage"].tolist() == ["lead", "qualified", "won"]
    # The 50 Prospecting rows have no engage date: undated, counted apart, in no funnel.
    assert summary.n_undated == 50
    assert summary.undated_by_stage == {"lead": 50}
    assert summary.stages["reached"].tolist() == [830, 830, 412]
    assert (summary.assumed_lost_stage, summary.n_lost_stage_assumed) == ("qualified", 271)
    assert summary.n_open == 147
    expected = _expected_by_office(maven)
    offices = funnel.funnel_breakdown(con, Scope(), "region").set_index("region")
    assert sorted(offices.index) == ["Central", "East", "West"]
    for office, row in expected.iterrows():
        assert offices.loc[office, "n_won"] == row["n_won"]
        assert offices.loc[office, "n_lost"] == row["n_lost"]
        assert offices.loc[office, "win_rate"] == pytest.approx(row["win_rate"])
