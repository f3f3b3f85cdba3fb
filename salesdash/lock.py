"""The writer lock: one writer at a time per store, and a waiter can say who it waits for.

An OS file lock (``flock``) on ``<database>.lock``: the kernel releases it when its holder exits,
killed or not, so a crashed load never leaves the store locked. The holder writes what it is doing
into the same file (JSON: what, since, process id, host), so a second writer can name it while it
waits, and in its one-line reason when it gives up.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from salesdash.errors import WriterBusyError

# How often a waiting writer tries the lock again, and tells its caller it is still waiting.
POLL_S = 0.2


@dataclass(frozen=True)
class Holder:
    """Who holds the writer lock: what it is doing, since when, its process and host."""

    what: str
    since: datetime
    pid: int
    host: str

    def describe(self) -> str:
        where = f"pid {self.pid}" + (
            f" on {self.host}" if self.host != socket.gethostname() else ""
        )
        return f"{self.what} ({where}, since {self.since:%Y-%m-%d %H:%M:%S})"


def read_holder(path: Path) -> Holder | None:
    """What the lock file says about its holder (None: unreadable, or no holder yet)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
        return Holder(
            data["what"], datetime.fromisoformat(data["since"]), data["pid"], data["host"]
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None


@contextmanager
def writer_lock(
    path: Path,
    what: str,
    *,
    wait_s: float,
    on_wait: Callable[[Holder | None, float], None] | None = None,
) -> Iterator[Holder]:
    """Hold the writer lock of ``path`` while the block runs.

    Args:
        what: what this writer does, in words ("ingest orders-2026-10.csv").
        wait_s: how long to wait for another writer before giving up.
        on_wait: called about every ``POLL_S`` while waiting, with the holder and seconds waited.

    Raises:
        WriterBusyError: another writer still held the lock after ``wait_s`` seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                holder = read_holder(path)
                if waited >= wait_s:
                    raise WriterBusyError(
                        "another writer is changing the data: "
                        f"{holder.describe() if holder else 'unknown'}; waited {waited:.0f} s "
                        "— try again when it is done, or wait longer with --wait SECONDS"
                    ) from None
                if on_wait is not None:
                    on_wait(holder, waited)
                time.sleep(min(POLL_S, max(wait_s - waited, 0.01)))
        holder = Holder(
            what, datetime.now().replace(microsecond=0), os.getpid(), socket.gethostname()
        )
        record = {"what": holder.what, "since": holder.since.isoformat()}
        record |= {"pid": holder.pid, "host": holder.host}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        try:
            yield holder
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
