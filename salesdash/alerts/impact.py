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

import numpy as np

from salesdash.alerts.forecasts import TargetOutlook
from salesdash.alerts.model import Alert

UNTOUCHED_KINDS = frozenset({"target_pace", "concentration", "load_overdue", "load_anomaly"})


def touched(outlook: TargetOutlook, regions: np.ndarray, reps: np.ndarray) -> np.ndarray:
    """Which alerts (by their region and rep) lie in the target's scope."""
    if outlook.metric != "revenue":
        return np.zeros(len(regions), dtype=bool)
    if outlook.scope == "company":
        return np.ones(len(regions), dtype=bool)
    if outlook.scope == "region":
        return regions == outlook.scope_value
    if outlook.scope == "sales_rep":
        return reps == outlook.scope_value
    return np.zeros(len(regions), dtype=bool)


def attach_targets(alerts: Iterable[Alert], outlooks: Iterable[TargetOutlook]) -> list[Alert]:
    """``alerts`` with target_label, p_hit and p_hit_if_lost set where a target is touched.

    Vectorised over the alerts for each target: a refresh on a big store finds thousands.
    """
    alerts = list(alerts)
    todo = [
        i
        for i, a in enumerate(alerts)
        if a.kind not in UNTOUCHED_KINDS and a.money_at_stake > 0 and not a.target_label
    ]
    regions = np.array([alerts[i].region for i in todo], dtype=object)
    reps = np.array([alerts[i].sales_rep for i in todo], dtype=object)
    per_day = np.array([alerts[i].money_per_day for i in todo], dtype=float)
    lump = np.array([alerts[i].money_at_stake for i in todo], dtype=float)
    best_drop = np.full(len(todo), -np.inf)
    best: list[tuple[TargetOutlook, float, float] | None] = [None] * len(todo)
    for o in outlooks:
        mine = touched(o, regions, reps)
        if not mine.any():
            continue
        loss = np.where(per_day > 0, per_day * o.days_left, lump)
        before = o.p_hit
        after = o.p_hit_without(loss)
        drop = before - after
        # the biggest fall wins; on a tie the target with fewer days left (the nearer deadline)
        better = mine & (drop - best_drop > 1e-12)
        tie = mine & (np.abs(drop - best_drop) <= 1e-12)
        for j in np.flatnonzero(better | tie):
            if better[j] or best[j] is None or o.days_left < best[j][0].days_left:
                best_drop[j] = drop[j]
                best[j] = (o, before, float(after[j]))
    out = list(alerts)
    for j, i in enumerate(todo):
        if best[j] is not None:
            target, before, after = best[j]
            out[i] = replace(
                alerts[i],
                target_label=target.label,
                p_hit=round(before, 4),
                p_hit_if_lost=round(after, 4),
            )
    return out
