"""A small company whose names are attacks: markdown links, HTML, bold, formulas.

Three regions (one with only two months of history and a target: the thin-history forecast
warning and the Executive light without odds), reps, products, categories and customers named
with payloads; 30 months of orders, deals and targets, written as CSV exports and loaded with
the ordinary import.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import duckdb

from salesdash import ingest
from salesdash.store import Store
from tests.conftest import LOAD_DAY

LINK = "[text](https://evil.example/login)"
HTML = '<a href="https://evil.example">x</a>'
BOLD = "**bold**"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("https://evil.example","x")'
AT = "@SUM(1+1)"
PLUS = "+1+1"
MINUS = "-2+3"
# What must never reach a markdown element or a chart as written.
MARKUP = (LINK, HTML, BOLD, IMG, "https://evil")
# What must never start a cell, header or label of a download as written.
FORMULAS = (FORMULA, AT, PLUS, MINUS)

REGIONS = (LINK, HTML, FORMULA)
THIN = LINK  # two months of history
REPS = {LINK: (BOLD, "Ann"), HTML: (AT, "Bob"), FORMULA: (MINUS, IMG)}
PRODUCTS = (IMG, PLUS, "Pen")
CATEGORIES = ("=1+1", "Office")
LAST_DAY = date(2026, 11, 10)
FIRST_DAY = date(2024, 6, 1)


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def customer_id(i: int) -> str:
    """Every other customer id would run in a spreadsheet."""
    return f"@C{i}" if i % 2 else f"C{i}"


def write_exports(folder: Path) -> dict[str, Path]:
    """The company's five exports in ``folder``, by kind."""
    rng = random.Random(13)
    teams = [[rep, "=manager()", region] for region, reps in REPS.items() for rep in reps]
    customers = [
        [customer_id(i), f"=cmd|' /C calc'!A{i}" if i % 2 else BOLD, REGIONS[i % 3], "SMB", LINK]
        + [date(2024, 1, 1) + timedelta(days=i), date(1980, 1 + i % 12, 1), REPS[REGIONS[i % 3]][0]]
        for i in range(30)
    ]
    orders, deals = [], []
    day = FIRST_DAY
    n = 0
    while day <= LAST_DAY:
        for region in REGIONS:
            if region == THIN and day < LAST_DAY - timedelta(days=60):
                continue
            if rng.random() < 0.45:
                n += 1
                qty, price = rng.randint(1, 4), rng.choice((50.0, 120.0, 300.0))
                customer = customer_id(rng.randrange(10) * 3 + REGIONS.index(region))
                orders.append(
                    [f"O{n}", 1, day, customer, region, rng.choice(("direct", "store", "online"))]
                    + [rng.choice(REPS[region]), rng.choice(PRODUCTS), rng.choice(CATEGORIES)]
                    + [qty, price, qty * price, qty * price / 2]
                )
            if rng.random() < 0.1:
                stage = rng.choice(("lead", "qualified", "demo", "proposal", "won", "lost"))
                closed = day + timedelta(days=20) if stage in ("won", "lost") else None
                deals.append(
                    [f"D{len(deals)}", day, closed, stage, rng.choice((1000, 5000))]
                    + [REPS[region][0], customer_id(REGIONS.index(region)), IMG, region, LINK]
                    + [HTML if stage == "lost" else ""]
                )
        day += timedelta(days=1)
    targets = [
        [f"{year}-Q{q}", "region", region, "revenue", 30000]
        for region in REGIONS
        for year in (2025, 2026)
        for q in (1, 2, 3, 4)
    ] + [["2026", "company", "", "revenue", 300000]]
    return {
        "teams": _write(folder / "teams.csv", ["sales_rep", "manager", "region"], teams),
        "customers": _write(
            folder / "customers.csv",
            ["customer_id", "customer_name", "region", "segment", "city", "signup_date"]
            + ["birthday", "sales_rep"],
            customers,
        ),
        "orders": _write(
            folder / "orders.csv",
            ["order_id", "line_no", "order_date", "customer_id", "region", "channel"]
            + ["sales_rep", "product", "category", "quantity", "unit_price", "revenue", "cost"],
            orders,
        ),
        "opportunities": _write(
            folder / "opportunities.csv",
            ["opportunity_id", "created_date", "close_date", "stage", "amount", "sales_rep"]
            + ["customer_id", "product", "region", "source", "lost_reason"],
            deals,
        ),
        "targets": _write(
            folder / "targets.csv", ["period", "scope", "scope_value", "metric", "target"], targets
        ),
    }


def load(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Write the exports into ``folder`` and load them, teams first, like an analyst would."""
    for kind, path in write_exports(folder).items():
        result = ingest.ingest_file(con, path, kind, load_day=LOAD_DAY)
        assert result.rows_rejected == 0, (kind, result.rejects.head())


def store(folder: Path) -> Path:
    """A store holding the company, refreshed and published as a writer leaves it; the path of
    its working database."""
    path = folder / "hostile.duckdb"
    with Store(path).writing("test: the hostile company") as con:
        load(con, folder)
    return path
