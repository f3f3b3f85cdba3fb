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

KINDS = ("orders", "customers", "opportunities", "targets", "teams")

# A file with more bad rows than this share is refused whole: beyond it the file is more likely
# the wrong export (or mis-mapped) than a good export with a few typos.
MAX_BAD_ROW_RATE = 0.05

# DuckDB's memory cap for `python -m salesdash ingest` (the command owns its process). Without a
# cap DuckDB's buffer pool keeps what a 10M-row load writes (~750 MB) on top of Python's ~200 MB;
# with it the same load peaks near 0.7 GB in the same time. The dashboard keeps DuckDB's default.
INGEST_MEMORY_LIMIT = "500MB"

# A session's upload folder is removed when the session ends; one still on disk after a day was
# left by a server that was killed, and the next session to create a folder removes it. A day is
# far longer than any upload waits for its Load click.
UPLOAD_FOLDER_MAX_AGE_S = 24 * 3600

# Channels of a direct-selling company, as stored; labels come from the catalogue.
CHANNELS = ("direct", "store", "online")


def db_path() -> Path:
    """The DuckDB file: $SALESDASH_DB, else data/salesdash.duckdb."""
    return Path(os.environ.get("SALESDASH_DB") or DEFAULT_DB)
