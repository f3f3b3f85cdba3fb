"""Alerts in words, in English or Chinese: the page, the command line and the digest say the same.

An alert's facts are formatted by their names (``model.Alert``): ``*_amount`` as money,
``*_share``/``*_rate``/``p_*`` as percentages, ``*_date`` as days, ``*_value`` as numbers. A
formatted ``x_amount`` or ``x_value`` is also offered as ``x``, so one template serves revenue
and order targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from salesdash import fmt, i18n
from salesdash.alerts import store
from salesdash.alerts.model import Link

# The fact that picks a kind's wording, where one kind has several.
VARIANT = {
    "revenue_out_of_range": "direction",
    "concentration": "measure",
    "load_anomaly": "measure",
}
_CODES = ("grain", "direction", "measure", "stage", "metric", "scope")
# Columns of the alerts table a record leaves out: codes and encodings the texts and url replace.
_INTERNAL = (
    "severity_rank",
    "facts_json",
    "money_per_day",
    "response",
    "link_page",
    "link_params_json",
)


def _percent(x: float) -> str:
    return "<0.1%" if x < 0.001 else fmt.percent(x, 0 if x >= 0.1 else 1)


def format_facts(facts: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Every fact as text in ``lang`` (see the module docstring)."""
    out: dict[str, str] = {}
    for name, value in facts.items():
        if value is None:
            text = "–"
        elif name.endswith("_amount"):
            text = fmt.money(value, lang)
        elif name.endswith(("_share", "_rate")) or name.startswith("p_"):
            text = _percent(value)
        elif name.endswith("_date"):
            text = fmt.date_label(date.fromisoformat(value), lang)
        elif name.endswith("_value"):
            text = fmt.compact_number(value, lang)
        elif name in _CODES and i18n.has(f"alerts.code.{value}"):
            text = i18n.t(f"alerts.code.{value}", lang)
        elif isinstance(value, float):
            text = f"{value:,.1f}".rstrip("0").rstrip(".")
        else:
            text = str(value)
        out[name] = text
        for suffix in ("_amount", "_value"):
            if name.endswith(suffix):
                out[name.removesuffix(suffix)] = text
    return out


def title(kind: str, lang: str) -> str:
    """The kind's name: "Revenue out of range" / "收入超出预测区间"."""
    return i18n.t(f"alerts.kind.{kind}", lang)


def what(alert: Mapping[str, Any], lang: str) -> str:
    """What happened, with the numbers (``alert``: a stored-alert row or ``asdict(Alert)``)."""
    kind, facts = alert["kind"], alert["facts"]
    key = f"alerts.what.{kind}"
    if kind in VARIANT:
        key += f".{facts[VARIANT[kind]]}"
    subject = alert["subject"] or i18n.t("alerts.code.company", lang)
    return i18n.t(key, lang, subject=subject, owner=alert["owner"], **format_facts(facts, lang))


def stake(alert: Mapping[str, Any], lang: str) -> str | None:
    """What it means in money and in the chance of hitting the target it touches (None: nothing
    to say)."""
    parts = []
    if alert["money_at_stake"]:
        parts.append(
            i18n.t("alerts.stake.money", lang, amount=fmt.money(alert["money_at_stake"], lang))
        )
    p_hit, after, change = alert["p_hit"], alert["p_hit_if_lost"], alert["p_hit_change"]
    if _known(p_hit) and _known(after):
        parts.append(
            i18n.t(
                "alerts.stake.p_hit_if_lost",
                lang,
                target=alert["target_label"],
                p_hit=_percent(p_hit),
                after=_percent(after),
            )
        )
    elif _known(p_hit) and _known(change):
        parts.append(
            i18n.t(
                "alerts.stake.p_hit_change",
                lang,
                p_hit=_percent(p_hit),
                points=f"{change * 100:+.0f}",
            )
        )
    return " · ".join(parts) or None


def _known(x: Any) -> bool:
    return x is not None and x == x


def response(alert: Mapping[str, Any], lang: str) -> str:
    """The suggested response."""
    return i18n.t(f"alerts.response.{alert['response']}", lang)


def severity(code: str, lang: str) -> str:
    return i18n.t(f"alerts.severity.{code}", lang)


def owner(alert: Mapping[str, Any], lang: str) -> str:
    """ "Region East", "Rep Wang Wei", "Company" — who answers for it."""
    name = alert["owner"] or ""
    return i18n.t(f"alerts.owner_kind.{alert['owner_kind']}", lang, name=name).strip()


def url(alert: Mapping[str, Any], base_url: str = "", lang: str | None = None) -> str:
    """The link to the page that shows the alert, absolute when ``base_url`` is given."""
    link = Link(alert["link_page"], tuple(alert["link_params"]))
    return f"{base_url.rstrip('/')}/{link.url(lang)}" if base_url else link.url(lang)


def record(alert: Mapping[str, Any], lang: str, base_url: str = "") -> dict[str, Any]:
    """The alert as a JSON-ready dict: its fields, the texts in ``lang`` and its link."""
    fields = [c for c in store.COLUMNS if c not in _INTERNAL] + ["facts"]
    out = {f: _plain(alert.get(f)) for f in fields}
    out.update(
        title=title(alert["kind"], lang),
        what=what(alert, lang),
        stake=stake(alert, lang),
        response=response(alert, lang),
        url=url(alert, base_url),
        state=alert.get("state", "open"),
    )
    return out


def _plain(value: Any) -> Any:
    """NaN and missing as None, numpy and pandas scalars as Python ones."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return value.item() if hasattr(value, "item") else value


def block(alert: Mapping[str, Any], lang: str, link: str | None = None) -> str:
    """The alert as a few lines of plain text (the command line and the e-mail digest)."""
    head = (
        f"[{severity(alert['severity'], lang)}] {title(alert['kind'], lang)} — {owner(alert, lang)}"
    )
    lines = [head, f"  {what(alert, lang)}"]
    money = stake(alert, lang)
    if money:
        lines.append(f"  {money}")
    lines.append(f"  → {response(alert, lang)}")
    if link:
        lines.append(f"  {link}")
    return "\n".join(lines)
