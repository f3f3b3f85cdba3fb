"""What-if scenarios: saved by name and read back, and resolved against the demo's data."""

from __future__ import annotations

from datetime import date

import pytest

from salesdash import db, forecast, scenarios
from salesdash.errors import InputError
from salesdash.scope import Scope

DECEMBER = date(2026, 12, 1)
STEPS = (
    scenarios.Step("region", "East", DECEMBER, pct=5.0),
    scenarios.Step("customer", "C000001", DECEMBER),
    scenarios.Step("deal", "OP0000001", date(2027, 1, 1), outcome="won"),
)


def test_a_scenario_is_saved_by_name_read_back_replaced_and_deleted(con):
    scenarios.save(con, " East push ", STEPS)
    scenarios.save(con, "Lost deal", STEPS[2:])
    assert scenarios.saved(con) == {"East push": STEPS, "Lost deal": STEPS[2:]}
    scenarios.save(con, "East push", STEPS[:1])
    assert scenarios.saved(con)["East push"] == STEPS[:1]
    scenarios.delete(con, "Lost deal")
    assert list(scenarios.saved(con)) == ["East push"]
    # every save and delete is a write the store publishes
    assert db.scalar(con, "select changed from store_state") == 4


@pytest.mark.parametrize(
    ("name", "steps", "reason"),
    [
        ("  ", STEPS, "a scenario needs a name"),
        ("x", (), "a scenario needs at least one change"),
        ("x", (scenarios.Step("deal", "O1", DECEMBER, outcome="maybe"),), "won or lost"),
        ("x", (scenarios.Step("weather", "East", DECEMBER),), "unknown what-if change"),
    ],
)
def test_a_scenario_that_cannot_be_saved_says_why(con, name, steps, reason):
    with pytest.raises(InputError, match=reason):
        scenarios.save(con, name, steps)
    assert scenarios.saved(con) == {}


def test_each_step_becomes_the_change_it_says(demo_reader):
    near = forecast.near_term(demo_reader, Scope())
    customer = scenarios.key_customers(demo_reader, Scope(), as_of=near.as_of).iloc[0]
    # the customer's revenue over the twelve months to October 2026, by hand from the orders
    twelve_months = demo_reader.execute(
        "select sum(revenue) from orders where customer_id = ? "
        "and order_date between '2025-11-01' and '2026-10-31'",
        [customer["customer_id"]],
    ).fetchone()[0]
    deal = scenarios.open_deals(near).iloc[0]
    steps = (
        scenarios.Step("region", "East", DECEMBER, pct=5.0),
        scenarios.Step("customer", customer["customer_id"], DECEMBER),
        scenarios.Step("deal", deal["opportunity_id"], DECEMBER, outcome="won"),
    )
    region, lost, *won = scenarios.resolve(demo_reader, Scope(), steps)
    assert region == forecast.Change("region", "East", DECEMBER, factor=1.05)
    assert (lost.level, lost.unique_id, lost.start) == ("region", customer["region"], DECEMBER)
    assert lost.amount == pytest.approx(-twelve_months / 12)
    # won in December: its amount then, less what the near term expected of it month by month
    assert sum(c.amount for c in won) == pytest.approx(deal["amount"] - deal["expected"])
    assert won[-1] == forecast.Change(
        "region", deal["region"], DECEMBER, end=DECEMBER, amount=deal["amount"]
    )


def test_a_step_that_does_not_apply_is_refused_with_its_reason(demo_reader):
    with pytest.raises(InputError, match="region 'East' is not in this view"):
        scenarios.resolve(
            demo_reader,
            Scope(regions=("North",)),
            (scenarios.Step("region", "East", DECEMBER, pct=5.0),),
        )
    with pytest.raises(InputError, match="bought nothing in the last 12 months"):
        scenarios.resolve(demo_reader, Scope(), (scenarios.Step("customer", "NOBODY", DECEMBER),))
    with pytest.raises(InputError, match="was not open on 2026-10-31"):
        scenarios.resolve(
            demo_reader, Scope(), (scenarios.Step("deal", "NONE", DECEMBER, outcome="lost"),)
        )
