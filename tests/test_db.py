from datetime import date

import duckdb
import pytest

from salesdash import db
from salesdash.errors import DatabaseLockedError


def test_connect_creates_every_canonical_table_and_the_ingest_log(con):
    tables = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    assert {"orders", "customers", "opportunities", "targets", "teams", "ingest_log"} <= tables


def test_migrations_run_once(tmp_path):
    path = tmp_path / "x.duckdb"
    first = db.connect(path)
    assert db.migrate(first) == []  # connect applied them all already
    first.close()
    again = db.connect(path)
    assert again.execute("select count(*) from schema_migrations").fetchone()[0] == len(
        list(db.SCHEMA_DIR.glob("*.sql"))
    )


def test_run_sql_passes_only_the_parameters_a_query_uses(con, insert):
    insert(
        con,
        "orders",
        [
            {
                "order_id": "A",
                "line_no": 1,
                "order_date": date(2025, 1, 5),
                "revenue": 10.0,
                "region": "East",
            },
            {
                "order_id": "B",
                "line_no": 1,
                "order_date": date(2025, 2, 5),
                "revenue": 5.0,
                "region": "West",
            },
        ],
    )
    frame = db.run_sql(con, "dataset/order_date_range", unused=1, another="x")
    assert frame.loc[0, "first_order_date"].date() == date(2025, 1, 5)
    assert frame.loc[0, "last_order_date"].date() == date(2025, 2, 5)


def test_in_list_macro_treats_an_empty_list_as_no_filter(con):
    assert con.execute("select in_list([]::varchar[], 'x')").fetchone()[0] is True
    assert con.execute("select in_list(['a'], 'x')").fetchone()[0] is False


def test_a_database_held_by_another_process_gives_a_one_line_reason(tmp_path):
    path = tmp_path / "held.duckdb"
    db.connect(path).close()
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(DatabaseLockedError, match="in use by another process"):
            db.connect(path)
    finally:
        holder.kill()
        holder.wait()


def test_is_empty_until_a_row_arrives(con, insert):
    assert db.is_empty(con)
    insert(con, "teams", [{"sales_rep": "Li Na", "region": "East"}])
    assert not db.is_empty(con)
    assert isinstance(con, duckdb.DuckDBPyConnection)


def test_rollups_rebuild_only_after_batches_they_are_built_from(con, insert):
    from salesdash import rollups

    insert(
        con,
        "orders",
        [
            {
                "order_id": "A",
                "line_no": 1,
                "order_date": date(2025, 1, 5),
                "revenue": 10.0,
                "customer_id": "C1",
            }
        ],
        refresh=False,
    )
    rollups.refresh(con, rollups.capture(con, "opportunities", 0))
    assert con.execute("select count(*) from rollup_customer_totals").fetchall()[0][0] == 0
    rollups.refresh(con, rollups.capture(con, "orders", 0))
    assert con.execute("select count(*) from rollup_customer_totals").fetchall()[0][0] == 1


def test_a_transaction_commits_when_its_block_ends(con, insert):
    with db.transaction(con):
        insert(con, "teams", [{"sales_rep": "Li Na", "region": "East"}])
    assert db.scalar(con, "select count(*) from teams") == 1


def test_a_transaction_rolls_back_everything_when_its_block_raises(con, insert):
    with pytest.raises(ValueError, match="half way"), db.transaction(con):
        insert(con, "teams", [{"sales_rep": "Li Na", "region": "East"}])
        raise ValueError("half way")
    assert db.scalar(con, "select count(*) from teams") == 0
    with db.transaction(con):  # and the connection is usable again
        insert(con, "teams", [{"sales_rep": "Wang Wei", "region": "West"}])
    assert db.scalar(con, "select count(*) from teams") == 1


def test_a_double_dash_inside_a_string_is_text_not_a_comment(con, tmp_path, monkeypatch):
    (only,) = db.statements("select 'a--b' as s;")
    assert con.execute(only.sql).fetchall() == [("a--b",)]
    (tmp_path / "probe.sql").write_text(
        "create temp table probe as select 'a--b' as s; -- a real comment\n"
        "insert into probe values ('c;d');\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(db.config, "SQL_DIR", tmp_path)
    db.sql_text.cache_clear()
    try:
        db.execute_sql(con, "probe")
    finally:
        db.sql_text.cache_clear()
    assert [r[0] for r in con.execute("select s from probe").fetchall()] == ["a--b", "c;d"]


def test_a_dollar_name_inside_a_string_literal_is_not_a_parameter():
    sql = "select $region as region, 'costs $5 or $price' as note -- $in_comment"
    assert db.params_for(sql, {"region": "East", "price": 1, "in_comment": 2}) == {"region": "East"}
    with pytest.raises(TypeError, match=r"\['region'\]"):
        db.params_for(sql, {"price": 1})


def test_each_statement_of_a_file_gets_only_the_parameters_it_names(con):
    first, second = db.statements("select $a as x; select 'x;$b' as y, $c as z;")
    assert (first.parameters, second.parameters) == ({"a"}, {"c"})


def test_an_edited_macro_reaches_an_existing_database_at_its_next_connection(tmp_path, monkeypatch):
    path = tmp_path / "x.duckdb"
    db.connect(path).close()
    edited = tmp_path / "definitions"
    edited.mkdir()
    for file in db.DEFINITIONS_DIR.glob("*.sql"):
        (edited / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (edited / "scope.sql").write_text(
        (edited / "scope.sql").read_text(encoding="utf-8")
        + "\ncreate or replace macro in_list(vals, x) as (list_contains(vals, x));\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(db, "DEFINITIONS_DIR", edited)
    con = db.connect(path)
    try:
        assert con.execute("select in_list([]::varchar[], 'x')").fetchone()[0] is False
        assert db.define(con) is False  # up to date: nothing written again
    finally:
        con.close()


def test_a_read_only_connection_writes_nothing_and_uses_the_stored_macros(tmp_path):
    path = tmp_path / "x.duckdb"
    db.connect(path).close()
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("select in_list([]::varchar[], 'x')").fetchone()[0] is True
        assert con.execute("select count(*) from current_targets").fetchone()[0] == 0
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            db.define(con)
    finally:
        con.close()
