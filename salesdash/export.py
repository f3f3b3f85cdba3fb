"""Downloads and ``--out`` files of a table: CSV and .xlsx, safe to open in a spreadsheet.

Text cells, column headers and index labels starting with = + - @, a tab or a carriage return get a
leading apostrophe (OWASP's advice against CSV/formula injection): a header comes from the data too
(a cross tab's columns are a dimension's values). Numeric columns stay numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from salesdash.errors import InputError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel refuses in a sheet name, and its length limit.
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31


def _inert(value: object) -> object:
    """``value`` as a spreadsheet shows it without running it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell, header and index label a spreadsheet would run as a formula
    starts with '."""
    out = frame.rename(columns=_inert, index=_inert)
    out.columns.names = [_inert(n) for n in out.columns.names]
    out.index.names = [_inert(n) for n in out.index.names]
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        out.isetitem(i, series.map(_inert))
    return out


def label_amounts(frame: pd.DataFrame, columns: Iterable[str], code: str) -> pd.DataFrame:
    """``frame`` with the headers of its amount ``columns`` naming their currency:
    "revenue" → "revenue (USD)" (a number in a file says nothing of its currency)."""
    return frame.rename(columns={c: f"{c} ({code})" for c in columns if c in frame.columns})


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM, so Excel opens Chinese text correctly."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx workbook with one sheet."""
    buffer = io.BytesIO()
    sheet = _SHEET_NAME_BAD.sub("-", sheet_name)[:_SHEET_NAME_MAX] or "data"
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_formulas(frame).to_excel(writer, index=False, sheet_name=sheet)
    return buffer.getvalue()


def write_file(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` (a command's ``--out``): .xlsx by its suffix, else CSV.

    Raises:
        InputError: the file cannot be written (one line).
    """
    data = (
        to_xlsx_bytes(frame, path.stem) if path.suffix.lower() == ".xlsx" else to_csv_bytes(frame)
    )
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"--out {path}: cannot write it ({exc.strerror or exc})") from None


def file_name(name: str) -> str:
    """A download's file name from a label: letters, digits (any script), '.', '_' and '-' only."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-.") or "download"
