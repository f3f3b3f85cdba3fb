import json

from salesdash import config
from salesdash.cli import main


def test_db_may_follow_the_command(tmp_path, capsys):
    path = tmp_path / "after.duckdb"
    assert (
        main(
            [
                "ingest",
                str(config.DEMO_DIR / "teams.csv"),
                "--kind",
                "teams",
                "--db",
                str(path),
                "--json",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--db", str(path), "batches", "--json"]) == 0
    assert [b["kind"] for b in json.loads(capsys.readouterr().out)] == ["teams"]


def test_an_unknown_batch_is_one_line_on_stderr_and_exit_2(tmp_path, capsys):
    assert main(["undo", "99", "--db", str(tmp_path / "x.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no batch 99" in err
