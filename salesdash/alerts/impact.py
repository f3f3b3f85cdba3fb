"""What a risk does to the chance of hitting the targets it touches.

For each alert with money at stake and no target of its own (a pipeline gap is about its
quarter's target already), the running revenue targets of its rep, its region and the
company are candidates. The money it would cost within a target's remaining days — per day ×
days left for a risk that goes on, else the amount — is taken off each sample total of that
target; the target whose chance falls most is the one shown, with P(hit) now and if the money is
lost. Pace alerts are about a target already; concentration is a standing exposure rather than
a loss in sight, and data alerts carry no money: those three are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from salesdash.alerts.forecasts import TargetOutlook
from salesdash.alerts.model import Alert

UNTOUCHED_KINDS = frozenset({"target_pace", "concentration", "load_overdue", "load_anomaly"})


def loss_within(alert: Alert, outlook: TargetOutlook) -> float:
    """The money ``alert`` costs within ``outlook``'s remaining days."""
    if alert.money_per_day > 0:
        return alert.money_per_day * outlook.days_left
    return alert.money_at_stake


def touches(alert: Alert, outlook: TargetOutlook) -> bool:
    """True when the target's scope contains what the alert is about."""
    if outlook.metric != "revenue":
        return False
    return (
        outlook.scope == "company"
        or (outlook.scope == "region" and outlook.scope_value == alert.region)
        or (outlook.scope == "sales_rep" and outlook.scope_value == alert.sales_rep)
    )


def attach_targets(alerts: Iterable[Alert], outlooks: Iterable[TargetOutlook]) -> list[Alert]:
    """``alerts`` with target_label, p_hit and p_hit_if_lost set where a target is touched."""
    outlooks = list(outlooks)
    out = []
    for alert in alerts:
        if alert.kind in UNTOUCHED_KINDS or alert.money_at_stake <= 0 or alert.target_label:
            out.append(alert)
            continue
        effects = [
            (o.p_hit, o.p_hit_without(loss_within(alert, o)), o)
            for o in outlooks
            if touches(alert, o)
        ]
        if not effects:
            out.append(alert)
            continue
        before, after, target = max(effects, key=lambda e: (e[0] - e[1], -e[2].days_left))
        out.append(
            replace(
                alert,
                target_label=target.label,
                p_hit=round(before, 4),
                p_hit_if_lost=round(after, 4),
            )
        )
    return out
