"""What-if scenarios: the changes an executive tries on the forecast, saved by name.

A scenario is a tuple of ``Step``s, as the executive enters them on the Executive or Targets page:

- ``Step("region", "East", date(2026, 12, 1), pct=5)``: East sells 5% more from December on;
- ``Step("customer", "C0042", date(2026, 12, 1))``: customer C0042 is lost from December: its
  region loses the customer's average month of the last twelve complete months, every month;
- ``Step("deal", "O0815", date(2027, 1, 1), outcome="won")``: an open deal is won in January: its
  amount that month, less what the near term expected of it in each month (its chance of being
  won then × its amount); ``outcome="lost"``: only what was expected of it is taken off.

``resolve`` turns the steps into ``forecast.Change``s against the data of the moment (a saved
"lose C0042" takes off what C0042 buys now), which ``forecast.scenario_deltas`` and
``targets.what_if`` apply to the stored forecast's paths. Saving (``save``, ``delete``) is a write
like a target edit, through the store's writer; a scenario never changes the baseline every page
and export shows.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from salesdash.db import execute_sql, mark_changed, run_sql, transaction
from salesdash.errors import InputError
from salesdash.forecast import (
    Change,
    NearTerm,
    hierarchy_forecast,
    near_term,
    scenario_deltas,
)
from salesdash.periods import add_months
from salesdash.scope import Scope

KINDS = ("region", "customer", "deal")
OUTCOMES = ("won", "lost")
# A lost customer costs its average month over this many complete months (a year evens out its
# seasons and its lumps).
CUSTOMER_MONTHS = 12
# How many customers and deals the pages offer to pick from, biggest first.
CHOICES = 50


@dataclass(frozen=True)
class Step:
    """One change of a scenario (see the module docstring).

    Attributes:
        kind: "region", "customer" or "deal".
        key: the region, the customer_id or the opportunity_id.
        start: the first day of the month the change takes effect (a won deal's month).
        pct: for a region, the change in percent (+5 is 5% more, -10 is 10% less).
        outcome: for a deal, "won" or "lost".
    """

    kind: str
    key: str
    start: date
    pct: float = 0.0
    outcome: str = ""


def _check(step: Step) -> None:
    if step.kind not in KINDS:
        raise InputError(f"unknown what-if change '{step.kind}' (use one of {', '.join(KINDS)})")
    if step.kind == "deal" and step.outcome not in OUTCOMES:
        raise InputError(f"a deal is either won or lost, not '{step.outcome}'")
    if step.kind == "region" and step.pct <= -100:
        raise InputError(f"a region cannot sell {step.pct:g}% more (at least -100%)")


def key_customers(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    *,
    as_of: date,
    limit: int = CHOICES,
    customer_ids: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The customers a what-if can lose (``customer_ids``, or any), biggest first: customer_id,
    customer_name, region, monthly_revenue (their average month over the ``CUSTOMER_MONTHS``
    complete months up to ``as_of``, a month's end)."""
    next_month = as_of + timedelta(days=1)
    params = scope.params()
    return run_sql(
        con,
        "scenarios/key_customers",
        first_month=add_months(next_month, -CUSTOMER_MONTHS),
        next_month=next_month,
        n_months=CUSTOMER_MONTHS,
        regions=params["regions"],
        channels=params["channels"],
        sales_reps=params["sales_reps"],
        customer_ids=list(customer_ids),
        limit=limit,
    )


def open_deals(near: NearTerm, *, limit: int = CHOICES) -> pd.DataFrame:
    """The open deals a what-if can win or lose, biggest first: opportunity_id, region, stage,
    amount, expected (what the near term expects of it over its months)."""
    chances = near.chances
    p = chances[[c for c in chances.columns if c.startswith("p_")]].sum(axis=1)
    deals = chances[["opportunity_id", "region", "stage", "amount"]].assign(
        expected=chances["amount"] * p
    )
    return deals.sort_values(["amount", "opportunity_id"], ascending=[False, True]).head(limit)


def _series(region: object) -> tuple[str, str]:
    """The forecast series a region's change goes to (the total when a deal or customer has no
    region)."""
    if region is None or pd.isna(region) or region == "(none)":
        return ("total", "total")
    return ("region", str(region))


def resolve(con: duckdb.DuckDBPyConnection, scope: Scope, steps: tuple[Step, ...]) -> list[Change]:
    """The forecast changes of ``steps`` against the data ``con`` holds now.

    Raises:
        InputError: a step names a region outside the scope, a customer without revenue in the
            last twelve months, or a deal not open on the near term's day.
    """
    changes: list[Change] = []
    near = near_term(con, scope)
    regions = scope.effective_regions()
    for step in steps:
        _check(step)
        if step.kind == "region":
            if regions and step.key not in regions:
                raise InputError(f"region '{step.key}' is not in this view")
            changes.append(Change("region", step.key, step.start, factor=1 + step.pct / 100))
        elif step.kind == "customer":
            row = key_customers(con, scope, as_of=_as_of(near), customer_ids=(step.key,))
            if row.empty:
                raise InputError(
                    f"customer '{step.key}' bought nothing in the last {CUSTOMER_MONTHS} months "
                    "in this view: losing it changes nothing"
                )
            level, uid = _series(row["region"].iloc[0])
            monthly = float(row["monthly_revenue"].iloc[0])
            changes.append(Change(level, uid, step.start, amount=-monthly))
        else:
            changes.extend(_deal_changes(near, step))
    return changes


def deltas(con: duckdb.DuckDBPyConnection, scope: Scope, steps: tuple[Step, ...]) -> pd.DataFrame:
    """What ``steps`` add to each series of the forecast in each month
    (``forecast.scenario_deltas``): the changes resolved now, on the whole company's stored
    forecast, whose mix of channels and categories splits a region's change among them."""
    return scenario_deltas(hierarchy_forecast(con, Scope()), resolve(con, scope, steps))


def _as_of(near: NearTerm) -> date:
    if near.as_of is None:
        raise InputError("no data: nothing to change")
    return near.as_of


def _deal_changes(near: NearTerm, step: Step) -> list[Change]:
    deal = near.chances[near.chances["opportunity_id"] == step.key]
    if deal.empty:
        raise InputError(f"deal '{step.key}' was not open on {near.as_of}: nothing to win or lose")
    row = deal.iloc[0]
    level, uid = _series(row["region"])
    amount = float(row["amount"])
    out = []
    for column in [c for c in deal.columns if c.startswith("p_")]:
        month = date.fromisoformat(column.removeprefix("p_"))
        expected = amount * float(row[column])
        if expected:
            out.append(Change(level, uid, month, end=month, amount=-expected))
    if step.outcome == "won":
        out.append(Change(level, uid, step.start, end=step.start, amount=amount))
    return out


def save(con: duckdb.DuckDBPyConnection, name: str, steps: tuple[Step, ...]) -> None:
    """Save ``steps`` as the scenario ``name`` (replacing one of that name), in a writer's
    working database (``Store.writing`` / ``ui.writing``)."""
    name = name.strip()
    if not name:
        raise InputError("a scenario needs a name")
    if not steps:
        raise InputError("a scenario needs at least one change")
    for step in steps:
        _check(step)
    text = json.dumps([{**asdict(s), "start": s.start.isoformat()} for s in steps])
    with transaction(con):
        execute_sql(con, "scenarios/save", scenario_name=name, steps=text, saved_at=datetime.now())
        mark_changed(con)


def delete(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Remove the saved scenario ``name``, in a writer's working database."""
    with transaction(con):
        execute_sql(con, "scenarios/delete", scenario_name=name)
        mark_changed(con)


def saved(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Step, ...]]:
    """The saved scenarios by name (none in a database from before scenarios)."""
    try:
        frame = run_sql(con, "scenarios/saved")
    except duckdb.CatalogException:
        return {}
    return {
        row.name: tuple(
            Step(**{**s, "start": date.fromisoformat(s["start"])}) for s in json.loads(row.steps)
        )
        for row in frame.itertuples(index=False)
    }
