"""Odd files. What loaded without a word: a NUL byte deep in the file stored inside a product name,
a header with 'revenue' twice silently read from the first one, negative amounts; the first two
are refused with the reason, negatives load (returns are real) with how many and how much. What
raised a traceback: CR-only or mixed line ends (now they simply load), an unreadable file."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesdash import db, ingest
from salesdash.cli import main
from salesdash.errors import InputError
from salesdash.ingest import reading
from tests.conftest import LOAD_DAY
from tests.hostile.conftest import fingerprint

HEADER = "order_id,order_date,product,revenue\n"
ORDERS = "order_id,order_date,revenue\n" + "".join(f"A{i},2026-10-01,{i}\n" for i in range(1, 4))
# More than the 4 KB the encoding check looks at, so the NUL is past it.
FILLER = "".join(f"F{i},2026-10-01,Pen,1\n" for i in range(400))


def _load(con, tmp_path, text: str | bytes):
    path = tmp_path / "orders.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)


def test_a_nul_byte_after_the_first_4_kb_refuses_the_file_with_its_line(con, tmp_path):
    before = fingerprint(con)
    text = HEADER + FILLER + "X1,2026-10-02,Pe\x00n,5\n"
    assert len(HEADER + FILLER) > 4096
    with pytest.raises(InputError) as refusal:
        _load(con, tmp_path, text)
    assert str(refusal.value) == (
        "orders.csv: a NUL byte on line 402 — binary data inside the text, or a damaged export; "
        "nothing was loaded"
    )
    assert fingerprint(con) == before


def test_a_nul_byte_in_a_utf16_file_is_found_after_transcoding(con, tmp_path):
    before = fingerprint(con)
    text = "\ufeff" + HEADER + FILLER + "X1,2026-10-02,Pe\x00n,5\n"
    with pytest.raises(InputError, match="NUL byte on line 402"):
        _load(con, tmp_path, text.encode("utf-16-le"))
    assert fingerprint(con) == before


def test_a_column_the_mapping_uses_twice_in_the_header_is_refused(con, tmp_path):
    before = fingerprint(con)
    text = "order_id,order_date,revenue,product,revenue\nA1,2026-10-01,10,Pen,99999\n"
    with pytest.raises(InputError) as refusal:
        _load(con, tmp_path, text)
    assert str(refusal.value) == (
        "orders.csv: the header has 'revenue' 2 times (columns 3 and 5); rename them so it is "
        "clear which one holds revenue"
    )
    assert fingerprint(con) == before


def test_a_column_twice_that_nothing_uses_is_no_reason_to_refuse(con, tmp_path):
    text = "order_id,order_date,revenue,note,note\nA1,2026-10-01,10,a,b\n"
    assert _load(con, tmp_path, text).rows_loaded == 1


def test_negative_amounts_load_with_how_many_and_how_much(con, tmp_path):
    text = HEADER + "A1,2026-10-01,Pen,100\nR1,2026-10-02,Pen,-30.5\nR2,2026-10-03,Ink,(19.50)\n"
    result = _load(con, tmp_path, text)
    assert (result.rows_loaded, result.rows_rejected) == (3, 0)
    assert result.warnings == [
        "2 orders rows with a negative revenue, -50.00 in all: loaded and counted "
        "(returns or credit notes?)"
    ]
    assert con.execute("select sum(revenue) from orders").fetchone()[0] == 50.0


@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_a_file_with_cr_only_or_mixed_line_ends_simply_loads(con, tmp_path, ending):
    lines = ORDERS.splitlines()
    if ending == "mixed":
        text = lines[0] + "\r\n" + lines[1] + "\r" + lines[2] + "\n" + lines[3] + "\r"
    else:
        text = ending.join(lines) + ending
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode())
    result = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    assert (result.rows_loaded, result.rows_rejected) == (3, 0)
    assert con.execute("select sum(revenue) from orders").fetchone()[0] == 6


def test_a_carriage_return_at_a_chunk_end_still_pairs_with_its_line_feed(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK_BYTES", 4)
    src = tmp_path / "in.csv"
    src.write_bytes(b"a,b\r\nc,d\re,f\r")  # the first \r\n straddles two 4-byte chunks
    reading.transcode(src, tmp_path / "out.csv", "utf-8", newlines=True)
    assert (tmp_path / "out.csv").read_bytes() == b"a,b\nc,d\ne,f\n"


def test_an_unreadable_file_is_one_line_with_status_2(tmp_path, capsys, monkeypatch):
    store = tmp_path / "store.duckdb"
    with db.connect(store) as con:
        before = fingerprint(con)
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS)

    original = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(path))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert main(["--db", str(store), "ingest", str(path), "--kind", "orders"]) == 2
    assert capsys.readouterr().err == "error: orders.csv: cannot be read (permission denied)\n"
    monkeypatch.undo()
    with db.connect(store) as con:
        assert fingerprint(con) == before
