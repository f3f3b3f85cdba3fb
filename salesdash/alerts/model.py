"""What an alert is: a typed risk with its owner, its numbers, its money and a response.

An alert's ``key`` is its stable identity: a digest of its kind and the thing it is about (the
region and month, the customer and their last order, the deal and its stage), never of its numbers
or the data version. Acknowledge, snooze and "already sent" follow an alert by its key, so they
hold across loads and undo while the alert is still about the same thing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

SEVERITIES = ("info", "warning", "critical")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

# Who answers for an alert: a region's manager, a rep, a customer's owner, the company, or the
# analysts who feed the data.
OWNER_KINDS = ("company", "region", "channel", "category", "sales_rep", "customer", "data")


def alert_key(kind: str, *parts: object) -> str:
    """The stable identity of an alert: ``kind`` and what it is about, as a short digest."""
    text = "|".join([kind, *(str(p) for p in parts)])
    return f"{kind}:{hashlib.sha1(text.encode()).hexdigest()[:16]}"


@dataclass(frozen=True)
class Link:
    """The page that shows an alert in detail, with its filters in the URL.

    ``params`` are the query parameters the page reads (``ui.filter_bar``: period, from, to,
    region, channel; Explore: drill, dim).
    """

    page: str
    params: tuple[tuple[str, str], ...] = ()

    def url(self, lang: str | None = None) -> str:
        """A URL relative to the dashboard's root: ``explore?region=East&period=custom&…``."""
        params = list(self.params) + ([("lang", lang)] if lang else [])
        return f"{self.page}?{urlencode(params)}" if params else self.page

    def plus(self, *params: tuple[str, str]) -> Link:
        """The same page with more query parameters (an Explore drill or view)."""
        return Link(self.page, self.params + params)

    @classmethod
    def for_period(cls, page: str, start: date, end: date, **filters: str | None) -> Link:
        """``page`` with the filter bar set to [start, end] and the given filters."""
        params = [("period", "custom"), ("from", start.isoformat()), ("to", end.isoformat())]
        params += [(name, value) for name, value in filters.items() if value]
        return cls(page, tuple(params))


@dataclass(frozen=True)
class Alert:
    """One risk found on ``as_of``.

    Attributes:
        kind: the rule that found it (a code of ``salesdash.alerts.KINDS``).
        key: stable identity (see the module docstring).
        severity: "info" (worth a look), "warning" (act this week), "critical" (act now).
        owner_kind, owner: who answers for it (see ``OWNER_KINDS``); owner "" for the company.
        region, sales_rep, customer_id: where it belongs (None: company-wide); region decides
            who may see it.
        subject: what it is about, as shown (a region, a customer id, a deal id, a table).
        facts: the numbers that show what happened, named by the column vocabulary (``*_amount``
            money, ``*_share``/``*_rate``/``p_*`` 0–1 ratios, ``*_date`` ISO dates, ``n_*`` and
            ``*_days`` counts); the message catalogue's ``alerts.<kind>.what`` uses them.
        money_at_stake: the money the risk is about (the rule's docstring says which).
        money_per_day: for a risk that goes on (a quiet customer, a region below its range), the
            money it costs per day if it lasts; 0 for a one-off amount.
        response: code of the suggested response (``alerts.response.<code>`` in the catalogue).
        link: the page that shows it, filters set.
        target_label, p_hit, p_hit_if_lost, p_hit_change: the running target it affects most,
            its chance of being hit now, if the money at stake is lost within its period, and the
            change since the previous data version (pace alerts); None without a target.
    """

    kind: str
    key: str
    severity: str
    owner_kind: str
    owner: str
    subject: str
    as_of: date
    facts: dict[str, Any] = field(default_factory=dict, hash=False)
    region: str | None = None
    sales_rep: str | None = None
    customer_id: str | None = None
    money_at_stake: float = 0.0
    money_per_day: float = 0.0
    response: str = ""
    link: Link = Link("overview")
    target_label: str | None = None
    p_hit: float | None = None
    p_hit_if_lost: float | None = None
    p_hit_change: float | None = None

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[self.severity]


def severity_at_least(severity: str, minimum: str) -> bool:
    """True when ``severity`` is ``minimum`` or worse."""
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum]


def by_cost(alerts: list[Alert]) -> list[Alert]:
    """Most costly first: severity, then money at stake, then key (a stable order)."""
    return sorted(alerts, key=lambda a: (-a.severity_rank, -a.money_at_stake, a.key))
