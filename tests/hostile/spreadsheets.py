"""What a spreadsheet would do with a download: nothing but show it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl

from salesdash.export import FORMULA_PREFIXES


def cells(name: str, data: bytes) -> Iterator[object]:
    """Every cell (headers included) of a .csv or .xlsx file; nothing for other files."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
            yield from row
    elif suffix == ".xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name}: a live formula in {cell.coordinate}"
                    yield cell.value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_inert(name: str, data: bytes) -> None:
    """No cell of the file would run as a formula (numbers like -12.5 are numbers)."""
    for value in cells(name, data):
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            assert _is_number(value), f"{name}: the cell {value!r} would run as a formula"
