"""The Data page's path from uploaded bytes to a loaded batch, without Streamlit.

A browser upload arrives as a name and bytes; the import reads files from disk. These helpers check
an upload (format, size), keep it as a file in the session's own upload folder, propose its kind,
and call the import with the analyst's mapping. Every failure a person can act on becomes an
``InputError`` with one line of text, so the page never shows a traceback.

The name a browser sends is whatever the visitor wants it to be (``../../etc/x.csv``, an absolute
path, NUL bytes): it never becomes part of a path. Files are written under a generated name inside
a folder this module creates; the original name survives only as a label (``display_name``).
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from salesdash import config, errors, ingest
from salesdash.errors import InputError

# The formats the import reads; anything else is refused before it reaches the import.
ACCEPTED_SUFFIXES = (".csv", ".xlsx")
# Upload labels longer than this are cut: a name is shown in messages and the batch history, and
# no export tool names its files with more (Windows paths stop at 260 characters).
MAX_NAME_CHARS = 120
UPLOAD_FOLDER_PREFIX = "salesdash-upload-"


@dataclass(frozen=True)
class UploadProblem:
    """Why an upload is refused before reading it: a catalogue key and its placeholder values."""

    key: str
    values: dict


def check_upload(file_name: str, size_bytes: int, max_bytes: int) -> UploadProblem | None:
    """None when the upload may be read, else why not (unknown format, empty, too big)."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        return UploadProblem(
            "data.error.format",
            {"name": file_name, "formats": ", ".join(ACCEPTED_SUFFIXES)},
        )
    if size_bytes == 0:
        return UploadProblem("data.error.empty", {"name": file_name})
    if size_bytes > max_bytes:
        return UploadProblem(
            "data.error.size",
            {"name": file_name, "size_mb": size_bytes / 2**20, "max_mb": max_bytes / 2**20},
        )
    return None


