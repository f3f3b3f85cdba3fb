"""Uploads on disk. Path traversal through an upload's file name: a visitor chooses the name the
browser sends, so it must never become part of a path. Uploads land in the session's own folder,
under a generated name; the original name is kept only as a label, without any folder part. And
the folder goes when the session goes: no empty folder per visit, no upload left behind."""

from __future__ import annotations

import os
import tempfile
import time

import pytest

from salesdash import uploads
from tests.e2e.conftest import wait_for_app

CSV = b"order_id,order_date,revenue\nA1,2026-11-02,10\n"
HOSTILE_NAMES = [
    "../../../tmp/x/evil.csv",
    "/etc/cron.d/evil.csv",
    "..\\..\\windows\\evil.csv",
    "C:\\Users\\Public\\evil.csv",
    "evil\x00.csv",
    "evil\x00/../../x.csv",
    "line\nbreak\r.csv",
    "\u202ecsv.exe",
    "a" * 5000 + ".csv",
    "..",
    "",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_upload_lands_inside_its_folder_whatever_its_name(tmp_path, name):
    folder = tmp_path / "session"
    folder.mkdir()
    path = uploads.save_upload(CSV, name, folder)
    assert path.parent == folder
    assert path.name.startswith("upload-")
    assert path.read_bytes() == CSV
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [path.name]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_upload_label_has_no_folder_part_and_no_control_characters(name):
    label = uploads.display_name(name)
    assert label
    assert not {"/", "\\", "\x00", "\n", "\r", "\u202e"} & set(label)
    assert len(label) <= uploads.MAX_NAME_CHARS


def test_the_label_keeps_the_last_part_of_a_name_and_its_suffix():
    assert uploads.display_name("../../exports/订单 七月.csv") == "订单 七月.csv"
    assert uploads.display_name("C:\\exports\\q3.XLSX") == "q3.XLSX"
    assert uploads.display_name("x" * 500 + ".xlsx").endswith("….xlsx")


def test_saving_never_overwrites_a_file_that_is_already_there(tmp_path, monkeypatch):
    (tmp_path / "upload-0000000000000000.csv").write_bytes(b"payroll")
    monkeypatch.setattr(uploads.secrets, "token_hex", lambda _n: "0000000000000000")
    with pytest.raises(FileExistsError):
        uploads.save_upload(CSV, "x.csv", tmp_path)
    assert (tmp_path / "upload-0000000000000000.csv").read_bytes() == b"payroll"


def _open_data_page(page) -> None:
    page.goto(f"{page.base}/data")
    wait_for_app(page)
    page.get_by_text("Load files").wait_for()


@pytest.mark.e2e
def test_a_browser_upload_named_to_escape_writes_only_into_the_session_folder(
    page, tmp_path, server_tmp
):
    victim = tmp_path / "victim"
    victim.mkdir()
    payroll = victim / "payroll.csv"
    payroll.write_bytes(b"name,salary\nAnn,1\n")
    escape = "../" * 30 + str(victim).lstrip("/") + "/evil.csv"
    _open_data_page(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[
            {"name": escape, "mimeType": "text/csv", "buffer": CSV},
            {"name": str(payroll), "mimeType": "text/csv", "buffer": CSV},
        ]
    )
    page.get_by_text("Kind of file").nth(1).wait_for()  # both previews were read
    wait_for_app(page)
    assert sorted(p.name for p in victim.iterdir()) == ["payroll.csv"]
    assert payroll.read_bytes() == b"name,salary\nAnn,1\n"
    saved = sorted(p for p in server_tmp.rglob("*") if p.is_file())
    assert len(saved) == 2
    assert all(p.parent.name.startswith(uploads.UPLOAD_FOLDER_PREFIX) for p in saved)
    assert all(p.parent.parent == server_tmp and p.name.startswith("upload-") for p in saved)
    assert all(p.read_bytes() == CSV for p in saved)
    # the labels the analyst reads are the last part of each name
    assert page.get_by_text("evil.csv", exact=True).is_visible()
    assert page.get_by_text("payroll.csv", exact=True).is_visible()


@pytest.mark.e2e
def test_the_browser_session_s_upload_folder_goes_when_the_session_ends(page, server_tmp):
    _open_data_page(page)
    before = set(server_tmp.glob(f"{uploads.UPLOAD_FOLDER_PREFIX}*"))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "never-loaded.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_text("Kind of file").wait_for()
    mine = set(server_tmp.glob(f"{uploads.UPLOAD_FOLDER_PREFIX}*")) - before
    assert len(mine) == 1
    page.context.close()  # the visitor leaves without pressing Load
    deadline = time.monotonic() + 30
    while any(folder.exists() for folder in mine) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(folder.exists() for folder in mine)


def test_visiting_the_data_page_makes_no_folder(app, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    at = app.run().switch_page("app_pages/data.py").run()
    assert not at.exception
    assert not list(tmp_path.glob(f"{uploads.UPLOAD_FOLDER_PREFIX}*"))


def test_a_folder_left_by_a_killed_server_is_removed_by_the_next_session(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = tmp_path / f"{uploads.UPLOAD_FOLDER_PREFIX}old"
    stale.mkdir()
    (stale / "upload-1.csv").write_bytes(CSV)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    recent = tmp_path / f"{uploads.UPLOAD_FOLDER_PREFIX}busy"
    recent.mkdir()
    fresh = uploads.new_upload_folder()
    assert fresh.is_dir() and fresh.parent == tmp_path
    assert not stale.exists()
    assert recent.exists()  # another session's, still in use
    assert fresh.stat().st_mode & 0o777 == 0o700
