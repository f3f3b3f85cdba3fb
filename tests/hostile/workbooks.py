"""Hostile .xlsx files, generated in a second from a few kilobytes of deflate.

A zip bomb's part is one short deflate segment repeated: each segment comes from a fresh
compressor ended with a sync flush, so segments stand alone and concatenate into one valid stream
(only the last one ends it). ``declared`` lets a part lie about its uncompressed size, as a
crafted zip can.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_CLOSE = b"</sheetData></worksheet>"
SST_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


@dataclass(frozen=True)
class Part:
    """``head`` + ``repeat`` × ``times`` + ``tail``; ``declared``: the size the zip claims."""

    head: bytes
    repeat: bytes = b""
    times: int = 0
    tail: bytes = b""
    declared: int | None = None

    @property
    def size(self) -> int:
        return len(self.head) + len(self.repeat) * self.times + len(self.tail)


def _segment(data: bytes, mode: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(mode)


def _deflate(part: Part) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32 of the uncompressed bytes)."""
    crc = zlib.crc32(part.head)
    stream = [_segment(part.head, zlib.Z_SYNC_FLUSH)]
    if part.times:
        one = _segment(part.repeat, zlib.Z_SYNC_FLUSH)
        stream.append(one * part.times)
        for _ in range(part.times):
            crc = zlib.crc32(part.repeat, crc)
    stream.append(_segment(part.tail, zlib.Z_FINISH))
    return b"".join(stream), zlib.crc32(part.tail, crc)


def write_zip(path: Path, parts: dict[str, Part]) -> Path:
    """A zip of deflated ``parts`` (name → Part), sizes as each part declares them."""
    local, central = bytearray(), bytearray()
    for name, part in parts.items():
        data, crc = _deflate(part)
        size = part.size if part.declared is None else part.declared
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(name.encode()), 0)
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name.encode() + data
        central += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset)
            + name.encode()
        )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(local), 0
    )
    path.write_bytes(bytes(local + central) + end)
    return path


def xlsx(path: Path, sheet: Part, strings: Part | None = None) -> Path:
    """A workbook of one sheet (``sheet`` is the sheet XML) and optional shared strings."""
    parts = {
        "[Content_Types].xml": Part(CONTENT_TYPES),
        "_rels/.rels": Part(ROOT_RELS),
        "xl/workbook.xml": Part(WORKBOOK),
        "xl/_rels/workbook.xml.rels": Part(WORKBOOK_RELS),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings or Part(SST_OPEN + b"</sst>"),
    }
    return write_zip(path, parts)


def row(*cells: str) -> bytes:
    """A sheet row of inline strings (no cell references: readers number them in order)."""
    inner = b"".join(b'<c t="inlineStr"><is><t>' + c.encode() + b"</t></is></c>" for c in cells)
    return b"<row>" + inner + b"</row>"


def big_string_bomb(path: Path, n_bytes: int = 2**31, declared: int | None = None) -> Path:
    """The bomb of issue 13: one shared string of ``n_bytes`` 'a's (2 GiB from a 2 MB file)."""
    chunk = b"a" * 2**20
    strings = Part(
        SST_OPEN + b"<si><t>",
        chunk,
        n_bytes // len(chunk),
        b"</t></si></sst>",
        declared=declared,
    )
    sheet = Part(
        SHEET_OPEN + row("order_id", "order_date", "revenue") + b'<row><c t="s"><v>0</v></c>'
        b'<c t="inlineStr"><is><t>2026-11-01</t></is></c><c><v>1</v></c></row>' + SHEET_CLOSE
    )
    return xlsx(path, sheet, strings)


def many_rows(path: Path, n_rows: int, per_segment: int = 10_000) -> Path:
    """A sheet of ``n_rows`` (a multiple of ``per_segment``) identical small order rows under a
    header: 3M rows make a file of a few hundred kilobytes."""
    body = (
        b'<row><c t="inlineStr"><is><t>A1</t></is></c>'
        b'<c t="inlineStr"><is><t>2026-11-01</t></is></c><c><v>1</v></c></row>'
    )
    header = SHEET_OPEN + row("order_id", "order_date", "revenue")
    return xlsx(path, Part(header, body * per_segment, n_rows // per_segment, SHEET_CLOSE))


def far_cell(path: Path) -> Path:
    """A tiny sheet with a cell in A1 and one in the last cell Excel allows (XFD1048576): a
    reader that keeps the sheet as one dense grid asks for 17 billion cells."""
    sheet = (
        SHEET_OPEN
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>order_id</t></is></c></row>'
        + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        + SHEET_CLOSE
    )
    return xlsx(path, Part(sheet))
