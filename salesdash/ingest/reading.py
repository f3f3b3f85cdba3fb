"""Reading export files: Excel or CSV in any common encoding, handed to DuckDB as UTF-8 CSV.

Everything that reaches DuckDB is a UTF-8 CSV file: UTF-8 files (with or without BOM) are read in
place; GBK/GB18030/UTF-16 files are transcoded by streaming into a temporary UTF-8 file; .xlsx
sheets are written out by python-calamine the same way. DuckDB then reads every column as text
(explicit columns, no type detection) and the parsing happens in SQL.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from charset_normalizer import from_bytes

from salesdash import config, errors
from salesdash.errors import InputError
from salesdash.ingest import workbook

# Bytes looked at to decide the encoding and the dialect: enough for many rows of a wide export.
SNIFF_BYTES = 1 << 20
CHUNK_BYTES = 1 << 24
DELIMITERS = ",;\t|"
# A carriage return that does not start \r\n: the file ends its lines with \r (alone or mixed).
_LONE_CR = re.compile(rb"\r(?!\n)")
XLSX_MAGIC = b"PK\x03\x04"
OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# Names charset-normalizer gives that we read with Python's own codecs (the GB family: GB18030 is a
# superset of GBK and GB2312, so it reads them all).
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz"}


@dataclass
class SourceFile:
    """A file ready for DuckDB: ``csv_path`` is UTF-8; ``header`` the source column names."""

    path: Path
    encoding: str
    csv_path: Path
    delimiter: str
    header: list[str]
    sample: list[list[str]]
    _temp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    def __enter__(self) -> SourceFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(
    path: Path, *, n_sample: int = 20, full: bool = True, name: str | None = None
) -> SourceFile:
    """Detect the format and encoding of ``path``; transcode to UTF-8 when needed.

    With ``full=False`` (a preview) only the header and first rows are read: nothing is
    transcoded and ``csv_path`` is the original file. ``name`` is how messages call the file
    (default: its file name; an upload is kept under a generated one).

    Raises:
        InputError: missing, empty, binary or unreadable file.
    """
    name = name or path.name
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({errors.one_line(exc)})") from None
    if not head.strip():
        raise InputError(f"{name}: the file is empty")
    if head.startswith(XLSX_MAGIC):
        return _from_xlsx(path, n_sample, full, name)
    if head.startswith(OLD_XLS_MAGIC):
        raise InputError(f"{name}: old .xls format; save it as .xlsx or CSV")
    encoding = detect_encoding(head, name)
    text = _decode_head(head, encoding)
    delimiter = sniff_delimiter(text)
    try:
        # newline=None: lines may end in \r (old Mac exports) as well as \n and \r\n
        lines = io.StringIO(_cut_at_line_end(text), newline=None)
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit (128 KB)
        raise InputError(f"{name}: not readable as CSV in its first lines ({exc})") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    header = [h.strip() for h in rows[0]] if rows else []
    if not header or not any(header):
        raise InputError(f"{name}: no header line")
    if len(header) > config.MAX_COLUMNS:  # workbooks: checked in the child
        raise InputError(
            f"{name}: {len(header):,} columns, more than the {config.MAX_COLUMNS} an export may "
            "have; is it the right file?"
        )
    temp = None
    csv_path = path
    lone_cr = _LONE_CR.search(head[:-1]) is not None
    if (encoding != "utf-8" or lone_cr) and full:
        temp = tempfile.TemporaryDirectory(prefix="salesdash-ingest-")
        csv_path = Path(temp.name) / "utf8.csv"
        try:
            transcode(path, csv_path, encoding, newlines=lone_cr)
        except UnicodeDecodeError as exc:
            temp.cleanup()
            raise InputError(
                f"{name}: not readable as {encoding} (byte {exc.start} of a chunk); "
                "the file may be truncated or in another encoding"
            ) from None
    return SourceFile(path, encoding, csv_path, delimiter, header, rows[1 : n_sample + 1], temp)


def detect_encoding(head: bytes, name: str) -> str:
    """The Python codec name of a file's encoding, judged on its first bytes cut at a line end."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head[:4096]:
        # NUL bytes without a UTF-16 BOM: UTF-16 without BOM, or not text at all.
        if _looks_utf16(head):
            return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        raise InputError(f"{name}: binary file (not CSV or .xlsx)")
    # judged on whole lines: a multi-byte character cut by the buffer (or by a truncated file)
    # must not make a good encoding look wrong
    cut = head[: head.rfind(b"\n") + 1] or head
    try:
        cut.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    results = from_bytes(cut)
    best = results.best()
    if best is None:
        raise InputError(f"{name}: binary file or unknown encoding (not CSV or .xlsx)")
    # Short samples of Chinese text fit several East Asian codecs about equally well; exports
    # here are Chinese, so GB18030 wins whenever it reads the sample and is among the candidates.
    candidates = {m.encoding.lower().replace("_", "") for m in results}
    if candidates & _GB_FAMILY and _decodes(cut, "gb18030"):
        return "gb18030"
    return codecs.lookup(best.encoding).name


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _looks_utf16(head: bytes) -> bool:
    sample = head[:4096]
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


def _decode_head(head: bytes, encoding: str) -> str:
    text = head.decode(encoding, errors="replace")
    return text.lstrip("\ufeff")


