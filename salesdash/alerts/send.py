"""The digest: each recipient gets the alerts in their own scope that are new or changed since
the last send, by e-mail (SMTP) or as JSON to a webhook.

Settings come from the ``[alerts]`` section of ``.streamlit/secrets.toml`` and from the
environment (which wins)::

    [alerts]
    base_url = "https://salesdash.example.com"   # links in the digest point here
    min_severity = "warning"                      # the least severe alert sent

    [alerts.smtp]
    host = "smtp.example.com"
    port = 587
    user = "salesdash"
    password = "…"
    sender = "salesdash@example.com"
    starttls = true

    [[alerts.recipients]]
    email = "east.manager@example.com"            # or: webhook = "https://…"
    regions = ["East"]                            # leave out for every region
    lang = "zh"

Environment: ``SALESDASH_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_FROM``,
``_STARTTLS`` (1/0); ``SALESDASH_ALERT_EMAILS`` (comma-separated addresses seeing every region),
``SALESDASH_ALERT_WEBHOOK`` (a URL seeing every region), ``SALESDASH_BASE_URL``.

Who sees what (``recipient_scope``): an e-mail recipient on the access list (salesdash/access.py)
gets what their role may see, narrowed to the ``regions`` of their entry if it names some; an
address not on the list gets nothing once the list has anyone on it. A webhook, and everyone while
the list is empty (a one-person install without sign-in), gets the ``regions`` of their entry.
Company-wide alerts go only to recipients who see every region.
"""

from __future__ import annotations

import json
import os
import smtplib
import tomllib
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

import duckdb
import pandas as pd

from salesdash import access, config
from salesdash.alerts import store, text
from salesdash.alerts.model import SEVERITIES, SEVERITY_RANK
from salesdash.errors import InputError
from salesdash.scope import NO_REGION, Scope

# Info alerts are for the page; the digest carries what asks for action.
DEFAULT_MIN_SEVERITY = "warning"
# An alert sent before goes again when its severity changed or its money at stake moved by a
# fifth: smaller moves are the daily drift of a figure, not news.
CHANGE_SHARE = 0.20
# A webhook or mail server that does not answer in this long is down, not slow.
TIMEOUT_S = 20


@dataclass(frozen=True)
class Recipient:
    """Someone the digest goes to: an e-mail address or a webhook URL, the regions they may see
    (None: every region and the company-wide alerts), and their language."""

    address: str
    channel: str  # "email" | "webhook"
    regions: tuple[str, ...] | None = None
    lang: str = "en"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "salesdash@localhost"
    starttls: bool = False


@dataclass(frozen=True)
class SendConfig:
    recipients: tuple[Recipient, ...]
    smtp: SmtpSettings | None = None
    base_url: str = ""
    min_severity: str = DEFAULT_MIN_SEVERITY


def recipient_scope(con: duckdb.DuckDBPyConnection, recipient: Recipient) -> Scope:
    """The Scope a recipient may see (see the module docstring): their role's, within the
    regions of their entry."""
    entry = Scope(allowed_regions=recipient.regions)
    if recipient.channel != "email" or access.grants(con).empty:
        return entry
    user = access.user_for(con, recipient.address)
    if user is None:
        return Scope(allowed_regions=(NO_REGION,))
    return replace(access.scope_for(user), regions=recipient.regions or ())


def load_config(secrets: Path | None = None, env: Mapping[str, str] | None = None) -> SendConfig:
    """The digest's settings from ``secrets`` and ``env`` (see the module docstring).

    Raises:
        InputError: a recipient without an address, or an unknown severity.
    """
    env = os.environ if env is None else env
    section = alerts_section(secrets)
    recipients = [_recipient(entry) for entry in section.get("recipients", [])]
    recipients += [
        Recipient(a.strip(), "email")
        for a in env.get("SALESDASH_ALERT_EMAILS", "").split(",")
        if a.strip()
    ]
    if env.get("SALESDASH_ALERT_WEBHOOK"):
        recipients.append(Recipient(env["SALESDASH_ALERT_WEBHOOK"], "webhook"))
    smtp = dict(section.get("smtp", {}))
    for key, name in (
        ("host", "HOST"),
        ("port", "PORT"),
        ("user", "USER"),
        ("password", "PASSWORD"),
        ("sender", "FROM"),
        ("starttls", "STARTTLS"),
    ):
        if env.get(f"SALESDASH_SMTP_{name}"):
            smtp[key] = env[f"SALESDASH_SMTP_{name}"]
    min_severity = section.get("min_severity", DEFAULT_MIN_SEVERITY)
    if min_severity not in SEVERITIES:
        raise InputError(f"alerts.min_severity '{min_severity}' is not one of {SEVERITIES}")
    return SendConfig(
        recipients=tuple(recipients),
        smtp=_smtp(smtp) if smtp.get("host") else None,
        base_url=env.get("SALESDASH_BASE_URL") or section.get("base_url", ""),
        min_severity=min_severity,
    )


def alerts_section(secrets: Path | None = None) -> dict:
    """The ``[alerts]`` section of ``secrets`` (default ``config.SECRETS``); empty without one."""
    path = secrets or config.SECRETS
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh).get("alerts", {})


