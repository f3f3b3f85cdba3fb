"""One store, many readers: writers change a working database, readers open published snapshots.

A store is the working database file (``$SALESDASH_DB``) and what sits beside it::

    salesdash.duckdb            the working database: only a writer opens it, read-write
    salesdash.duckdb.lock       the writer lock (salesdash/lock.py), naming its holder
    salesdash.duckdb.published/
        000041.duckdb           immutable snapshots, one per publication
        000042.duckdb
        CURRENT                 JSON: the snapshot readers open now, its data version, the last load

A writer (``Store.writing``) takes the lock, opens the working database, makes its change (each
change is one transaction), then runs the refresh step (salesdash/refresh.py: rollups, forecasts)
and publishes: a checkpoint, a copy of the working file into a new snapshot, and an atomic
replacement of ``CURRENT``. Readers (every page, every read-only command) read ``CURRENT`` and
open its snapshot with ``read_only=True``: they never wait for a writer, never see a half-made
change, and any number of processes, on this machine or on others reading the same folder, serve
the same numbers and switch to a new publication on their next read of ``CURRENT``.

A killed writer leaves the lock free (the kernel drops it), its transaction rolled back, and at
worst a refresh or a publication undone: the next writer (or ``python -m salesdash refresh``)
finishes them first. Old snapshots are removed once no reader can still be on them: readers look
at ``CURRENT`` on every page run, so a snapshot is kept for ``SNAPSHOT_GRACE_S`` after the one that
replaced it was published (and the previous snapshot always).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from salesdash import access, config, dataset, db, lock, refresh, settings
from salesdash.access import User
from salesdash.lock import Holder

POINTER = "CURRENT"
SNAPSHOT_SUFFIX = ".duckdb"
# How long a replaced snapshot stays on disk: far longer than one page run (seconds), the only
# time a reader uses a snapshot without having looked at CURRENT just before.
SNAPSHOT_GRACE_S = 600.0

Progress = Callable[[float, str], None]
OnWait = Callable[[Holder | None, float], None]


@dataclass(frozen=True)
class Publication:
    """A published snapshot: its number (the version readers cache by), file and contents."""

    number: int
    path: Path
    data_version: str
    published_at: datetime
    last_batch: dict[str, Any] | None
    is_empty: bool = False
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"{self.number:06d}"


@dataclass(frozen=True)
class Store:
    """A working database and its publications (see the module docstring)."""

    working: Path

    @classmethod
    def default(cls) -> Store:
        """The store of ``$SALESDASH_DB`` (default data/salesdash.duckdb)."""
        return cls(config.db_path())

    @property
    def lock_path(self) -> Path:
        return self.working.with_name(self.working.name + ".lock")

    @property
    def published_dir(self) -> Path:
        return self.working.with_name(self.working.name + ".published")

    @property
    def pointer_path(self) -> Path:
        return self.published_dir / POINTER

    def demo(self) -> Store:
        """The store of the demo company that goes with this one (``salesdash.demo.duckdb``
        beside ``salesdash.duckdb``): shown, labelled as fictional, while the company has no
        data of its own, and never merged with it."""
        return Store(self.working.with_name(f"{self.working.stem}.demo{self.working.suffix}"))

    def shows_demo(self) -> bool:
        """Whether readers of this store are shown the demo company instead (``demo_shown``)."""
        return demo_shown(self.current())

    # --- readers ---------------------------------------------------------------------------

    def current(self) -> Publication | None:
        """The publication readers should open now (None: nothing published yet)."""
        try:
            data = json.loads(self.pointer_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Publication(
            number=int(data["number"]),
            path=self.published_dir / data["file"],
            data_version=data["data_version"],
            published_at=datetime.fromisoformat(data["published_at"]),
            last_batch=data.get("last_batch"),
            is_empty=data.get("empty", False),
            settings=data.get("settings", {}),
        )

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the current snapshot; with nothing published, an empty
        in-memory database with the schema (every question then has its empty answer)."""
        publication = self.current()
        if publication is None:
            return db.connect(":memory:")
        return db.connect(publication.path, read_only=True)

    # --- writers ---------------------------------------------------------------------------

    @contextmanager
    def writing(
        self,
        what: str,
        *,
        user: User = access.LOCAL_USER,
        wait_s: float = config.WRITER_WAIT_S,
        on_wait: OnWait | None = None,
        progress: Progress | None = None,
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """The working database, read-write, for one writer at a time; on leaving the block
        (also when it raises after committing part of its work) the refresh step runs and the
        result is published.

        Args:
            what: what the writer does, in words, shown to a writer that waits for it.
            user: who writes (the signed-in user on a page; the machine's own user, an admin,
                on the command line): the connection is tagged with them, and write functions
                check their role (salesdash/access.py).
            wait_s: how long to wait for another writer (then WriterBusyError).
            on_wait: called while waiting, with the other writer and the seconds waited.
            progress: called with (fraction, step) during the refresh and the publication.

        Raises:
            AccessDenied: ``user``'s role may change nothing (before the lock is taken).
        """
        access.require_writer(user)
        with lock.writer_lock(self.lock_path, what, wait_s=wait_s, on_wait=on_wait):
            con = db.connect(self.working)
            try:
                access.tag_writer(con, user)
                self._catch_up(con, progress)
                try:
                    yield con
                finally:
                    self._catch_up(con, progress)
            finally:
                con.close()

    def _catch_up(self, con: duckdb.DuckDBPyConnection, progress: Progress | None) -> None:
        """Refresh and publish whatever the working database holds that readers do not see."""
        refresh.run(con, progress=progress)
        if self._unpublished(con):
            if progress is not None:
                progress(1.0, "publishing")
            self.publish(con)

    def _unpublished(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Whether readers miss a change: a batch loaded or undone since the last publication, or
        another write (``db.mark_changed``) not yet published. An empty new store has none."""
        current = self.current()
        changed, published = db.scalar(con, "select [changed, published] from store_state")
        if changed > published:
            return True
        if current is None:
            return not db.is_empty(con)
        return current.data_version != dataset.data_version(con)

    def publish(self, con: duckdb.DuckDBPyConnection) -> Publication:
        """Make a snapshot of the working database ``con`` (held by this writer) and switch
        readers to it atomically."""
        con.execute("checkpoint")
        current = self.current()
        number = (current.number if current else 0) + 1
        self.published_dir.mkdir(parents=True, exist_ok=True)
        target = self.published_dir / f"{number:06d}{SNAPSHOT_SUFFIX}"
        partial = target.with_name(target.name + ".partial")
        _copy_synced(self.working, partial)
        os.replace(partial, target)
        publication = Publication(
            number=number,
            path=target,
            data_version=dataset.data_version(con),
            published_at=datetime.now().replace(microsecond=0),
            last_batch=_last_batch(con),
            is_empty=db.is_empty(con),
            settings=settings.read(con),
        )
        _write_atomically(self.pointer_path, _pointer_json(publication))
        con.execute("update store_state set published = changed")
        self.remove_old_snapshots()
        return publication

    def remove_old_snapshots(self, now: float | None = None) -> list[Path]:
        """Delete snapshots no reader can still be on (see the module docstring), and what a
        killed writer left half-written; return what was deleted. Call under the writer lock."""
        current = self.current()
        if current is None:
            return []
        now = time.time() if now is None else now
        snapshots = sorted(self.published_dir.glob(f"*{SNAPSHOT_SUFFIX}"))
        names = [p.name for p in snapshots]
        kept = {current.path.name}
        if current.path.name in names and names.index(current.path.name) > 0:
            kept.add(names[names.index(current.path.name) - 1])
        removed = list(self.published_dir.glob("*.partial"))
        for older, newer in zip(snapshots, snapshots[1:], strict=False):
            if older.name not in kept and now - newer.stat().st_mtime > SNAPSHOT_GRACE_S:
                removed.append(older)
        for path in removed:
            path.unlink(missing_ok=True)
        return removed


def _last_batch(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    rows = con.execute(
        "select batch_id, kind, file_name, loaded_at, undone_at from ingest_log "
        "order by coalesce(undone_at, loaded_at) desc, batch_id desc limit 1"
    ).fetchall()
    if not rows:
        return None
    batch_id, kind, file_name, loaded_at, undone_at = rows[0]
    return {
        "batch_id": batch_id,
        "kind": kind,
        "file_name": file_name,
        "loaded_at": loaded_at.isoformat(),
        "undone_at": undone_at.isoformat() if undone_at else None,
    }


def demo_shown(current: Publication | None) -> bool:
    """Whether readers of a store whose publication is ``current`` are shown the demo company
    instead: nothing of the company's own is published yet and nobody removed the demo."""
    return current is None or (current.is_empty and current.settings.get("demo") != "removed")


def _pointer_json(publication: Publication) -> str:
    return json.dumps(
        {
            "number": publication.number,
            "file": publication.path.name,
            "data_version": publication.data_version,
            "published_at": publication.published_at.isoformat(),
            "last_batch": publication.last_batch,
            "empty": publication.is_empty,
            "settings": publication.settings,
        },
        ensure_ascii=False,
        indent=1,
    )


def _copy_synced(source: Path, target: Path) -> None:
    with source.open("rb") as fin, target.open("wb") as fout:
        shutil.copyfileobj(fin, fout, length=1 << 24)
        fout.flush()
        os.fsync(fout.fileno())


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old or the new file, whole."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
