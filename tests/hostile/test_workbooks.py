"""Workbooks built to take the server down: a 2 MB zip bomb (one 2 GiB shared string), one that
lies about its size, 3M rows in a small file, a sheet that is one cell wide and Excel-sized in
memory. Each is refused in seconds with one line, reading in a child process whose memory is
capped; the database is unchanged and the server keeps answering."""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import pytest

from salesdash import config, db, ingest
from salesdash.cli import main
from salesdash.errors import InputError
from tests.conftest import LOAD_DAY
from tests.e2e.conftest import wait_for_app
from tests.hostile import workbooks
from tests.hostile.conftest import fingerprint

# Well above what a refusal takes on a quiet machine (0.1-1.3 s), for a busy one.
REFUSAL_SECONDS = 15
# What the reading may add to the test process's own peak memory: the reading happens elsewhere.
PARENT_GROWTH_BYTES = 64 * 2**20

ATTACKS = {
    "bomb.xlsx": (
        lambda p: workbooks.big_string_bomb(p),
        "bomb.xlsx: the workbook expands to 2,048 MB, more than the 1,024 MB a workbook may hold",
    ),
    "lying-bomb.xlsx": (
        lambda p: workbooks.big_string_bomb(p, declared=1000),
        "lying-bomb.xlsx: not a readable .xlsx file",
    ),
    "3m-rows.xlsx": (
        lambda p: workbooks.many_rows(p, 3_000_000),
        "3m-rows.xlsx: a sheet has more than 1,048,576 rows, the most Excel allows",
    ),
    "far-cell.xlsx": (
        workbooks.far_cell,
        "far-cell.xlsx: reading this workbook needs more than the 2,048 MB an upload may use",
    ),
}


@pytest.fixture(scope="module")
def attacks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("workbooks")
    return {name: make(folder / name) for name, (make, _) in ATTACKS.items()}


def _peak_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def _reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_hostile_workbook_is_refused_quickly_in_one_line_with_bounded_memory(
    attacks, name, tmp_path
):
    con = db.connect(tmp_path / "store.duckdb")
    before = fingerprint(con)
    _reset_peak_rss()
    floor = _peak_rss()
    started = time.monotonic()
    with pytest.raises(InputError) as refusal:
        ingest.ingest_file(con, attacks[name], "orders", file_name=name, load_day=LOAD_DAY)
    assert time.monotonic() - started < REFUSAL_SECONDS
    assert _peak_rss() - floor < PARENT_GROWTH_BYTES
    message = str(refusal.value)
    assert message.startswith(ATTACKS[name][1])
    assert "\n" not in message
    assert fingerprint(con) == before


def test_the_command_line_refuses_the_bomb_with_one_line_and_status_2(attacks, tmp_path, capsys):
    store = tmp_path / "cli.duckdb"
    argv = ["--db", str(store), "ingest", str(attacks["bomb.xlsx"]), "--kind", "orders"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bomb.xlsx: the workbook expands to 2,048 MB")
    assert err.count("\n") == 1
    with duckdb.connect(str(store)) as con:
        assert all(n == 0 for n, _ in fingerprint(con).values())


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    sheet = workbooks.Part(
        workbooks.SHEET_OPEN
        + workbooks.row("order_id", "order_date", "revenue")
        + workbooks.row("A" * (config.WORKBOOK_MAX_CELL_CHARS + 1), "2026-11-01", "1")
        + workbooks.SHEET_CLOSE
    )
    path = workbooks.xlsx(tmp_path / "long.xlsx", sheet)
    with pytest.raises(InputError, match=r"row 2, column 1 holds 32,768 characters"):
        ingest.preview_file(db.connect(":memory:"), path, "orders", file_name="long.xlsx")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_file_wider_than_an_export_can_be_is_refused(tmp_path, suffix):
    header = [f"c{i}" for i in range(config.MAX_COLUMNS + 1)]
    path = tmp_path / f"wide.{suffix}"
    if suffix == "csv":
        path.write_text(",".join(header) + "\n" + ",".join("1" * len(header)) + "\n")
    else:
        sheet = workbooks.SHEET_OPEN + workbooks.row(*header) + workbooks.SHEET_CLOSE
        workbooks.xlsx(path, workbooks.Part(sheet))
    with pytest.raises(InputError, match=rf"{config.MAX_COLUMNS:,}|{config.MAX_COLUMNS}"):
        ingest.preview_file(db.connect(":memory:"), path, "orders")


def test_a_csv_field_longer_than_the_csv_module_reads_is_one_line(tmp_path):
    path = tmp_path / "huge-field.csv"
    path.write_text('order_id,order_date,revenue\n"' + "x" * 200_000 + '",2026-11-01,1\n')
    with pytest.raises(InputError, match="not readable as CSV in its first lines"):
        ingest.preview_file(db.connect(":memory:"), path, "orders")


@pytest.mark.e2e
def test_the_server_refuses_every_hostile_workbook_and_keeps_serving(page, attacks):
    page.goto(f"{page.base}/data")
    wait_for_app(page)
    page.get_by_text("Load files").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[
            {"name": name, "mimeType": "application/octet-stream", "buffer": path.read_bytes()}
            for name, path in attacks.items()
        ]
    )
    errors = page.locator('[data-testid="stAlertContentError"]')
    deadline = time.monotonic() + 120
    while errors.count() < len(ATTACKS) and time.monotonic() < deadline:
        time.sleep(0.5)
    wait_for_app(page)
    shown = sorted(errors.all_inner_texts())
    assert len(shown) == len(ATTACKS)
    for name, (_, expected) in ATTACKS.items():
        assert any(text.startswith(f"Cannot read this file: {expected}") for text in shown), (
            name,
            shown,
        )
    assert not page.get_by_role("button", name=re.compile(r"^Load \d")).count()
