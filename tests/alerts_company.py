"""A generated company for the alert tests: steady, with problems that can be planted.

Three regions (North, East, South), three reps each, 250 store customers per region ordering as
Poisson processes (mean gap about 10 days, lognormal spread) with a yearly season and 8% growth,
and a direct channel fed by deals: about two a day per region, lead → qualified → demo →
proposal → won (about 35% win), gamma step times (cycle about 40 days); a won deal is a direct
order on its close day. Targets: each region's quarters and the company's year at 85% of what the
process is expected to sell (a plan without stretch, so a clean year raises no pace alert). Orders
and opportunities are loaded every Monday morning with the week before; the customers, teams and
targets once at the start.

``company(as_of, plants)`` is what the store holds on the evening of ``as_of`` (a Sunday): orders
up to it, the deals as the last opportunities load showed them, the loads made. Plants:

- ``region_drop``: East sells 40% less in the last complete month before ``as_of``;
- ``quiet_customer``: South's biggest customer stops ordering 150 days before ``as_of``;
- ``short_pipeline``: North's open deals are gone (lost to a competitor, say);
- ``stuck_deal``: deal STUCK1 (East, rep E1, demo, ¥50,000) open for 300 days;
- ``cadence_stop``: the opportunities export stops arriving five weeks before ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash import rollups
from salesdash.periods import add_months, month_start

START = date(2023, 1, 2)  # a Monday
REGIONS = ("North", "East", "South")
REPS = {r: (f"{r[0]}1", f"{r[0]}2", f"{r[0]}3") for r in REGIONS}
CATEGORIES = ("Hardware", "Software")
N_CUSTOMERS = 250  # per region
DEALS_PER_DAY = 2.0  # per region
ADVANCE = np.array([0.75, 0.75, 0.8, 0.78])  # lead→qualified→demo→proposal→won
STAGES = ("lead", "qualified", "demo", "proposal")
TARGET_SHARE = 0.85
PLANTS = frozenset(
    {"region_drop", "quiet_customer", "short_pipeline", "stuck_deal", "cadence_stop"}
)
QUIET_DAYS, STOP_WEEKS, STUCK_DAYS, STUCK_AMOUNT = 150, 5, 300, 50_000.0
SEED = 16


def intensity(days: pd.DatetimeIndex) -> np.ndarray:
    """Relative sales per day: a yearly season and 8% growth a year."""
    season = 1 + 0.15 * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 330) / 365.25)
    return season * 1.08 ** ((days - pd.Timestamp(START)).days.to_numpy() / 365.25)


@dataclass(frozen=True)
class World:
    """Everything that happens up to the end date, before any as-of cut."""

    store_orders: (
        pd.DataFrame
    )  # order_id, order_date, customer_id, region, sales_rep, category, revenue
    deals: pd.DataFrame  # opportunity_id, region, sales_rep, customer_id, amount, created, steps…
    customers: pd.DataFrame
    expected_daily: pd.DataFrame  # day, region, revenue (expected, for targets)


def world(end: date, seed: int = SEED) -> World:
    rng = np.random.default_rng(seed)
    days = pd.date_range(START, end, freq="D")
    shape = intensity(days)
    customers, orders, expected = [], [], []
    for region in REGIONS:
        rate = rng.lognormal(np.log(0.1), 0.35, N_CUSTOMERS)  # orders per day
        value = rng.lognormal(np.log(800), 0.3, N_CUSTOMERS)
        ids = [f"{region[0]}{i:03d}" for i in range(N_CUSTOMERS)]
        reps = [REPS[region][i % 3] for i in range(N_CUSTOMERS)]
        customers.append(pd.DataFrame({"customer_id": ids, "region": region, "sales_rep": reps}))
        counts = rng.poisson(np.outer(shape, rate))  # day × customer
        day_idx, cust_idx = np.nonzero(counts)
        n = counts[day_idx, cust_idx]
        day_idx, cust_idx = np.repeat(day_idx, n), np.repeat(cust_idx, n)
        orders.append(
            pd.DataFrame(
                {
                    "order_date": days[day_idx].date,
                    "customer_id": np.array(ids)[cust_idx],
                    "region": region,
                    "sales_rep": np.array(reps)[cust_idx],
                    "category": rng.choice(CATEGORIES, len(day_idx)),
                    "revenue": np.round(value[cust_idx] * rng.lognormal(0, 0.3, len(day_idx)), 2),
                }
            )
        )
        store = shape * float(rate @ value) * np.exp(0.045)
        direct = DEALS_PER_DAY * np.prod(ADVANCE) * 10_000.0 * shape
        expected.append(
            pd.DataFrame({"day": days.date, "region": region, "revenue": store + direct})
        )
    store_orders = pd.concat(orders, ignore_index=True)
    store_orders.insert(0, "order_id", [f"S{i:07d}" for i in range(len(store_orders))])
    return World(
        store_orders,
        _deals(rng, days, shape),
        pd.concat(customers, ignore_index=True),
        pd.concat(expected, ignore_index=True),
    )


def _deals(rng: np.random.Generator, days: pd.DatetimeIndex, shape: np.ndarray) -> pd.DataFrame:
    rows = []
    for region in REGIONS:
        created = np.repeat(days, rng.poisson(DEALS_PER_DAY * shape))
        n = len(created)
        steps = rng.gamma(2.0, 5.0, (n, 4)).round() + 1  # days to each next decision
        passed = rng.random((n, 4)) < ADVANCE
        reached = np.where(passed.all(axis=1), 4, np.argmin(passed, axis=1))  # 4 = won
        ended = created + pd.to_timedelta(
            np.take_along_axis(steps.cumsum(axis=1), np.minimum(reached, 3)[:, None], 1)[:, 0],
            unit="D",
        )
        rows.append(
            pd.DataFrame(
                {
                    "region": region,
                    "sales_rep": rng.choice(REPS[region], n),
                    "customer_id": [f"{region[0]}{i:03d}" for i in rng.integers(0, N_CUSTOMERS, n)],
                    "amount": np.round(rng.lognormal(np.log(9000), 0.4, n), 2),
                    "created": created,
                    "reached": reached,
                    "ended": ended,
                    "steps": list(steps.cumsum(axis=1)),
                }
            )
        )
    deals = pd.concat(rows, ignore_index=True)
    deals.insert(0, "opportunity_id", [f"D{i:06d}" for i in range(len(deals))])
    return deals


def deals_at(deals: pd.DataFrame, day: date) -> pd.DataFrame:
    """The opportunities table as an export on ``day`` shows it."""
    now = pd.Timestamp(day)
    deals = deals[deals["created"] <= now]
    out = []
    for d in deals.itertuples():
        done = d.ended <= now
        if done:
            stage = "won" if d.reached == 4 else "lost"
            lost_stage = STAGES[d.reached] if d.reached < 4 else None
            close = d.ended.date()
        else:
            elapsed = (now - d.created).days
            stage, lost_stage, close = STAGES[int(np.sum(d.steps < elapsed))], None, d.ended.date()
        out.append(
            (
                d.opportunity_id,
                d.created.date(),
                close,
                stage,
                lost_stage,
                d.amount,
                d.sales_rep,
                d.customer_id,
                "Product",
                d.region,
                "referral",
                None,
            )
        )
    return pd.DataFrame(
        out,
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


@dataclass(frozen=True)
class Company:
    """The tables a store holds on the evening of ``as_of``, and when to look (``now``)."""

    as_of: date
    now: datetime
    tables: dict[str, pd.DataFrame]
    quiet_customer: str
    drop_month: tuple[date, date]
    opportunities_until: date  # the Sunday the last opportunities export saw


def _biggest(world_: World, region: str) -> str:
    orders = world_.store_orders
    mine = orders[orders["region"] == region]
    return str(mine.groupby("customer_id")["revenue"].sum().idxmax())


def _targets(expected: pd.DataFrame, end: date) -> pd.DataFrame:
    frame = expected.assign(day=pd.to_datetime(expected["day"]))
    rows = []
    for (region, quarter), part in frame.groupby(["region", frame["day"].dt.to_period("Q")]):
        rows.append(
            (
                quarter.start_time.date(),
                quarter.end_time.date(),
                "region",
                region,
                round(TARGET_SHARE * part["revenue"].sum(), -2),
            )
        )
    for year, part in frame.groupby(frame["day"].dt.year):
        rows.append(
            (
                date(year, 1, 1),
                date(year, 12, 31),
                "company",
                None,
                round(TARGET_SHARE * part["revenue"].sum(), -3),
            )
        )
    out = pd.DataFrame(
        rows, columns=["period_start", "period_end", "scope", "scope_value", "target"]
    )
    return out.assign(metric="revenue", owner=None, note=None)


def company(as_of: date, plants: frozenset[str] = frozenset(), seed: int = SEED) -> Company:
    """What the store holds on the evening of ``as_of`` (a Sunday), with ``plants`` planted."""
    if as_of.weekday() != 6:
        raise ValueError(f"{as_of} is not a Sunday: loads come on Mondays with the week before")
    unknown = plants - PLANTS
    if unknown:
        raise ValueError(f"unknown plants {sorted(unknown)}")
    end_of_year = date(as_of.year, 12, 31)
    w = world(end_of_year, seed)
    rng = np.random.default_rng(seed + 1)
    last_day = month_start(as_of) - timedelta(days=1)
    drop_month = (month_start(last_day), last_day)
    quiet = _biggest(w, "South")

    stop = as_of - timedelta(weeks=STOP_WEEKS) if "cadence_stop" in plants else as_of
    opp_day = stop - timedelta(days=(stop.weekday() + 1) % 7)  # the Sunday the last export saw
    deals = deals_at(w.deals, opp_day)
    if "short_pipeline" in plants:
        open_north = (deals["region"] == "North") & deals["stage"].isin(STAGES)
        deals = deals[~open_north]
    if "stuck_deal" in plants:
        stuck = {
            "opportunity_id": "STUCK1",
            "created_date": as_of - timedelta(days=STUCK_DAYS),
            "close_date": None,
            "stage": "demo",
            "lost_stage": None,
            "amount": STUCK_AMOUNT,
            "sales_rep": "E1",
            "customer_id": "E001",
            "product": "Product",
            "region": "East",
            "source": "referral",
            "lost_reason": None,
        }
        deals = pd.concat([deals, pd.DataFrame([stuck])], ignore_index=True)

    won = w.deals[(w.deals["reached"] == 4) & (w.deals["ended"] <= pd.Timestamp(as_of))]
    direct = pd.DataFrame(
        {
            "order_id": "W" + won["opportunity_id"],
            "order_date": won["ended"].dt.date,
            "customer_id": won["customer_id"],
            "region": won["region"],
            "sales_rep": won["sales_rep"],
            "category": rng.choice(CATEGORIES, len(won)),
            "revenue": won["amount"],
            "channel": "direct",
        }
    )
    orders = pd.concat([w.store_orders.assign(channel="store"), direct], ignore_index=True)
    orders = orders[orders["order_date"] <= as_of]
    if "region_drop" in plants:
        in_month = (orders["region"] == "East") & orders["order_date"].between(*drop_month)
        orders = orders[~(in_month & (rng.random(len(orders)) < 0.4))]
    if "quiet_customer" in plants:
        gone = (orders["customer_id"] == quiet) & (
            orders["order_date"] > as_of - timedelta(days=QUIET_DAYS)
        )
        orders = orders[~gone]
    orders = orders.assign(line_no=1, product="Product", quantity=1.0, unit_price=orders["revenue"])

    tables = {
        "teams": pd.DataFrame(
            [(rep, f"{region} manager", region) for region in REGIONS for rep in REPS[region]],
            columns=["sales_rep", "manager", "region"],
        ),
        "customers": w.customers.assign(customer_name=w.customers["customer_id"] + " Ltd"),
        "targets": _targets(w.expected_daily, end_of_year),
        "orders": orders,
        "opportunities": deals,
    }
    return Company(
        as_of,
        datetime.combine(as_of + timedelta(days=1), datetime.min.time()) + timedelta(hours=8),
        tables,
        quiet,
        drop_month,
        opp_day,
    )


def load(con: duckdb.DuckDBPyConnection, c: Company) -> None:
    """Write ``c`` into an empty store: the tables, one batch per weekly load, the ingest log."""
    log = []

    def batch(kind: str, when: datetime, rows: int) -> int:
        batch_id = len(log) + 1
        log.append(
            (
                batch_id,
                kind,
                f"{kind}-{when:%Y%m%d}.csv",
                "x",
                "utf-8",
                None,
                rows,
                int(rows > 100),
                0,
                "analyst",
                when,
                None,
            )
        )
        return batch_id

    start = datetime.combine(START, datetime.min.time())
    for kind in ("teams", "customers", "targets"):
        _insert(con, kind, c.tables[kind].assign(batch_id=batch(kind, start, len(c.tables[kind]))))
    orders = c.tables["orders"].copy()
    week = (pd.to_datetime(orders["order_date"]) - pd.Timestamp(START)).dt.days // 7
    monday = START + timedelta(days=7)
    batch_of_week = {}
    while monday <= c.as_of + timedelta(days=1):
        when = datetime.combine(monday, datetime.min.time()) + timedelta(hours=6)
        index = (monday - START).days // 7 - 1
        batch_of_week[index] = batch("orders", when, int((week == index).sum()))
        if monday - timedelta(days=1) <= c.opportunities_until:
            opp_batch = batch("opportunities", when, len(c.tables["opportunities"]))
        monday += timedelta(days=7)
    _insert(con, "orders", orders.assign(batch_id=week.map(batch_of_week)))
    _insert(con, "opportunities", c.tables["opportunities"].assign(batch_id=opp_batch))
    con.executemany("insert into ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)", log)
    rollups.refresh(con)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("_rows", frame)
    con.execute(f"insert into {table} by name select * from _rows")  # noqa: S608
    con.unregister("_rows")


def as_of_dates(first: date = date(2025, 7, 1), n: int = 12) -> list[date]:
    """``n`` monthly as-of days: the Sunday on or before the 15th of each month from ``first``."""
    out = []
    for k in range(n):
        fifteenth = add_months(first, k).replace(day=15)
        out.append(fifteenth - timedelta(days=(fifteenth.weekday() + 1) % 7))
    return out