def display_name(file_name: str) -> str:
    """The label of an upload: the browser's name without any folder part, control or invisible
    characters (NUL, line breaks, right-to-left overrides), cut to ``MAX_NAME_CHARS`` keeping the
    suffix. Never a path: use it in messages and in the ingest log only."""
    base = re.split(r"[/\\]", file_name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "upload"
    if len(base) > MAX_NAME_CHARS:
        suffix = Path(base).suffix[: MAX_NAME_CHARS // 4]
        base = base[: MAX_NAME_CHARS - len(suffix) - 1] + "…" + suffix
    return base


def new_upload_folder() -> Path:
    """A new private folder (mode 0700) for one session's uploads.

    Folders that outlived their session by more than ``config.UPLOAD_FOLDER_MAX_AGE_S`` (a server
    killed before it could remove them) are removed on the way.
    """
    root = Path(tempfile.gettempdir())
    cutoff = time.time() - config.UPLOAD_FOLDER_MAX_AGE_S
    for old in root.glob(f"{UPLOAD_FOLDER_PREFIX}*"):
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # another process removed it first
    return Path(tempfile.mkdtemp(prefix=UPLOAD_FOLDER_PREFIX, dir=root))


def remove_upload_folder(folder: Path) -> None:
    """Delete a session's upload folder and whatever is still in it."""
    shutil.rmtree(folder, ignore_errors=True)


def save_upload(data: bytes, file_name: str, folder: Path) -> Path:
    """Write an upload into ``folder`` under a new generated name, keeping only the suffix of
    ``file_name`` when it is an accepted one; return its path (always directly in ``folder``)."""
    suffix = Path(display_name(file_name)).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        suffix = ""
    path = folder / f"upload-{secrets.token_hex(8)}{suffix}"
    with path.open("xb") as fh:  # never follows or overwrites an existing file
        fh.write(data)
    return path


def discard(paths: list[Path]) -> None:
    """Remove saved uploads once they are loaded (their folder stays for the session)."""
    for path in paths:
        path.unlink(missing_ok=True)


def default_kind(file_name: str, header: list[str]) -> str:
    """The kind to propose for a file: the import's guess from the header, else from the name
    (``export_opportunities_q3.csv`` → opportunities), else orders."""
    kind = ingest.guess_kind(header)
    if kind in ingest.KINDS:
        return kind
    stem = Path(file_name).stem.lower()
    return next((kind for kind in ingest.KINDS if kind in stem), ingest.KINDS[0])


def _one_line(error: Exception, file_name: str) -> InputError:
    if isinstance(error, InputError):
        return error
    return InputError(f"{file_name}: {errors.one_line(error)}")


# What reading a file that is not what it claims to be raises, besides InputError.
_READ_ERRORS = (
    InputError,
    ValueError,
    UnicodeError,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    duckdb.Error,
    OSError,
)


def preview(
    con: duckdb.DuckDBPyConnection, path: Path, kind: str, file_name: str
) -> ingest.FilePreview:
    """``ingest.preview_file`` with any reading failure turned into a one-line InputError."""
    try:
        return ingest.preview_file(con, path, kind, file_name=file_name)
    except _READ_ERRORS as error:
        raise _one_line(error, file_name) from error


def load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    *,
    load_day: date,
    mapping: dict[str, str | None],
    file_name: str,
    user_name: str | None = None,
    progress: Callable[[float, str], None] | None = None,
    replace: bool = False,
) -> ingest.BatchResult:
    """Load one file as one batch with the analyst's mapping; nothing changes when it fails.

    Args:
        load_day: the day plausible dates are counted from (``ingest.ingest_file``).
        mapping: canonical column → source column (None: not in the file), as confirmed on the
            page.
        progress: called with (fraction done, step name) while loading.
        replace: the file replaces the rows of its kind loaded for the months it covers.

    Raises:
        InputError: the file cannot be loaded (one line); the database is unchanged.
    """
    try:
        return ingest.ingest_file(
            con,
            path,
            kind,
            load_day=load_day,
            mapping=mapping,
            user_name=user_name,
            file_name=file_name,
            progress=progress,
            replace=replace,
        )
    except _READ_ERRORS as error:
        raise _one_line(error, file_name) from error


def preview_values(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    file_name: str,
    *,
    mapping: dict[str, str | None],
    load_day: date,
) -> pd.DataFrame:
    """``ingest.preview_values`` with any reading failure turned into a one-line InputError."""
    try:
        return ingest.preview_values(
            con, path, kind, mapping=mapping, load_day=load_day, file_name=file_name
        )
    except _READ_ERRORS as error:
        raise _one_line(error, file_name) from error


def replace_offer(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    file_name: str,
    *,
    mapping: dict[str, str | None],
    load_day: date,
) -> tuple[date, date, int] | None:
    """When a file of a kind that can replace a period covers months that already have rows of
    its kind: (first day, last day of those months, how many rows they have); else None.

    Raises:
        InputError: the file cannot be read (one line).
    """
    if kind not in ingest.REPLACEABLE:
        return None
    try:
        period = ingest.file_period(
            con, path, kind, mapping=mapping, load_day=load_day, file_name=file_name
        )
    except _READ_ERRORS as error:
        raise _one_line(error, file_name) from error
    if period is None:
        return None
    months = ingest.months_covering(*period)
    n_rows = ingest.rows_in_period(con, kind, *months)
    return (*months, n_rows) if n_rows else None


def undo(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """``ingest.undo_batch``, with what the database reports (a write conflict) as one line.

    Raises:
        InputError: no such batch, undone already, or the undo could not be written.
    """
    return _one_line_write(ingest.undo_batch, con, batch_id)


def redo(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """``ingest.redo_batch``, with what the database reports (a write conflict) as one line.

    Raises:
        InputError: no such batch, not undone, a later batch holds its rows, or the redo could
            not be written.
    """
    return _one_line_write(ingest.redo_batch, con, batch_id)


def _one_line_write(
    change: Callable[[duckdb.DuckDBPyConnection, int], int],
    con: duckdb.DuckDBPyConnection,
    batch_id: int,
) -> int:
    try:
        return change(con, batch_id)
    except duckdb.Error as error:
        raise InputError(errors.one_line(error)) from error


def template_path(kind: str) -> Path | None:
    """The bundled demo file of a kind (its columns are the canonical template), if there is one."""
    if kind not in ingest.KINDS:
        raise InputError(f"unknown kind '{kind}' (expected one of: {', '.join(ingest.KINDS)})")
    path = config.DEMO_DIR / f"{kind}.csv"
    return path if path.exists() else None


def active_batches(batches: pd.DataFrame) -> pd.DataFrame:
    """The batches that can still be undone (not undone yet), newest first."""
    return batches[batches["undone_at"].isna()]


def undone_batches(batches: pd.DataFrame) -> pd.DataFrame:
    """The batches that can be redone (undone), newest first."""
    return batches[batches["undone_at"].notna()]


def unmapped_required(preview: ingest.FilePreview, mapping: dict[str, str | None]) -> list[str]:
    """The required columns the import found no source for and the analyst has not mapped yet."""
    return [column for column in preview.missing_required if not mapping.get(column)]
