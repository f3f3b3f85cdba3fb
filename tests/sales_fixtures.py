"""A tiny hand-checkable company for the sales tests (Feb 2025 against Jan 2025 and Feb 2024).

Customers: A and B first bought in January 2025, C in February 2025, D in February 2024.
February 2025: O2 (A, East direct Rep1: 200 + 10), O3 (B, West store Rep2: 80), O4 (C, East
online, no rep: 120 − 20 returned), O5 (B, West store Rep2: a −30 return) → revenue 360, 4 orders.
"""

from __future__ import annotations

from datetime import date

from salesdash import rollups
from salesdash.scope import Scope
from tests.conftest import insert_rows


def line(order_id, line_no, day, customer, region, channel, rep, product, category, revenue):
    return {
        "order_id": order_id,
        "line_no": line_no,
        "order_date": date.fromisoformat(day),
        "customer_id": customer,
        "region": region,
        "channel": channel,
        "sales_rep": rep,
        "product": product,
        "category": category,
        "quantity": 1.0,
        "unit_price": revenue,
        "revenue": revenue,
    }


ORDERS = [
    line("O6", 1, "2024-02-15", "D", "East", "direct", "Rep1", "P1", "Cat1", 400.0),
    line("O1", 1, "2025-01-10", "A", "East", "direct", "Rep1", "P1", "Cat1", 100.0),
    line("O1", 2, "2025-01-10", "A", "East", "direct", "Rep1", "P2", "Cat2", 50.0),
    line("O7", 1, "2025-01-20", "B", "West", "store", "Rep2", "P1", "Cat1", 60.0),
    line("O2", 1, "2025-02-05", "A", "East", "direct", "Rep1", "P1", "Cat1", 200.0),
    line("O2", 2, "2025-02-05", "A", "East", "direct", "Rep1", "P3", "Cat1", 10.0),
    line("O3", 1, "2025-02-10", "B", "West", "store", "Rep2", "P2", "Cat2", 80.0),
    line("O4", 1, "2025-02-20", "C", "East", "online", None, "P1", "Cat1", 120.0),
    line("O4", 2, "2025-02-20", "C", "East", "online", None, "P1", "Cat1", -20.0),
    line("O5", 1, "2025-02-25", "B", "West", "store", "Rep2", "P2", "Cat2", -30.0),
]


def opp(opp_id, created, closed, stage, rep, region):
    return {
        "opportunity_id": opp_id,
        "created_date": date.fromisoformat(created) if created else None,
        "close_date": date.fromisoformat(closed) if closed else None,
        "stage": stage,
        "sales_rep": rep,
        "region": region,
        "amount": 1000.0,
    }


OPPORTUNITIES = [
    opp("W1", "2025-01-01", "2025-02-10", "won", "Rep1", "East"),
    opp("W2", "2025-01-21", "2025-02-20", "won", "Rep1", "East"),
    opp("L1", "2025-01-05", "2025-02-12", "lost", "Rep2", "West"),
    opp("L0", "2024-12-01", "2025-01-15", "lost", "Rep1", "East"),
    opp("P1", "2025-02-01", None, "proposal", "Rep2", "West"),
]

TEAMS = [
    {"sales_rep": "Rep1", "manager": "M1", "region": "East"},
    {"sales_rep": "Rep2", "manager": "M1", "region": "West"},
]

FEB = Scope(date(2025, 2, 1), date(2025, 2, 28))


def load_tiny(con) -> None:
    insert_rows(con, "orders", ORDERS)
    insert_rows(con, "opportunities", OPPORTUNITIES)
    insert_rows(con, "teams", TEAMS)
    rollups.refresh(con)
