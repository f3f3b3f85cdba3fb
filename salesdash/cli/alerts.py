"""``alerts``: the open risks, most costly first, as the refresh step after the last change stored
them; ``--send`` mails or posts each recipient what is new since the last send (for cron)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime, time, timedelta

import duckdb

from salesdash import alerts
from salesdash.alerts import send, store, text
from salesdash.cli import add_writer_args, iso_date, print_json, rights
from salesdash.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("alerts", help="open risks and anomalies; --send mails the digest")
    p.add_argument(
        "--as-of",
        type=iso_date,
        help="compute the alerts of that day now instead of reading the stored ones (slow: fits "
        "forecasts; stores nothing)",
    )
    p.add_argument("--region", action="append", default=[], help="only these regions (repeatable)")
    p.add_argument("--all", action="store_true", help="include acknowledged and snoozed alerts")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the texts")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--send",
        action=_Writes,
        help="send each recipient what is new or changed (settings: .streamlit/secrets.toml); "
        "a writer: it records what went to whom",
    )
    add_writer_args(p)
    # listing reads the published snapshot; --send makes it a writer
    p.set_defaults(run=run, access="read")


class _Writes(argparse._StoreTrueAction):
    """A flag that makes the command a writer (``cli.main`` then holds the writer lock)."""

    def __call__(self, parser, namespace, values, option_string=None):
        super().__call__(parser, namespace, values, option_string)
        namespace.access = "write"


def _within(frame, scope):
    """The alerts of ``frame`` in ``scope``'s regions and reps, as alerts/stored.sql keeps them."""
    for column, values in (("region", "regions"), ("sales_rep", "sales_reps")):
        wanted = scope.params()[values]
        if wanted:
            frame = frame[frame[column].isin(wanted)]
    return frame


def run(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    now = datetime.now()
    if args.send:
        return _send(con, now)
    scope = replace(rights(args), regions=tuple(args.region))
    if args.as_of:
        # the day as it stood at its end: loads after it are not counted
        end_of_day = datetime.combine(args.as_of + timedelta(days=1), time())
        found, _ = alerts.compute(con, args.as_of, now=end_of_day)
        frame = store.decoded(store.alerts_frame(found)).assign(state="open", is_shown=True)
        frame = _within(frame, scope)
        as_of = args.as_of
    else:
        last = alerts.last_run(con)
        if last is None:
            raise InputError("no alerts computed yet: run `python -m salesdash refresh`")
        frame = alerts.stored_alerts(con, on=now.date(), scope=scope)
        as_of = last.as_of
    if not args.all:
        frame = frame[frame["is_shown"]]
    rows = frame.to_dict(orient="records")
    if args.json:
        print_json({"as_of": as_of, "alerts": [text.record(r, args.lang) for r in rows]})
        return 0
    if not rows:
        print(f"no open alerts (as of {as_of})")
        return 0
    print(f"as of {as_of}: {len(rows)} alerts, most costly first\n")
    print("\n\n".join(text.block(r, args.lang, text.url(r)) for r in rows))
    return 0


def _send(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    cfg = send.load_config()
    if not cfg.recipients:
        raise InputError(
            "no recipients: add [[alerts.recipients]] to .streamlit/secrets.toml or set "
            "SALESDASH_ALERT_EMAILS / SALESDASH_ALERT_WEBHOOK"
        )
    alerts.refresh_clock(con, now=now)
    failed = 0
    for delivery in send.send_digests(con, cfg, now=now):
        if delivery.error:
            failed += 1
            print(f"error: {delivery.recipient.address}: {delivery.error}", file=sys.stderr)
        else:
            print(f"{delivery.recipient.address}: sent {delivery.n_alerts} alerts")
    return 1 if failed else 0