def _recipient(entry: dict) -> Recipient:
    regions = entry.get("regions")
    scope = tuple(regions) if regions is not None else None
    lang = entry.get("lang", "en")
    if entry.get("email"):
        return Recipient(entry["email"], "email", scope, lang)
    if entry.get("webhook"):
        return Recipient(entry["webhook"], "webhook", scope, lang)
    raise InputError(f"alerts.recipients entry {entry} has neither 'email' nor 'webhook'")


def _smtp(values: dict) -> SmtpSettings:
    starttls = values.get("starttls", False)
    if isinstance(starttls, str):
        starttls = starttls.strip().lower() in ("1", "true", "yes")
    return SmtpSettings(
        host=values["host"],
        port=int(values.get("port", 25)),
        user=values.get("user"),
        password=values.get("password"),
        sender=values.get("sender", "salesdash@localhost"),
        starttls=bool(starttls),
    )


def due(
    con: duckdb.DuckDBPyConnection,
    recipient: Recipient,
    *,
    on: date,
    min_severity: str = DEFAULT_MIN_SEVERITY,
) -> pd.DataFrame:
    """The stored alerts to send ``recipient``: in their scope, shown (not snoozed or
    acknowledged, unless worse since), at least ``min_severity``, and new or changed since the
    last send to them (see ``CHANGE_SHARE``)."""
    frame = store.stored_alerts(con, on=on, scope=recipient_scope(con, recipient))
    frame = frame[frame["is_shown"] & (frame["severity_rank"] >= SEVERITY_RANK[min_severity])]
    sent = store.sent_before(con, recipient.address).rename(
        columns={"severity_rank": "sent_rank", "money_at_stake": "sent_money"}
    )
    frame = frame.merge(sent, on="alert_key", how="left")
    moved = (frame["money_at_stake"] - frame["sent_money"]).abs() > CHANGE_SHARE * frame[
        "sent_money"
    ].abs()
    news = frame["sent_rank"].isna() | (frame["sent_rank"] != frame["severity_rank"]) | moved
    return frame[news].drop(columns=["sent_rank", "sent_money"]).reset_index(drop=True)


def email_message(
    recipient: Recipient, alerts: pd.DataFrame, *, sender: str, base_url: str
) -> EmailMessage:
    """The digest e-mail: a subject with the counts, one block of text per alert."""
    lang = recipient.lang
    rows = alerts.to_dict(orient="records")
    n_critical = sum(r["severity"] == "critical" for r in rows)
    message = EmailMessage()
    message["Subject"] = (
        f"salesdash: {len(rows)} 条预警（{n_critical} 条严重）"
        if lang == "zh"
        else f"salesdash: {len(rows)} alerts ({n_critical} critical)"
    )
    message["From"] = sender
    message["To"] = recipient.address
    blocks = [text.block(r, lang, text.url(r, base_url, lang)) for r in rows]
    message.set_content("\n\n".join(blocks) + "\n")
    return message


def webhook_payload(recipient: Recipient, alerts: pd.DataFrame, *, base_url: str) -> dict:
    """The JSON a webhook receives: the recipient's scope and one record per alert."""
    return {
        "source": "salesdash",
        "regions": list(recipient.regions) if recipient.regions is not None else None,
        "alerts": [
            text.record(r, recipient.lang, base_url) for r in alerts.to_dict(orient="records")
        ],
    }


def _deliver(recipient: Recipient, alerts: pd.DataFrame, cfg: SendConfig) -> None:
    if recipient.channel == "webhook":
        body = json.dumps(
            webhook_payload(recipient, alerts, base_url=cfg.base_url),
            ensure_ascii=False,
            default=str,
        ).encode()
        request = urllib.request.Request(
            recipient.address, body, {"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            response.read()
        return
    if cfg.smtp is None:
        raise InputError(
            f"no SMTP server set for {recipient.address} (alerts.smtp in secrets.toml or "
            "SALESDASH_SMTP_HOST)"
        )
    message = email_message(recipient, alerts, sender=cfg.smtp.sender, base_url=cfg.base_url)
    with smtplib.SMTP(cfg.smtp.host, cfg.smtp.port, timeout=TIMEOUT_S) as smtp:
        if cfg.smtp.starttls:
            smtp.starttls()
        if cfg.smtp.user:
            smtp.login(cfg.smtp.user, cfg.smtp.password or "")
        smtp.send_message(message)


@dataclass(frozen=True)
class Delivery:
    """What one recipient got: how many alerts, or the one-line reason it failed."""

    recipient: Recipient
    n_alerts: int
    error: str | None = None


def send_digests(
    con: duckdb.DuckDBPyConnection, cfg: SendConfig, *, now: datetime
) -> list[Delivery]:
    """Send every recipient what is due (``due``) and record it as sent; a recipient whose
    delivery fails keeps their alerts due for the next run, and the others still get theirs."""
    out = []
    for recipient in cfg.recipients:
        alerts = due(con, recipient, on=now.date(), min_severity=cfg.min_severity)
        if alerts.empty:
            out.append(Delivery(recipient, 0))
            continue
        try:
            _deliver(recipient, alerts, cfg)
        except (OSError, smtplib.SMTPException, InputError) as exc:
            out.append(Delivery(recipient, 0, f"{type(exc).__name__}: {exc}"))
            continue
        store.mark_sent(con, recipient.address, alerts, now=now)
        out.append(Delivery(recipient, len(alerts)))
    return out
