"""Paths and defaults. Every threshold carries the reason for its value."""

from __future__ import annotations

import os
from datetime import date
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

# What a loaded value may be (ingest/parsing.py Plausible). Exports carry placeholders and typos
# (9999-12-31, 1900-01-01, 2205 for 2025, 1e308): one such row moved every page's default period
# to the year 9999 and broke the pages' date arithmetic, so rows outside are rejected with their
# line, like any unreadable value.
# - events (orders, deals, sign-ups): no company keeps CRM exports from before 1990; orders can be
#   pre-dated and deals expected to close within the year after the load day, rarely later;
EARLIEST_PLAUSIBLE_DATE = date(1990, 1, 1)
PLAUSIBLE_DAYS_AHEAD = 366
# - target periods are planned for the next few years, not decades;
TARGET_DAYS_AHEAD = 5 * 366
# - birthdays run from the oldest living customers to the load day;
EARLIEST_PLAUSIBLE_BIRTHDAY = date(1900, 1, 1)
# - amounts (revenue, price, cost, quantity, deal amount, target) must be finite and within a
#   trillion: more than any order line or yearly target of a company selling direct, and far
#   enough from float overflow that a sum of 100M lines stays finite and exact to the cent.
MAX_AMOUNT = 1e12

# DuckDB's memory cap for `python -m salesdash ingest` (the command owns its process). Without a
# cap DuckDB's buffer pool keeps what a 10M-row load writes (~750 MB) on top of Python's ~200 MB;
# with it the same load peaks near 0.7 GB in the same time. The dashboard keeps DuckDB's default.
INGEST_MEMORY_LIMIT = "500MB"

# Limits of what one file may be. A real export is a few dozen columns; the mapping shows one choice
# per column and DuckDB reads each as a typed column, so a header of thousands is an attack or the
# wrong file, not an export.
MAX_COLUMNS = 500
# Workbooks (.xlsx) are read in a child process (ingest/workbook.py) within these limits:
# - rows and cell length: Excel's own limits (1,048,576 rows, 32,767 characters a cell); a sheet
#   beyond them was not made by Excel or for it;
WORKBOOK_MAX_ROWS = 1_048_576
WORKBOOK_MAX_CELL_CHARS = 32_767
# - XML: a full sheet of a 13-column export (the canonical orders) is about 650 MB of XML as Excel
#   and openpyxl write it; a zip claiming more holds something else (the 2 MB bomb of issue 13
#   claims 2 GiB);
WORKBOOK_MAX_XML_BYTES = 1 << 30
# - memory: calamine keeps the whole sheet, about 80 bytes a cell plus the strings; that full
#   13-column sheet peaks at 1.2 GB in the child (bench/hostile_bench.py), so 2 GiB leaves room
#   and still cannot take a 24 GB server down even with several uploads at once;
WORKBOOK_MEMORY_LIMIT_BYTES = 2 << 30
# - CPU: that full sheet took 41 s with the machine's load average at 7; five times that is a
#   file built to be slow (the child is killed; the parent stops waiting after three times this).
WORKBOOK_CPU_LIMIT_S = 200

# A session's upload folder is removed when the session ends; one still on disk after a day was
# left by a server that was killed, and the next session to create a folder removes it. A day is
# far longer than any upload waits for its Load click.
UPLOAD_FOLDER_MAX_AGE_S = 24 * 3600

# How long a writer (a load, an undo, a target edit) waits for another one before giving up with
# a one-line reason: longer than a month's export takes end to end on a 10M-line store (~15 s)
# and than a first load of 10M lines (~40 s), short enough that a stuck job is noticed.
WRITER_WAIT_S = 300.0

# Channels of a direct-selling company, as stored; labels come from the catalogue.
CHANNELS = ("direct", "store", "online")


def db_path() -> Path:
    """The DuckDB file: $SALESDASH_DB, else data/salesdash.duckdb."""
    return Path(os.environ.get("SALESDASH_DB") or DEFAULT_DB)
