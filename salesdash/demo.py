"""A deterministic demo data set for a fictional direct-sales company, in the canonical formats.

The company sells hardware, software, services, accessories and consumables through its own sales
team ("direct"), its own stores ("store") and its online shop ("online") in seven regions. Sales
follow a yearly season with a Chinese New Year trough that moves between January and February,
grow about 12% a year, and carry noise. Opportunities move lead → qualified → demo → proposal →
won/lost with drop-off at every step and gamma-distributed step times; deals still running at the
end date are open. Targets are last year's actuals plus a stretch per region.

``generate(rows=N)`` returns the five tables as DataFrames; ``write_csvs`` writes them as CSV files
whose headers are the canonical column names (they double as export templates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from salesdash import targets
from salesdash.holidays import chinese_new_year

DEMO_START = date(2023, 11, 1)
# Ends mid-month on purpose: the current month is partial, as it is in a real monthly export.
DEMO_END = date(2026, 11, 15)
DEMO_ROWS = 24_000
DEMO_SEED = 20261126

REGIONS = ("North", "East", "South", "Central", "Southwest", "Northwest", "Northeast")
REGION_WEIGHTS = np.array([0.18, 0.26, 0.22, 0.12, 0.10, 0.05, 0.07])
CHANNEL_SHARE = {"direct": 0.45, "store": 0.30, "online": 0.25}
SOURCES = ("referral", "website", "trade show", "cold call", "store visit")
SEGMENTS = ("Enterprise", "SMB", "Consumer")
LOST_REASONS = ("price", "competitor", "no budget", "no decision", "timing")

# product, category, list price, popularity weight
PRODUCTS = (
    ("Laptop Pro 14", "Hardware", 8999.0, 5),
    ("Laptop Air 13", "Hardware", 5999.0, 8),
    ("Desktop Tower", "Hardware", 4599.0, 4),
    ("Monitor 27", "Hardware", 1899.0, 7),
    ("Tablet 11", "Hardware", 3299.0, 6),
    ("Office Suite", "Software", 899.0, 9),
    ("Security Suite", "Software", 499.0, 7),
    ("Design Studio", "Software", 2499.0, 3),
    ("ERP Cloud Seat", "Software", 1200.0, 4),
    ("Setup Service", "Services", 600.0, 5),
    ("Support Plan", "Services", 1500.0, 5),
    ("Training Day", "Services", 3000.0, 2),
    ("Wireless Mouse", "Accessories", 129.0, 12),
    ("Keyboard", "Accessories", 299.0, 10),
    ("Docking Station", "Accessories", 899.0, 5),
    ("Headset", "Accessories", 459.0, 6),
    ("Printer Paper", "Consumables", 45.0, 12),
    ("Toner Cartridge", "Consumables", 389.0, 8),
    ("Cleaning Kit", "Consumables", 59.0, 6),
    ("Cable Pack", "Consumables", 79.0, 7),
)
COST_RATIO = {
    "Hardware": 0.78,
    "Software": 0.35,
    "Services": 0.55,
    "Accessories": 0.6,
    "Consumables": 0.5,
}

SURNAMES = (
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
)
GIVEN = (
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Lei",
    "Jun",
    "Yan",
    "Tao",
    "Ming",
    "Hui",
    "Qiang",
    "Xin",
    "Ling",
    "Bo",
    "Hao",
    "Lan",
    "Yu",
    "Ping",
    "Kai",
)
CITIES = {
    "North": ("Beijing", "Tianjin", "Shijiazhuang"),
    "East": ("Shanghai", "Hangzhou", "Nanjing", "Suzhou"),
    "South": ("Guangzhou", "Shenzhen", "Xiamen"),
    "Central": ("Wuhan", "Changsha", "Zhengzhou"),
    "Southwest": ("Chengdu", "Chongqing", "Kunming"),
    "Northwest": ("Xi'an", "Lanzhou"),
    "Northeast": ("Shenyang", "Harbin", "Dalian"),
}
COMPANY_WORDS = (
    "Trading",
    "Technology",
    "Logistics",
    "Foods",
    "Design",
    "Medical",
    "Education",
    "Retail",
    "Energy",
    "Machinery",
)


@dataclass(frozen=True)
class DemoData:
    """The five canonical tables of the demo company."""

    orders: pd.DataFrame
    customers: pd.DataFrame
    opportunities: pd.DataFrame
    targets: pd.DataFrame
    teams: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "teams": self.teams,
            "customers": self.customers,
            "orders": self.orders,
            "opportunities": self.opportunities,
            "targets": self.targets,
        }


def daily_intensity(days: pd.DatetimeIndex) -> np.ndarray:
    """Relative sales per day: yearly season × 12%/year growth × weekday × Chinese New Year.

    Around the Spring Festival buyers stock up in the two weeks before and stop for about ten days
    from the holiday on; because the holiday moves, January and February trade places year to year.
    """
    doy = days.day_of_year.to_numpy()
    season = (
        1
        + 0.18 * np.cos(2 * np.pi * (doy - 340) / 365.25)
        + 0.08 * np.cos(4 * np.pi * (doy - 170) / 365.25)
    )
    years = (days - pd.Timestamp(DEMO_START)).days.to_numpy() / 365.25
    growth = 1.12**years
    weekday = np.where(days.day_of_week.to_numpy() >= 5, 0.7, 1.0)
    cny = np.ones(len(days))
    for year in sorted(set(days.year)):
        holiday = pd.Timestamp(chinese_new_year(year))
        offset = (days - holiday).days.to_numpy()
        cny = np.where((offset >= -14) & (offset < 0), cny * 1.35, cny)
        cny = np.where((offset >= 0) & (offset < 10), cny * 0.25, cny)
    return season * growth * weekday * cny


def _names(rng: np.random.Generator, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _teams(rng: np.random.Generator) -> pd.DataFrame:
    reps_per_region = np.maximum(4, np.round(REGION_WEIGHTS * 60).astype(int))
    people = _names(rng, int(reps_per_region.sum()) + 2 * len(REGIONS))
    rows = []
    for region, n_reps in zip(REGIONS, reps_per_region, strict=True):
        managers = [people.pop(), people.pop()] if n_reps >= 10 else [people.pop()]
        for i in range(n_reps):
            rows.append((people.pop(), managers[i % len(managers)], region))
    return pd.DataFrame(rows, columns=["sales_rep", "manager", "region"])


def _customers(
    rng: np.random.Generator, n: int, teams: pd.DataFrame, start: date, end: date
) -> pd.DataFrame:
    region = rng.choice(REGIONS, size=n, p=REGION_WEIGHTS / REGION_WEIGHTS.sum())
    # Half were customers before the data starts; the rest arrive evenly over the period.
    span = (end - start).days
    pre = rng.random(n) < 0.5
    signup_offset = np.where(
        pre, -rng.integers(30, 900, size=n), (span * rng.random(n)).astype(int)
    )
    signup = pd.Timestamp(start) + pd.to_timedelta(signup_offset, unit="D")
    reps_by_region = teams.groupby("region")["sales_rep"].apply(list).to_dict()
    owner = [reps_by_region[r][rng.integers(len(reps_by_region[r]))] for r in region]
    segment = rng.choice(SEGMENTS, size=n, p=[0.2, 0.45, 0.35])
    city = [CITIES[r][rng.integers(len(CITIES[r]))] for r in region]
    ids = [f"C{i:06d}" for i in range(1, n + 1)]
    names = [
        f"{c} {COMPANY_WORDS[rng.integers(len(COMPANY_WORDS))]} {i}" for i, c in enumerate(city, 1)
    ]
    birth = pd.Timestamp("1965-01-01") + pd.to_timedelta(
        rng.integers(0, 365 * 38, size=n), unit="D"
    )
    has_birthday = rng.random(n) < 0.6
    phone = [f"13{rng.integers(100000000, 999999999)}" for _ in range(n)]
    return pd.DataFrame(
        {
            "customer_id": ids,
            "customer_name": names,
            "region": region,
            "segment": segment,
            "city": city,
            "signup_date": signup.date,
            "birthday": pd.Series(birth.date).where(has_birthday, None),
            "sales_rep": owner,
            "phone": phone,
            "email": [f"contact{i}@example.com" for i in range(1, n + 1)],
        }
    )


def _orders(
    rng: np.random.Generator,
    rows: int,
    customers: pd.DataFrame,
    teams: pd.DataFrame,
    start: date,
    end: date,
) -> pd.DataFrame:
    days = pd.date_range(start, end, freq="D")
    cum = np.concatenate([[0.0], np.cumsum(daily_intensity(days))])
    n_cust = len(customers)
    first = np.clip(
        (pd.to_datetime(customers["signup_date"]) - pd.Timestamp(start)).dt.days.to_numpy(),
        0,
        len(days) - 1,
    )
    # Customers drift away: each stays active for an exponential time with a mean of three years.
    last = np.minimum(first + rng.exponential(1100, size=n_cust).astype(int), len(days) - 1)
    weight = rng.lognormal(0, 0.6, size=n_cust) * np.where(
        customers["segment"] == "Enterprise", 2.0, 1.0
    )
    mass = (cum[last + 1] - cum[first]) * weight
    lines_per_order = 1.8
    expected = mass / mass.sum() * rows / lines_per_order
    n_orders = rng.poisson(expected)
    cust_idx = np.repeat(np.arange(n_cust), n_orders)
    u = cum[first[cust_idx]] + rng.random(len(cust_idx)) * (
        cum[last[cust_idx] + 1] - cum[first[cust_idx]]
    )
    day_idx = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, len(days) - 1)
    order_dates = days[day_idx]
    order = np.argsort(day_idx, kind="stable")
    cust_idx, order_dates = cust_idx[order], order_dates[order]
    n = len(cust_idx)

    preferred = rng.choice(list(CHANNEL_SHARE), size=n_cust, p=list(CHANNEL_SHARE.values()))
    channel = np.where(
        rng.random(n) < 0.8,
        preferred[cust_idx],
        rng.choice(list(CHANNEL_SHARE), size=n, p=list(CHANNEL_SHARE.values())),
    )
    region = customers["region"].to_numpy()[cust_idx]
    owner = customers["sales_rep"].to_numpy()[cust_idx]
    reps = teams.groupby("region")["sales_rep"].apply(np.array).to_dict()
    store_rep = np.array(
        [
            reps[r][i % len(reps[r])]
            for r, i in zip(region, rng.integers(0, 1000, size=n), strict=True)
        ]
    )
    rep = np.where(channel == "direct", owner, np.where(channel == "store", store_rep, ""))

    n_lines = np.minimum(1 + rng.poisson(lines_per_order - 1, size=n), 6)
    line_order = np.repeat(np.arange(n), n_lines)
    line_no = np.arange(len(line_order)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
    popularity = np.array([p[3] for p in PRODUCTS], dtype=float)
    prod = rng.choice(len(PRODUCTS), size=len(line_order), p=popularity / popularity.sum())
    names = np.array([p[0] for p in PRODUCTS])[prod]
    category = np.array([p[1] for p in PRODUCTS])[prod]
    price = np.array([p[2] for p in PRODUCTS])[prod]
    line_channel = channel[line_order]
    qty = np.where(
        line_channel == "direct",
        1 + rng.poisson(4, size=len(prod)),
        1 + rng.poisson(0.4, size=len(prod)),
    )
    discount = np.where(
        line_channel == "direct",
        rng.uniform(0.0, 0.15, size=len(prod)),
        rng.uniform(0, 0.05, size=len(prod)),
    )
    unit_price = np.round(price * (1 - discount), 2)
    is_return = rng.random(len(prod)) < 0.015
    qty = np.where(is_return, -qty, qty)
    revenue = np.round(qty * unit_price, 2)
    cost = np.round(revenue * np.vectorize(COST_RATIO.get)(category), 2)
    order_ids = np.array([f"SO{i:08d}" for i in range(1, n + 1)])
    return pd.DataFrame(
        {
            "order_id": order_ids[line_order],
            "line_no": line_no,
            "order_date": order_dates[line_order].date,
            "customer_id": customers["customer_id"].to_numpy()[cust_idx][line_order],
            "region": region[line_order],
            "channel": line_channel,
            "sales_rep": pd.Series(rep[line_order]).replace("", None),
            "product": names,
            "category": category,
            "quantity": qty,
            "unit_price": unit_price,
            "revenue": revenue,
            "cost": cost,
        }
    )


def _opportunities(
    rng: np.random.Generator,
    n: int,
    customers: pd.DataFrame,
    teams: pd.DataFrame,
    start: date,
    end: date,
) -> pd.DataFrame:
    days = pd.date_range(start, end, freq="D")
    p = daily_intensity(days)
    created = days[rng.choice(len(days), size=n, p=p / p.sum())]
    rep_idx = rng.integers(len(teams), size=n)
    rep = teams["sales_rep"].to_numpy()[rep_idx]
    region = teams["region"].to_numpy()[rep_idx]
    # Each rep converts a little better or worse than the company; a few much worse.
    skill = dict(zip(teams["sales_rep"], rng.normal(0, 0.35, size=len(teams)), strict=True))
    advance = np.array([0.7, 0.75, 0.8, 0.62])  # lead→qualified→demo→proposal→won
    step_days = np.array([6, 10, 12, 15])
    stages = ("lead", "qualified", "demo", "proposal")
    by_region = customers.groupby("region")["customer_id"].apply(np.array).to_dict()
    prod = rng.integers(len(PRODUCTS), size=n)
    rows = []
    end_ts = pd.Timestamp(end)
    for i in range(n):
        t = created[i]
        reached = 0
        outcome = None
        for k in range(4):
            t = t + pd.Timedelta(days=int(rng.gamma(2.0, step_days[k] / 2.0)) + 1)
            if t > end_ts:
                break
            logit = np.log(advance[k] / (1 - advance[k])) + skill[rep[i]]
            if rng.random() < 1 / (1 + np.exp(-logit)):
                reached = k + 1
                if k == 3:
                    outcome = "won"
            else:
                outcome = "lost"
                break
        if outcome is None:
            stage, close, lost_stage = stages[min(reached, 3)], None, None
        else:
            stage, close = outcome, t.date()
            lost_stage = stages[reached] if outcome == "lost" else None
        qty = 1 + rng.poisson(8)
        amount = round(PRODUCTS[prod[i]][2] * qty * rng.uniform(0.8, 1.1), 2)
        known = rng.random() < 0.6
        rows.append(
            (
                f"OP{i + 1:07d}",
                created[i].date(),
                close,
                stage,
                lost_stage,
                amount,
                rep[i],
                by_region[region[i]][rng.integers(len(by_region[region[i]]))] if known else None,
                PRODUCTS[prod[i]][0],
                region[i],
                SOURCES[rng.integers(len(SOURCES))],
                LOST_REASONS[rng.integers(len(LOST_REASONS))] if outcome == "lost" else None,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "opportunity_id",
            "created_date",
            "close_date",
            "stage",
            "lost_stage",
            "amount",
            "sales_rep",
            "customer_id",
            "product",
            "region",
            "source",
            "lost_reason",
        ],
    )


def _targets(
    rng: np.random.Generator, orders: pd.DataFrame, teams: pd.DataFrame, end: date
) -> pd.DataFrame:
    """Region month and quarter revenue targets, company year revenue and quarter order targets.

    Each is last year's actual for the same period times a stretch drawn per region (8–20%), so
    some regions are on track and some are not.
    """
    df = orders.assign(month=pd.to_datetime(orders["order_date"]).dt.to_period("M"))
    monthly = df.groupby(["region", "month"])["revenue"].sum()
    stretch = dict(zip(REGIONS, rng.uniform(1.08, 1.20, size=len(REGIONS)), strict=True))
    owner = teams.groupby("region")["manager"].first().to_dict()
    rows = []
    years = [
        y
        for y in range(DEMO_START.year + 1, end.year + 1)
        if pd.Period(f"{y - 1}-01", "M") >= df["month"].min()
    ]
    for year in years:
        for region in REGIONS:
            for m in range(1, 13):
                last = monthly.get((region, pd.Period(f"{year - 1}-{m:02d}", "M")), 0.0)
                period = pd.Period(f"{year}-{m:02d}", "M")
                rows.append(
                    (
                        period.start_time.date(),
                        period.end_time.date(),
                        "region",
                        region,
                        "revenue",
                        round(last * stretch[region], -2),
                        owner[region],
                        "monthly plan",
                    )
                )
            for q in range(1, 5):
                months = [
                    pd.Period(f"{year - 1}-{m:02d}", "M") for m in range(3 * q - 2, 3 * q + 1)
                ]
                last = sum(monthly.get((region, mo), 0.0) for mo in months)
                period = pd.Period(f"{year}Q{q}", "Q")
                rows.append(
                    (
                        period.start_time.date(),
                        period.end_time.date(),
                        "region",
                        region,
                        "revenue",
                        round(last * stretch[region], -3),
                        owner[region],
                        "quarterly plan",
                    )
                )
        yearly = df[df["month"].dt.year == year - 1]
        rows.append(
            (
                date(year, 1, 1),
                date(year, 12, 31),
                "company",
                None,
                "revenue",
                round(yearly["revenue"].sum() * 1.12, -4),
                "CEO",
                "annual plan: +12%",
            )
        )
        for q in range(1, 5):
            period = pd.Period(f"{year}Q{q}", "Q")
            last_q = df[(df["month"].dt.year == year - 1) & (df["month"].dt.quarter == q)]
            rows.append(
                (
                    period.start_time.date(),
                    period.end_time.date(),
                    "company",
                    None,
                    "orders",
                    round(last_q["order_id"].nunique() * 1.1),
                    "Head of Sales",
                    "order volume",
                )
            )
    return pd.DataFrame(
        rows,
        columns=list(targets.COLUMNS),
    )


def generate(
    rows: int = DEMO_ROWS, *, seed: int = DEMO_SEED, start: date = DEMO_START, end: date = DEMO_END
) -> DemoData:
    """The demo company's tables; the same arguments always give the same data.

    Args:
        rows: about how many order lines to make (customers scale as rows / 20).
        seed: random seed.
        start, end: first and last order date.
    """
    rng = np.random.default_rng(seed)
    teams = _teams(rng)
    customers = _customers(rng, max(200, rows // 20), teams, start, end)
    orders = _orders(rng, rows, customers, teams, start, end)
    opportunities = _opportunities(
        rng, max(200, min(rows // 8, 200_000)), customers, teams, start, end
    )
    targets = _targets(rng, orders, teams, end)
    return DemoData(orders, customers, opportunities, targets, teams)


def write_csvs(data: DemoData, out_dir: Path) -> dict[str, Path]:
    """Write each table as ``<kind>.csv`` (UTF-8, canonical headers); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    con = duckdb.connect()
    for kind, frame in data.tables().items():
        path = out_dir / f"{kind}.csv"
        con.register("frame", frame)
        con.execute(f"copy frame to '{path}' (header, delimiter ',')")
        con.unregister("frame")
        paths[kind] = path
    return paths
