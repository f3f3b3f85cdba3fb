"""Paths and defaults. Every threshold carries the reason for its value."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
SQL_DIR = Path(__file__).resolve().parent / "sql"
MESSAGES_DIR = Path(__file__).resolve().parent / "messages"

DEFAULT_DB = DATA_DIR / "salesdash.duckdb"
# Server-side settings that are not for the browser: the alert digest's mail server, recipients
# and rule thresholds ([alerts] section; see salesdash/alerts/send.py).
SECRETS = ROOT / ".streamlit" / "secrets.toml"

KINDS = ("orders", "customers", "opportunities", "targets", "teams")

# A file with more bad rows than this share is refused whole: beyond it the file is more likely
# the wrong export (or mis-mapped) than a good export with a few typos.
MAX_BAD_ROW_RATE = 0.05

# DuckDB's memory cap for `python -m salesdash ingest` (the command owns its process). Without a
# cap DuckDB's buffer pool keeps what a 10M-row load writes (~750 MB) on top of Python's ~200 MB;
# with it the same load peaks near 0.7 GB in the same time. The dashboard keeps DuckDB's default.
INGEST_MEMORY_LIMIT = "500MB"

# How long a writer (a load, an undo, a target edit) waits for another one before giving up with
# a one-line reason: longer than a month's export takes end to end on a 10M-line store (~15 s)
# and than a first load of 10M lines (~40 s), short enough that a stuck job is noticed.
WRITER_WAIT_S = 300.0

# Channels of a direct-selling company, as stored; labels come from the catalogue.
CHANNELS = ("direct", "store", "online")


def db_path() -> Path:
    """The DuckDB file: $SALESDASH_DB, else data/salesdash.duckdb."""
    return Path(os.environ.get("SALESDASH_DB") or DEFAULT_DB)
