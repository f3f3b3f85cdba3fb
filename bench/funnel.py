"""Benchmark: the funnel and the by-rep breakdown on 1M generated opportunities, against pandas.

    python bench/funnel.py [--rows 1000000] [--runs 7] [--db /tmp/issue-5/funnel.duckdb]

Generates the opportunities with numpy (vectorised, seconds), inserts them straight into a DuckDB
file, then times ``funnel.funnel_summary`` and ``funnel.funnel_breakdown(by="sales_rep")`` uncached
(no Streamlit cache; a fresh call each run) and the same figures computed in pandas on the same
rows already in memory (the baseline: what a page would do without DuckDB). Prints medians and
ratios, and checks that both give the same numbers. Deletes the file at the end unless --keep.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from salesdash import db, funnel  # noqa: E402
from salesdash.scope import Scope  # noqa: E402

STAGES = np.array(["lead", "qualified", "demo", "proposal"])
REGIONS = np.array(["North", "East", "South", "Central", "Southwest", "Northwest", "Northeast"])
SOURCES = np.array(["referral", "website", "trade show", "cold call", "store visit"])
ADVANCE = np.array([0.7, 0.75, 0.8, 0.62])
START = np.datetime64("2023-01-01")
DAYS = 3 * 365


def generate(rows: int, seed: int = 5) -> pd.DataFrame:
    """``rows`` opportunities with canonical columns: 200 reps in 7 regions, 20 products."""
    rng = np.random.default_rng(seed)
    n_reps = 200
    rep_region = REGIONS[rng.integers(len(REGIONS), size=n_reps)]
    skill = rng.normal(0, 0.35, size=n_reps)
    rep = rng.integers(n_reps, size=rows)
    logit = np.log(ADVANCE / (1 - ADVANCE))[None, :] + skill[rep][:, None]
    advanced = rng.random((rows, 4)) < 1 / (1 + np.exp(-logit))
    # Steps passed before the first failure (4 = passed all: won).
    passed = np.where(advanced.all(axis=1), 4, np.argmin(advanced, axis=1))
    created_offset = rng.integers(0, DAYS, size=rows)
    cycle = rng.gamma(4.0, 11.0, size=rows).astype(int) + 1
    close_offset = created_offset + cycle
    is_open = close_offset >= DAYS
    last = np.minimum(passed, 3)
    stage = np.where(is_open, STAGES[last], np.where(passed == 4, "won", "lost"))
    lost_known = rng.random(rows) < 0.9
    lost_stage = np.where((stage == "lost") & lost_known, STAGES[last], None)
    created = START + created_offset.astype("timedelta64[D]")
    undated = rng.random(rows) < 0.01
    frame = pd.DataFrame(
        {
            "opportunity_id": np.char.add("OP", np.arange(rows).astype(str)),
            "created_date": pd.Series(created).where(~undated),
            "close_date": pd.Series(START + close_offset.astype("timedelta64[D]")).where(~is_open),
            "stage": stage,
            "lost_stage": lost_stage,
            "amount": np.round(rng.lognormal(9, 1, size=rows), 2),
            "sales_rep": np.char.add("rep", rep.astype(str)),
            "product": np.char.add("product", rng.integers(20, size=rows).astype(str)),
            "region": rep_region[rep],
            "source": SOURCES[rng.integers(len(SOURCES), size=rows)],
        }
    )
    return frame


def load(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    con = db.connect(path)
    con.register("generated", frame)
    con.execute("insert into opportunities by name select 0 as batch_id, * from generated")
    con.unregister("generated")
    con.close()


RANK = {"lead": 1, "qualified": 2, "demo": 3, "proposal": 4, "won": 5}


def pandas_reached(df: pd.DataFrame) -> pd.Series:
    """The reached rank in pandas (the same rule as the SQL macro)."""
    used = set(df["stage"]) | set(df["lost_stage"].dropna())
    assumed = max((RANK[s] for s in used if RANK.get(s, 9) <= 4), default=1)
    rank = df["stage"].map(RANK)
    lost = df["stage"] == "lost"
    return rank.where(~lost, df["lost_stage"].map(RANK).fillna(assumed))


def pandas_funnel(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Reached per stage per group, win rate, median cycle, weighted pipeline — in pandas."""
    reached = pandas_reached(df)
    dated = df["created_date"].notna()
    data = df.assign(reached_rank=reached, one=1)
    if not keys:
        data["all"] = "all"
        keys = ["all"]
    counts = data[dated].groupby([*keys, "reached_rank"])["one"].sum().unstack(fill_value=0)
    cum = counts.iloc[:, ::-1].cumsum(axis=1).iloc[:, ::-1]
    closed = data[data["stage"].isin(["won", "lost"])]
    won = closed["stage"] == "won"
    cycle = (closed["close_date"] - closed["created_date"]).dt.days.where(won)
    by_group = closed.assign(is_won=won, cycle=cycle).groupby(keys)
    out = cum.copy()
    out["win_rate"] = by_group["is_won"].mean()
    out["median_cycle_days"] = by_group["cycle"].median()
    rank_won = closed.groupby("reached_rank")["stage"].agg(
        n_won=lambda s: (s == "won").sum(), n="size"
    )
    tail = rank_won.iloc[::-1].cumsum().iloc[::-1]
    rates = (tail["n_won"] / tail["n"]).reindex([1, 2, 3, 4])
    open_rows = data[dated & data["stage"].isin(list(STAGES))]
    weighted = open_rows["amount"] * open_rows["reached_rank"].map(rates)
    out["weighted_pipeline"] = weighted.groupby([open_rows[k] for k in keys]).sum()
    return out


