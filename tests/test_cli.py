import json

import pytest

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


# What each command needs besides the database to run at all; `demo` never opens a database.
COMMAND_ARGS = {
    "access": ["list"],
    "alerts": [],
    "batches": [],
    "undo": ["1"],
    "redo": ["1"],
    "currency": [],
    "breakdown": ["--by", "customer"],
    "carelist": [],
    "forecast": [],
    "funnel": [],
    "ingest": ["{header_only}", "--kind", "orders"],
    "kpis": [],
    "refresh": [],
    "segments": [],
    "targets": [],
}


def test_every_command_that_reads_a_database_is_listed_here():
    from salesdash.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert set(commands) - {"demo"} == set(COMMAND_ARGS)


def _answer(capsys, path, command, *args):
    """Exit status and the lines printed (stdout and stderr) of one command on ``path``."""
    status = main(["--db", str(path), command, *args])
    out, err = capsys.readouterr()
    return status, out, (out + err).strip().splitlines()


@pytest.mark.parametrize("command", sorted(COMMAND_ARGS))
def test_every_command_on_an_empty_database_answers_in_one_line(tmp_path, capsys, command):
    header_only = tmp_path / "orders.csv"
    header_only.write_text("order_date,revenue\n", encoding="utf-8")
    args = [a.format(header_only=header_only) for a in COMMAND_ARGS[command]]
    status, out, lines = _answer(capsys, tmp_path / "x.duckdb", command, *args)
    assert len(lines) == 1, lines
    assert status == (0 if out else 2)


@pytest.mark.parametrize(
    "command", ["breakdown", "carelist", "forecast", "funnel", "kpis", "segments", "targets"]
)
def test_every_analysis_on_a_database_of_customers_only_answers_in_one_line(
    tmp_path, capsys, command
):
    path = tmp_path / "x.duckdb"
    _answer(capsys, path, "ingest", str(config.DEMO_DIR / "customers.csv"), "--kind", "customers")
    status, out, lines = _answer(capsys, path, command, *COMMAND_ARGS[command])
    assert len(lines) == 1, lines
    assert lines[0].startswith("no ") or lines[0].startswith("error: no ")
    assert status == (0 if out else 2)
