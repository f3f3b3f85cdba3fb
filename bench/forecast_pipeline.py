"""The pipeline-aware near term against history alone: backtest on the demo and the Maven CRM data.

At every month's end the data allows, the current and next quarter of each region are forecast
twice from what was known on that day (``forecast.pipeline.near_term_backtest``): from history
alone, and blended (booked + open pipeline's expected close + history's forecast of the revenue
that does not go through the pipeline). Reported per data set: mean absolute error, MASE (scaled
by the in-sample mean absolute change of monthly revenue × 3, the same for both) and the verdict
(``blend_verdict``: which one the near term shows by default).

The Maven data has no orders: its revenue is its won deals' amounts, so the blend is booked + the
pipeline, and history alone (under a year of months) is the recent level.

Usage::

    python bench/forecast_pipeline.py
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesdash import db, ingest  # noqa: E402
from salesdash.forecast import pipeline  # noqa: E402

MAVEN = ROOT.parent / "shared" / "data" / "maven-crm"


def monthly(frame: pd.DataFrame, date_col: str, value_col: str) -> pd.DataFrame:
    out = frame.assign(ds=pd.to_datetime(frame[date_col]).dt.to_period("M").dt.to_timestamp())
    return (
        out.groupby(["region", "ds"], as_index=False)[value_col]
        .sum()
        .rename(columns={value_col: "y"})
    )


def demo_inputs():
    con = db.connect(":memory:")
    ingest.seed_demo(con, load_day=date.today())
    orders = con.execute("select order_date, region, revenue from orders").df()
    opps = con.execute("select * from opportunities").df()
    revenue = monthly(
        orders[pd.to_datetime(orders["order_date"]) < "2026-11-01"], "order_date", "revenue"
    )
    won = monthly(opps[opps["stage"] == "won"], "close_date", "amount")
    origins = pd.date_range("2024-12-31", "2026-08-31", freq="ME").date.tolist()
    return revenue, won, opps, origins


def maven_inputs():
    con = db.connect(":memory:")
    ingest.ingest_file(con, MAVEN / "sales_pipeline.csv", "opportunities", load_day=date.today())
    ingest.ingest_file(con, MAVEN / "sales_teams.csv", "teams", load_day=date.today())
    opps = con.execute("select * from opportunities").df()
    won = monthly(opps[opps["stage"] == "won"], "close_date", "amount")
    origins = pd.date_range("2017-04-30", "2017-11-30", freq="ME").date.tolist()
    return won, won, opps, origins


def summary(name: str, revenue: pd.DataFrame, bt: pd.DataFrame) -> list[str]:
    scale = revenue.sort_values("ds").groupby("region")["y"].apply(lambda y: y.diff().abs().mean())
    bt = bt.assign(scale=bt["region"].map(scale) * 3)
    lines = []
    for label, part in [("all", bt), *bt.groupby("horizon")]:
        mase = {
            m: float(((part[m] - part["actual"]).abs() / part["scale"]).mean())
            for m in ("history_only", "blend")
        }
        mae = {m: float((part[m] - part["actual"]).abs().mean()) for m in ("history_only", "blend")}
        lines.append(
            f"| {name} | {label} | {len(part)} | {mae['history_only']:,.0f} | {mae['blend']:,.0f}"
            f" | {mase['history_only']:.3f} | {mase['blend']:.3f}"
            f" | {mae['blend'] / mae['history_only']:.2f} |"
        )
    return lines


def main() -> None:
    print(
        "| data | quarter | region-quarters | MAE history only | MAE blend | MASE history only"
        " | MASE blend | blend / history |\n|---|---|---|---|---|---|---|---|"
    )
    for name, inputs in (("demo", demo_inputs), ("maven-crm", maven_inputs)):
        revenue, won, opps, origins = inputs()
        t0 = time.perf_counter()
        bt = pipeline.near_term_backtest(revenue, won, opps, origins=origins)
        for line in summary(name, revenue, bt):
            print(line, flush=True)
        verdict = pipeline.blend_verdict(bt)
        print(
            f"  {name}: default {verdict.default} ({time.perf_counter() - t0:.0f} s,"
            f" load {os.getloadavg()[0]:.1f})",
            file=sys.stderr,
            flush=True,
        )
        bt.to_csv(f"/tmp/near_term_{name}.csv", index=False)


if __name__ == "__main__":
    main()
