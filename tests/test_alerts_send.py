"""The digest against a real SMTP server (aiosmtpd) and a real HTTP receiver, both on localhost:
each recipient gets the alerts of their scope, once, and never a snoozed one."""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from salesdash import alerts, config
from salesdash.alerts import send
from salesdash.cli import main
from salesdash.store import Store
from tests.test_alerts_store import alert, save

NOW = datetime(2025, 6, 30, 7, 0)


class Mailbox:
    """What the SMTP server received: (recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its server by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def receiver() -> Iterator[tuple[list[dict], str]]:
    """A localhost HTTP server keeping every JSON body POSTed to it."""
    bodies: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's hook name)
            length = int(self.headers["Content-Length"])
            bodies.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield bodies, f"http://127.0.0.1:{server.server_port}/hook"
    finally:
        server.shutdown()
        server.server_close()


def stored(con) -> None:
    save(
        con,
        [
            alert("east", severity="warning", region="East"),
            alert("east-info", severity="info", region="East"),
            alert("east-snoozed", severity="critical", region="East"),
            alert("west", severity="critical", region="West"),
            alert("firm", severity="warning", region=None),
        ],
    )
    alerts.set_state(con, "east-snoozed", "snooze", user="ana", now=NOW, until=date(2099, 1, 1))


def secrets(tmp_path: Path, port: int, hook: str) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(
        f"""
[alerts]
base_url = "https://dash.example.com"

[alerts.smtp]
host = "127.0.0.1"
port = {port}
sender = "salesdash@example.com"

[[alerts.recipients]]
email = "east@example.com"
regions = ["East"]
lang = "zh"

[[alerts.recipients]]
email = "boss@example.com"

[[alerts.recipients]]
webhook = "{hook}"
regions = ["West"]
""",
        encoding="utf-8",
    )
    return path


def test_each_recipient_gets_their_scope_once_and_never_a_snoozed_alert(
    con, smtp, receiver, tmp_path
):
    box, port = smtp
    bodies, hook = receiver
    stored(con)
    cfg = send.load_config(secrets(tmp_path, port, hook), env={})

    sent = {d.recipient.address: d.n_alerts for d in send.send_digests(con, cfg, now=NOW)}
    assert sent == {"east@example.com": 1, "boss@example.com": 3, hook: 1}
    (east,) = box.to("east@example.com")
    assert east["Subject"] == "salesdash: 1 条预警（0 条严重）"
    assert "https://dash.example.com/explore?drill=customer%3AA&lang=zh" in east.get_content()
    (boss,) = box.to("boss@example.com")
    assert boss["Subject"] == "salesdash: 3 alerts (1 critical)"
    (payload,) = bodies
    assert payload["regions"] == ["West"]
    assert [a["alert_key"] for a in payload["alerts"]] == ["west"]
    assert payload["alerts"][0]["severity"] == "critical"
    assert payload["alerts"][0]["url"] == "https://dash.example.com/explore?drill=customer%3AA"

    again = send.send_digests(con, cfg, now=NOW + timedelta(days=1))
    assert [d.n_alerts for d in again] == [0, 0, 0]
    assert len(box.messages) == 2 and len(bodies) == 1

    save(
        con,
        [
            alert("east", severity="warning", region="East", money=130.0),  # +30%: changed
            alert("east-snoozed", severity="critical", region="East"),
            alert("west", severity="critical", region="West", money=110.0),  # +10%: not news
            alert("firm", severity="warning", region=None),
        ],
    )
    third = {d.recipient.address: d.n_alerts for d in send.send_digests(con, cfg, now=NOW)}
    assert third == {"east@example.com": 1, "boss@example.com": 1, hook: 0}


def test_a_recipient_whose_server_is_down_keeps_their_alerts_due(con, receiver, tmp_path):
    bodies, hook = receiver
    stored(con)
    closed_port = 1  # nothing listens there
    cfg = send.load_config(secrets(tmp_path, closed_port, hook), env={})
    result = {d.recipient.address: d for d in send.send_digests(con, cfg, now=NOW)}
    assert result["east@example.com"].error and result["east@example.com"].n_alerts == 0
    assert result[hook].n_alerts == 1
    assert len(send.due(con, cfg.recipients[0], on=NOW.date())) == 1


def test_the_environment_names_recipients_and_the_server(tmp_path):
    cfg = send.load_config(
        tmp_path / "none.toml",
        env={
            "SALESDASH_SMTP_HOST": "mail.local",
            "SALESDASH_SMTP_PORT": "2525",
            "SALESDASH_SMTP_STARTTLS": "1",
            "SALESDASH_ALERT_EMAILS": "a@x.com, b@x.com",
            "SALESDASH_ALERT_WEBHOOK": "http://127.0.0.1:9/h",
        },
    )
    assert [(r.address, r.channel, r.regions) for r in cfg.recipients] == [
        ("a@x.com", "email", None),
        ("b@x.com", "email", None),
        ("http://127.0.0.1:9/h", "webhook", None),
    ]
    assert (cfg.smtp.host, cfg.smtp.port, cfg.smtp.starttls) == ("mail.local", 2525, True)


def test_the_command_sends_the_digest_and_says_so(tmp_path, smtp, monkeypatch, capsys):
    box, port = smtp
    path = tmp_path / "s.duckdb"
    with Store(path).writing("alerts for the test") as con:
        stored(con)
    monkeypatch.setattr(config, "SECRETS", tmp_path / "absent.toml")
    monkeypatch.setenv("SALESDASH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SALESDASH_SMTP_PORT", str(port))
    monkeypatch.setenv("SALESDASH_ALERT_EMAILS", "boss@example.com")
    assert main(["--db", str(path), "alerts", "--send"]) == 0
    assert "boss@example.com: sent" in capsys.readouterr().out
    assert len(box.to("boss@example.com")) == 1
    assert main(["--db", str(path), "alerts", "--send"]) == 0
    assert "boss@example.com: sent 0 alerts" in capsys.readouterr().out


def test_the_command_lists_the_stored_alerts_as_json(tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    with Store(path).writing("alerts for the test") as con:
        stored(con)
    assert main(["--db", str(path), "alerts", "--json", "--region", "East"]) == 0
    out = json.loads(capsys.readouterr().out)
    # the snoozed one is left out; the page's info alerts are listed
    assert [a["alert_key"] for a in out["alerts"]] == ["east", "east-info"]
    assert out["alerts"][0]["title"] == "Customer going quiet"


def test_the_command_says_when_nothing_was_computed_yet(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "e.duckdb"), "alerts"]) == 2
    assert "salesdash refresh" in capsys.readouterr().err