def timed(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=Path("/tmp/issue-5/funnel.duckdb"))
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()

    t0 = time.perf_counter()
    frame = generate(args.rows)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    load(args.db, frame)
    t_load = time.perf_counter() - t0
    print(f"generated {args.rows:,} opportunities in {t_gen:.1f}s, loaded in {t_load:.1f}s")

    con = db.connect(args.db)
    scope = Scope()
    sql_funnel = funnel.funnel_summary(con, scope)
    sql_reps = funnel.funnel_breakdown(con, scope, "sales_rep")
    pd_funnel = pandas_funnel(frame, [])
    pd_reps = pandas_funnel(frame, ["sales_rep", "region"])
    assert sql_funnel.stages["reached"].tolist() == pd_funnel.iloc[0, :5].astype(int).tolist()
    assert abs(sql_funnel.win_rate - pd_funnel["win_rate"].iloc[0]) < 1e-9
    assert abs(sql_funnel.weighted_pipeline - pd_funnel["weighted_pipeline"].iloc[0]) < 1
    assert len(sql_reps) == len(pd_reps)

    results = {
        "funnel_summary (DuckDB)": timed(lambda: funnel.funnel_summary(con, scope), args.runs),
        "funnel (pandas baseline)": timed(lambda: pandas_funnel(frame, []), args.runs),
        "funnel_breakdown by sales_rep (DuckDB)": timed(
            lambda: funnel.funnel_breakdown(con, scope, "sales_rep"), args.runs
        ),
        "by sales_rep (pandas baseline)": timed(
            lambda: pandas_funnel(frame, ["sales_rep", "region"]), args.runs
        ),
        "funnel_summary, one year (DuckDB)": timed(
            lambda: funnel.funnel_summary(con, Scope(date(2024, 1, 1), date(2024, 12, 31))),
            args.runs,
        ),
    }
    con.close()
    for name, (median, times) in results.items():
        spread = ", ".join(f"{t:.0f}" for t in times)
        print(f"{name:40s} median {median:7.1f} ms   runs: {spread}")
    duck, base = results["funnel_summary (DuckDB)"][0], results["funnel (pandas baseline)"][0]
    rduck = results["funnel_breakdown by sales_rep (DuckDB)"][0]
    rbase = results["by sales_rep (pandas baseline)"][0]
    print(f"pandas / DuckDB: funnel {base / duck:.1f}×, by rep {rbase / rduck:.1f}×")
    if not args.keep:
        args.db.unlink(missing_ok=True)
        args.db.with_suffix(".duckdb.wal").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