def _cut_at_line_end(text: str) -> str:
    if len(text) < SNIFF_BYTES // 4:
        return text
    end = text.rfind("\n")
    return text[: end + 1] if end > 0 else text


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first lines: the candidate giving the same count > 0 on most lines."""
    lines = [ln for ln in _cut_at_line_end(text).splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        return max(counts, key=counts.get) if max(counts.values()) else ","


def transcode(src: Path, dst: Path, encoding: str, *, newlines: bool = False) -> None:
    """Stream ``src`` in ``encoding`` into ``dst`` as UTF-8 (no BOM); with ``newlines``, every line
    end (\r\n, or \r alone as old Mac exports write) becomes \n, else they are left as they are."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with src.open("rb") as fin, dst.open("wb") as fout:
        first = True
        held = ""  # a \r at the end of a chunk: its \n may start the next one
        for chunk in iter(lambda: fin.read(CHUNK_BYTES), b""):
            text = decoder.decode(chunk)
            if first:
                text = text.lstrip("\ufeff")
                first = False
            if newlines:
                text = held + text
                held = "\r" if text.endswith("\r") else ""
                text = text[: len(text) - len(held)].replace("\r\n", "\n").replace("\r", "\n")
            fout.write(text.encode("utf-8"))
        rest = decoder.decode(b"", final=True) + held
        fout.write((rest.replace("\r", "\n") if newlines else rest).encode("utf-8"))


def _from_xlsx(path: Path, n_sample: int, full: bool, name: str) -> SourceFile:
    """The first sheet as a UTF-8 CSV (only its first rows for a preview), read in a child process
    under the workbook limits (``workbook``)."""
    temp = tempfile.TemporaryDirectory(prefix="salesdash-ingest-")
    csv_path = Path(temp.name) / "sheet.csv"
    try:
        head = workbook.read_first_sheet(path, csv_path, n_sample=n_sample, full=full, name=name)
    except InputError:
        temp.cleanup()
        raise
    if not head:
        temp.cleanup()
        raise InputError(f"{name}: the first sheet is empty")
    header = [cell.strip() for cell in head[0]]
    return SourceFile(path, "xlsx", csv_path, ",", header, head[1:], temp)


def count_records(path: Path) -> int:
    """Data records in a UTF-8 CSV: line ends outside quotes, minus blank lines and the header.

    Independent of DuckDB's parser on purpose: it is the other side of the row-count invariant
    (loaded + rejected + duplicate = data records). Quoted fields may hold line breaks; a doubled
    quote inside a quoted field flips the quote state twice, so counting parity is enough. Runs
    on numpy over 16 MB chunks (about 1 s per GB).
    """
    counter = RecordCounter()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK_BYTES), b""):
            counter.feed(chunk)
    return counter.records()


@dataclass(frozen=True)
class FileFacts:
    """What a load checks a file against: its data records (``count_records``) and the line of
    its first NUL byte, if any, in the UTF-8 CSV DuckDB reads; the SHA-256 of the file itself."""

    records: int
    sha256: str
    nul_line: int | None


def file_facts(path: Path, csv_path: Path) -> FileFacts:
    """The facts of ``path`` read as ``csv_path``: one read when they are one file."""
    counter = RecordCounter()
    digest = hashlib.sha256()
    with csv_path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK_BYTES), b""):
            if csv_path == path:
                digest.update(chunk)
            counter.feed(chunk)
    sha = digest.hexdigest() if csv_path == path else sha256(path)
    return FileFacts(counter.records(), sha, counter.nul_line)


class RecordCounter:
    """``count_records`` fed chunk by chunk; also finds the (physical) line of the first NUL
    byte: text exports hold none, one there is binary data or a damaged file."""

    def __init__(self) -> None:
        self.total = 0
        self.in_quotes = False
        self.last = b"\n"
        self.started = False
        self.newlines = 0
        self.nul_line: int | None = None

    def feed(self, data: bytes) -> None:
        if self.nul_line is None and (at := data.find(b"\x00")) >= 0:
            self.nul_line = self.newlines + data.count(b"\n", 0, at) + 1
        self.newlines += data.count(b"\n")
        if not self.started:
            data = data.lstrip(b"\n\r")
            self.started = bool(data)
        if not data:
            return
        n, self.in_quotes = _count_chunk(data, self.in_quotes, self.last)
        self.total += n
        self.last = data[-1:]

    def records(self) -> int:
        total = self.total + (0 if self.last in (b"\n", b"\r") else 1)  # no final line end
        return max(total - 1, 0)


def _count_chunk(data: bytes, in_quotes: bool, before: bytes) -> tuple[int, bool]:
    """Line ends outside quotes that end a non-blank line; and the quote state after the chunk."""
    arr = np.frombuffer(before + data, dtype=np.uint8)
    ends = np.flatnonzero(arr == ord("\n"))
    if in_quotes or b'"' in data:
        quotes = arr == ord('"')
        quotes[0] = False  # the byte carried over from the chunk before was counted there
        parity = np.cumsum(quotes, dtype=np.int32) & 1
        if in_quotes:
            parity ^= 1
        ends = ends[parity[ends] == 0]
        in_quotes = bool(parity[-1])
    # a line end right after a line end (optionally with \r between) closes a blank line; the
    # byte before the chunk is included so a blank line across chunks is seen too
    gaps = np.diff(ends)
    blank = int((gaps == 1).sum()) + int(((gaps == 2) & (arr[ends[1:] - 1] == ord("\r"))).sum())
    count = len(ends) - (1 if ends.size and ends[0] == 0 else 0)
    return count - blank, in_quotes


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()
