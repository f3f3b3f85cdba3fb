"""``forecast``: revenue forecast per series with 80%/95% intervals, backtest accuracy, models."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import pandas as pd

from salesdash import export, forecast
from salesdash.cli import add_scope_args, print_json, scope_from_args
from salesdash.errors import InputError

COLUMNS = {
    "yhat-lo-80": "lo80",
    "yhat-hi-80": "hi80",
    "yhat-lo-95": "lo95",
    "yhat-hi-95": "hi95",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forecast", help="forecast revenue with intervals and backtest accuracy")
    add_scope_args(p)
    p.add_argument("--by", choices=("region", "channel", "category"), help="one series per value")
    p.add_argument("--freq", choices=forecast.FREQS, default="M", help="M months, W weeks")
    p.add_argument("--horizon", type=int, help="periods ahead (default 12 months / 26 weeks)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--out", type=Path, help="write the forecast table to this file (.csv or .xlsx)")
    p.set_defaults(run=run)


def forecast_table(result: forecast.HierarchyForecast) -> pd.DataFrame:
    """unique_id, ds, yhat, lo80, hi80, lo95, hi95 (amounts rounded to cents)."""
    table = result.forecast.rename(columns=COLUMNS)
    table = table[["unique_id", "ds", "yhat", "lo80", "hi80", "lo95", "hi95"]].copy()
    table["ds"] = pd.to_datetime(table["ds"]).dt.date
    return table.round(2)


def _summary(result: forecast.HierarchyForecast) -> list[dict]:
    table = forecast_table(result)
    accuracy = result.accuracy.set_index("unique_id")
    out = []
    for row in result.series.itertuples(index=False):
        acc = accuracy.loc[row.unique_id] if row.unique_id in accuracy.index else None
        out.append(
            {
                "unique_id": row.unique_id,
                "status": row.status,
                "model": row.model or None,
                "accuracy": None
                if acc is None
                else {
                    "mase": round(float(acc["mase"]), 3),
                    "mase_seasonal_naive": round(float(acc["mase_seasonal_naive"]), 3),
                    "mape": round(float(acc["mape"]), 3),
                    "coverage_80": round(float(acc["coverage_80"]), 3),
                    "n_origins": int(acc["n_origins"]),
                },
                "forecast": table[table["unique_id"] == row.unique_id]
                .drop(columns="unique_id")
                .to_dict(orient="records"),
            }
        )
    return out


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    try:
        result = forecast.forecast_view(
            con, scope_from_args(args), by=args.by, freq=args.freq, horizon=args.horizon
        )
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if result.series.empty:
        raise InputError("no orders in the database for this scope: nothing to forecast")
    if args.out:
        export.write_file(forecast_table(result), args.out)
    series = _summary(result)
    grain = result.grain
    coverage = result.coverage.round(3).to_dict(orient="records")
    if args.json:
        print_json(
            {
                "freq": result.freq,
                "horizon": result.horizon,
                "as_of": result.as_of,
                "grain": {"kind": grain.kind, "dated": grain.dated} if grain else None,
                "coverage": coverage[0] if coverage else None,
                "series": series,
            }
        )
        return 0
    level = args.by or "total"
    print(f"forecast by {level}, {result.horizon} × {result.freq}, data to {result.as_of}")
    if grain:
        dated = "" if grain.dated == "day" else f", dated on the period's {grain.dated}"
        print(f"data: {grain.kind}{dated}")
    for item in series:
        print(f"\n{item['unique_id']}  model: {item['model'] or '-'}  status: {item['status']}")
        acc = item["accuracy"]
        if acc:
            print(
                f"  backtest: mase {acc['mase']} (seasonal naive {acc['mase_seasonal_naive']}),"
                f" mape {acc['mape']:.1%}, 80% coverage {acc['coverage_80']:.0%}"
            )
        if item["status"] == "too_thin":
            print("  too little history for a trustworthy forecast")
            continue
        print(pd.DataFrame(item["forecast"]).to_string(index=False))
    if args.out:
        print(f"\nwritten: {args.out}")
    return 0
