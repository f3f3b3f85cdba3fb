"""Formula injection: names from the data that a spreadsheet would run (=HYPERLINK(…), @SUM, +1+1,
-2+3) are loaded as data, and every file the command line writes with ``--out`` (CSV and .xlsx)
is opened: no cell, header or label runs. The pages' downloads are opened in test_rendering."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from salesdash import export, ingest
from salesdash.cli import main
from salesdash.export import FORMULA_PREFIXES
from tests.conftest import LOAD_DAY
from tests.hostile.conftest import fingerprint
from tests.hostile.spreadsheets import assert_inert, cells

COMMANDS = {
    "carelist": ["carelist", "--include-contacts", "--as-of", "2027-03-01"],
    "segments": ["segments"],
    "forecast": ["forecast", "--by", "region", "--horizon", "3"],
}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_out_file_is_inert_in_a_spreadsheet(
    hostile_store, tmp_path, command, suffix, quick_forecasts
):
    with duckdb.connect(str(hostile_store)) as con:
        before = fingerprint(con)
    out = tmp_path / f"{command}{suffix}"
    assert main(["--db", str(hostile_store), *COMMANDS[command], "--out", str(out)]) == 0
    data = out.read_bytes()
    assert_inert(out.name, data)
    shown = [c for c in cells(out.name, data) if isinstance(c, str)]
    assert any(c[:1] == "'" and c[1:].startswith(FORMULA_PREFIXES) for c in shown), shown[:20]
    with duckdb.connect(str(hostile_store)) as con:
        assert fingerprint(con) == before


def test_headers_and_index_labels_are_neutralised_too():
    frame = pd.DataFrame({"=1+1": ["@SUM(A1)"], "ok": [-2.5]}, index=pd.Index(["+x"], name="-n"))
    frame.columns.name = "=c"
    out = export.neutralise_formulas(frame)
    assert list(out.columns) == ["'=1+1", "ok"]
    assert list(out.index) == ["'+x"]
    assert (out.index.name, out.columns.name) == ("'-n", "'=c")
    assert out.iloc[0].tolist() == ["'@SUM(A1)", -2.5]
    for name, data in (
        ("x.csv", export.to_csv_bytes(frame)),
        ("x.xlsx", export.to_xlsx_bytes(frame)),
    ):
        assert_inert(name, data)


def test_rejected_values_quoting_a_formula_download_inert(con, tmp_path):
    good = "".join(f"A{i},2026-10-01,1\n" for i in range(40))
    path = tmp_path / "orders.csv"
    path.write_text("order_id,order_date,revenue\n" + good + "X,=1+1,1\n")
    rejects = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY).rejects
    for name, data in (
        ("r.csv", export.to_csv_bytes(rejects)),
        ("r.xlsx", export.to_xlsx_bytes(rejects, "rejected rows [1]")),
    ):
        assert_inert(name, data)
        assert "'=1+1" in list(cells(name, data))


def test_an_out_file_that_cannot_be_written_is_one_line(hostile_store, tmp_path, capsys):
    out = tmp_path / "missing" / "list.csv"
    assert main(["--db", str(hostile_store), "carelist", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --out {out}: cannot write it (No such file or directory)\n"
