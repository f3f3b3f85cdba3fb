"""Reading an .xlsx workbook into a UTF-8 CSV, in a child process that cannot take the server down.

An .xlsx is a zip of XML: 2 MB can expand to gigabytes, and python-calamine (fast, in Rust) keeps
the whole sheet in memory, about 80 bytes a cell. So the parent (``read_first_sheet``) runs this
file as a script in a child process with an address-space and CPU-time limit, and the child checks
the limits of ``config`` before and while reading:

1. the zip's parts may not claim to expand to more than ``WORKBOOK_MAX_XML_BYTES`` in all;
2. the sheets are streamed through zlib (no XML parsing, well under a second per 100 MB) to count
   their rows: a sheet with more rows than Excel allows is refused before calamine loads it;
3. calamine reads the first sheet; its width and every cell's length are checked as rows are
   written out.

A part that lies about its size, or a sheet calamine would hold as a huge dense grid (one cell in
A1 and one in XFD1048576), hits the memory limit instead: the child dies, the parent reports one
line. The child imports only the standard library and python_calamine (run with ``python -I``:
the package's heavy imports would count against its memory limit).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

# What the child reports when it refuses a file: {"error": "..."} on stdout, exit status 0.
# Any other ending (killed at the memory or CPU limit, a crash) is the parent's to explain.
_SCAN_BYTES = 1 << 22
_ROW_TAGS = (b"<row", b":row")  # <row ...> and namespaced <x:row ...>; an upper bound on rows


def read_first_sheet(
    path: Path, csv_path: Path, *, n_sample: int, full: bool, name: str
) -> list[list[str]]:
    """Write the first sheet of ``path`` as a UTF-8 CSV to ``csv_path`` (only its first rows when
    not ``full``); return its first non-blank rows (the header, then up to ``n_sample`` rows).

    Raises:
        InputError: the workbook is unreadable, breaks a limit, or needed more memory or time than
            a workbook may take; one line naming ``name``.
    """
    from salesdash import config
    from salesdash.errors import InputError

    limits = {
        "max_xml_bytes": config.WORKBOOK_MAX_XML_BYTES,
        "max_rows": config.WORKBOOK_MAX_ROWS,
        "max_columns": config.MAX_COLUMNS,
        "max_cell_chars": config.WORKBOOK_MAX_CELL_CHARS,
        "memory_bytes": config.WORKBOOK_MEMORY_LIMIT_BYTES,
        "cpu_seconds": config.WORKBOOK_CPU_LIMIT_S,
    }
    job = {"path": str(path), "csv_path": str(csv_path), "n_sample": n_sample, "full": full}
    # One BLAS/allocator arena: threads reserve address space the limit would count.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}
    try:
        done = subprocess.run(
            [sys.executable, "-I", __file__, json.dumps({**job, "name": name, **limits})],
            capture_output=True,
            timeout=config.WORKBOOK_CPU_LIMIT_S * 3,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputError(_too_slow(name, config.WORKBOOK_CPU_LIMIT_S)) from None
    answer = _answer(done.stdout) if done.returncode == 0 else None
    if answer is None:
        if b"CPU time limit" in done.stderr or done.returncode == -24:  # SIGXCPU
            raise InputError(_too_slow(name, config.WORKBOOK_CPU_LIMIT_S))
        raise InputError(
            f"{name}: reading this workbook needs more than the "
            f"{config.WORKBOOK_MEMORY_LIMIT_BYTES / 2**20:,.0f} MB an upload may use "
            "(a sheet far larger than it looks, or a damaged file); save the sheet as CSV"
        )
    if "error" in answer:
        raise InputError(answer["error"])
    return answer["rows"]


def _too_slow(name: str, seconds: float) -> str:
    return f"{name}: reading this workbook took more than {seconds:.0f} s; save the sheet as CSV"


def _answer(stdout: bytes) -> dict | None:
    try:
        return json.loads(stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


# --- the child --------------------------------------------------------------------------------


class _Refused(Exception):
    """A limit or a broken file: the one line the parent shows."""


def _check_parts(book: zipfile.ZipFile, job: dict) -> None:
    """Refuse on what the zip says about itself, then count the sheets' rows by streaming them."""
    claimed = sum(info.file_size for info in book.infolist())
    if claimed > job["max_xml_bytes"]:
        raise _Refused(
            f"the workbook expands to {claimed / 2**20:,.0f} MB, more than the "
            f"{job['max_xml_bytes'] / 2**20:,.0f} MB a workbook may hold (a zip bomb, or "
            "far more than one sheet of sales); save the sheet as CSV"
        )
    for info in book.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            rows = _count_rows(book, info)
            if rows > job["max_rows"] + 1:
                raise _Refused(
                    f"a sheet has more than {job['max_rows']:,} rows, the most Excel allows; "
                    "split it or save it as CSV"
                )


def _count_rows(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Row start tags in a sheet part, counted on the decompressed bytes (a tag cut between two
    chunks is counted by the overlap)."""
    rows, tail = 0, b""
    with book.open(info) as part:
        for chunk in iter(lambda: part.read(_SCAN_BYTES), b""):
            window = tail + chunk  # 3 bytes hold no whole tag, only the start of one
            rows += sum(window.count(tag) for tag in _ROW_TAGS)
            tail = window[-3:]
    return rows


def _cell(value: object, max_chars: int, row: int, column: int) -> str:
    """Excel cells as the text a CSV export would hold: whole floats without '.0', ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if len(text) > max_chars:
        raise _Refused(
            f"the cell in row {row}, column {column} holds {len(text):,} characters, more than "
            f"the {max_chars:,} Excel allows in a cell"
        )
    return text


def _convert(job: dict) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    with zipfile.ZipFile(job["path"]) as book:
        _check_parts(book, job)
    sheet = CalamineWorkbook.from_path(job["path"]).get_sheet_by_index(0)
    if sheet.width > job["max_columns"]:
        raise _Refused(
            f"the first sheet has {sheet.width:,} columns, more than the "
            f"{job['max_columns']:,} an export may have"
        )
    if sheet.height > job["max_rows"] + 1:
        raise _Refused(f"the first sheet has more than {job['max_rows']:,} rows")
    head: list[list[str]] = []
    with open(job["csv_path"], "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for number, raw in enumerate(sheet.iter_rows(), start=1):
            row = [_cell(c, job["max_cell_chars"], number, i) for i, c in enumerate(raw, start=1)]
            if not any(cell.strip() for cell in row):
                continue
            if len(head) <= job["n_sample"]:
                head.append(row)
            elif not job["full"]:
                break
            writer.writerow(row)
    return head


def _child(job: dict) -> dict:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (job["memory_bytes"], job["memory_bytes"]))
    cpu = int(job["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    try:
        return {"rows": _convert(job)}
    except _Refused as exc:
        return {"error": f"{job['name']}: {exc}"}
    except MemoryError:
        raise  # dies: the parent names the memory limit
    except Exception as exc:  # zipfile and calamine raise their own types for broken files
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        return {"error": f"{job['name']}: not a readable .xlsx file ({first})"}


if __name__ == "__main__":
    print(json.dumps(_child(json.loads(sys.argv[1])), ensure_ascii=False))
