"""Every query reads what a user may see through the scope macros of sql/definitions/scope.sql,
handing them the user's rights (``$regions`` and ``$sales_reps``, folded by ``Scope.params()``),
and each macro keeps only the rows those allow."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from salesdash import config, db, rollups
from salesdash.scope import MAX_DATE, MIN_DATE

# Folders whose statements build or change the store for everyone — the schema, its macros, the
# rollups the refresh builds, the writers' statements — and read tables whole.
STORE_FOLDERS = {"definitions", "schema", "rollups", "ingest"}
# Tables with rows a user may not see: a query reads them only through a scoped_* macro.
SCOPED_TABLES = {
    "orders",
    "opportunities",
    "customers",
    "rollup_sales_product_day",
    "rollup_sales_customer_day",
    "rollup_sales_customer_cube",
    "rollup_customer_month",
    "rollup_customer_totals",
    "current_targets",
}
# Queries that read the whole store on purpose, each saying why in a header line
# "-- scope: whole store — <why>". Adding one is a decision: it shows up here.
WHOLE_STORE = {
    "alerts/concentration",
    "alerts/customer_gaps",
    "alerts/loads",
    "alerts/open_deals",
    "alerts/region_revenue",
    "alerts/won_deals",
    "dataset/freshness",
    "dataset/order_date_range",
    "dataset/periods_with_data",
    "forecast/order_date_profile",
    "forecast/pipeline_last_day",
    "funnel/stages_used",
}
WHOLE_STORE_HEADER = "-- scope: whole store — "
# The Scope's parameters that carry the user's rights.
RIGHTS = ("regions", "sales_reps")
# json_serialize_sql only parses: it needs no schema and does not expand macros.
PARSER = duckdb.connect(":memory:")


def _queries() -> list[str]:
    files = sorted(config.SQL_DIR.rglob("*.sql"))
    names = [f.relative_to(config.SQL_DIR).with_suffix("").as_posix() for f in files]
    return [n for n in names if n.split("/")[0] not in STORE_FOLDERS]


def _walk(node, tables: set[str], calls: list[tuple[str, list]]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE":
            tables.add(node["table_name"])
        if node.get("type") == "TABLE_FUNCTION":
            function = node["function"]
            calls.append((function["function_name"], function["arguments"]))
        for value in node.values():
            _walk(value, tables, calls)
    elif isinstance(node, list):
        for value in node:
            _walk(value, tables, calls)


def _reads(name: str) -> tuple[set[str], list[tuple[str, list]]]:
    """The tables a query's reads name and the table functions (macros) they call; statements
    that write (a target edit's insert) are the writers' and not looked at."""
    tables: set[str] = set()
    calls: list[tuple[str, list]] = []
    for statement in PARSER.extract_statements(db.sql_text(name)):
        if statement.type != duckdb.StatementType.SELECT:
            continue
        tree = db.scalar(PARSER, "select json_serialize_sql(?)", [statement.query])
        parsed = json.loads(tree)
        assert not parsed["error"], (name, parsed)
        _walk(parsed, tables, calls)
    return tables, calls


@pytest.fixture(scope="module")
def macros() -> dict[str, list[str]]:
    """The scoped_* table macros of the schema and their parameters, in order."""
    con = db.connect(":memory:")
    rows = con.execute(
        "select function_name, parameters from duckdb_functions()"
        " where function_type = 'table_macro' and function_name like 'scoped\\_%' escape '\\'"
    ).fetchall()
    con.close()
    return dict(rows)


def test_the_schema_has_a_scope_macro_for_every_scoped_table(macros):
    folder = config.SQL_DIR / "definitions"
    definitions = "".join(f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.sql")))
    read = {t for t in SCOPED_TABLES if f"from {t}\n" in definitions}
    assert read == SCOPED_TABLES
    for name, parameters in macros.items():
        assert set(RIGHTS) <= set(parameters), name


@pytest.mark.parametrize("name", _queries())
def test_a_query_reads_scoped_rows_only_through_the_scope_macros(name, macros):
    tables, calls = _reads(name)
    if name in WHOLE_STORE:
        return
    assert not tables & SCOPED_TABLES, f"{name} reads {tables & SCOPED_TABLES} itself"
    for function, arguments in calls:
        if function not in macros:
            continue
        for right in RIGHTS:
            expression = arguments[macros[function].index(right)]["expression"]
            handed = expression.get("identifier") if expression["class"] == "PARAMETER" else None
            assert handed == right, f"{name} calls {function} without ${right} as its {right}"


def test_only_the_queries_listed_read_the_whole_store_and_each_says_why():
    declared = {
        name
        for name in _queries()
        if any(line.startswith(WHOLE_STORE_HEADER) for line in db.sql_text(name).splitlines())
    }
    assert declared == WHOLE_STORE


def test_the_check_finds_a_table_read_directly_and_a_right_left_out(tmp_path, monkeypatch, macros):
    """The checks above can fail: a query naming orders, and one handing a macro an empty list
    where the regions go."""
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "direct.sql").write_text(
        "with o as (select * from orders) select count(*) from o", encoding="utf-8"
    )
    (tmp_path / "probe" / "no_rights.sql").write_text(
        "select * from scoped_customer_months([], $channels, $sales_reps)", encoding="utf-8"
    )
    monkeypatch.setattr(config, "SQL_DIR", tmp_path)
    db.sql_text.cache_clear()
    try:
        with pytest.raises(AssertionError, match="reads {'orders'} itself"):
            test_a_query_reads_scoped_rows_only_through_the_scope_macros("probe/direct", macros)
        with pytest.raises(AssertionError, match=r"without \$regions"):
            test_a_query_reads_scoped_rows_only_through_the_scope_macros("probe/no_rights", macros)
    finally:
        db.sql_text.cache_clear()


@pytest.fixture(scope="module")
def two_regions() -> Iterator[duckdb.DuckDBPyConnection]:
    """Sales, deals and customers of East and West, by two reps each (Li Na sells in both)."""
    con = db.connect(":memory:")
    sellers = [("East", "Li Na"), ("East", "Wang Wei"), ("West", "Li Na"), ("West", "Zhao Min")]
    for i, (region, rep) in enumerate(sellers, start=1):
        con.execute(
            "insert into orders (batch_id, order_id, line_no, order_date, customer_id, region,"
            " channel, sales_rep, category, product, quantity, revenue)"
            " values (1, ?, 1, ?, ?, ?, 'direct', ?, 'Cat', 'P1', 1, ?)",
            [f"O{i}", date(2025, 1, i), f"C{i}", region, rep, 10.0 * i],
        )
        con.execute(
            "insert into opportunities (batch_id, opportunity_id, created_date, close_date, stage,"
            " amount, sales_rep, region, product) values (1, ?, ?, ?, 'won', 5, ?, ?, 'P1')",
            [f"D{i}", date(2025, 1, 1), date(2025, 2, i), rep, region],
        )
        con.execute(
            "insert into customers (batch_id, customer_id, region, sales_rep) values (1, ?, ?, ?)",
            [f"C{i}", region, rep],
        )
    rollups.refresh(con)
    yield con
    con.close()


def _arguments(parameters: list[str], regions: list[str], sales_reps: list[str]) -> dict:
    values = {
        "start_date": MIN_DATE,
        "end_date": MAX_DATE,
        "regions": regions,
        "sales_reps": sales_reps,
        "all_customers": True,
        "key_min": 0,
        "key_max": 0,
    }
    return {p: values.get(p, []) for p in parameters}


def test_each_scope_macro_keeps_only_the_regions_and_rep_it_is_handed(two_regions, macros):
    for name, parameters in macros.items():
        if name == "scoped_targets":  # no sales rows: see the test below
            continue
        arguments = _arguments(parameters, ["East"], ["Li Na"])
        call = f"{name}({', '.join('$' + p for p in parameters)})"
        frame = two_regions.execute(f"select * from {call}", arguments).df()  # noqa: S608
        if {"region", "sales_rep"} <= set(frame.columns):
            seen = set(zip(frame["region"], frame["sales_rep"], strict=True))
            assert seen == {("East", "Li Na")}, name
        else:  # one row per customer key: only Li Na's East customer, C1 (10.0)
            assert frame["revenue"].tolist() == [10.0], name
        everything = _arguments(parameters, [], [])
        assert len(two_regions.execute(f"select * from {call}", everything).df()) >= 4, name


def test_a_customer_record_is_seen_where_it_is_registered_and_where_it_buys(two_regions):
    two_regions.execute(
        "insert into customers (batch_id, customer_id, region, sales_rep) values (1, 'C5', 'West',"
        " 'Zhao Min'), (1, 'C6', null, null)"
    )
    two_regions.execute("update customers set region = 'West' where customer_id = 'C1'")
    try:
        ids = two_regions.execute(
            "select customer_id from scoped_customers(['East'], []) order by 1"
        ).fetchall()
    finally:
        two_regions.execute("delete from customers where customer_id in ('C5', 'C6')")
        two_regions.execute("update customers set region = 'East' where customer_id = 'C1'")
    # C1 is registered in West but buys in East; C2 is registered and buys in East
    assert ids == [("C1",), ("C2",)]


@pytest.mark.parametrize(
    ("regions", "sales_reps", "all_scopes", "shown"),
    [
        (
            [],
            [],
            True,
            {
                "company:",
                "channel:direct",
                "region:East",
                "region:West",
                "sales_rep:Wang Wei",
                "sales_rep:Zhao Min",
            },
        ),
        (["East"], [], False, {"region:East", "sales_rep:Wang Wei"}),
        ([], ["Wang Wei"], False, {"sales_rep:Wang Wei"}),
        (["East"], ["Zhao Min"], False, set()),  # a rep of West narrowed to East
    ],
    ids=["everything", "manager of East", "rep", "rep outside the region"],
)
def test_scoped_targets_keeps_the_targets_a_scope_may_see(
    two_regions, regions, sales_reps, all_scopes, shown
):
    """A region's targets for its regions, a rep's for the rep (in their team's region), the
    company's and every other kind only for a user whose rights narrow nothing."""
    two_regions.execute(
        "insert into teams (batch_id, sales_rep, region) values"
        " (1, 'Wang Wei', 'East'), (1, 'Zhao Min', 'West')"
    )
    kinds = [
        ("company", None),
        ("channel", "direct"),
        ("region", "East"),
        ("region", "West"),
        ("sales_rep", "Wang Wei"),
        ("sales_rep", "Zhao Min"),
    ]
    for scope, value in kinds:
        two_regions.execute(
            "insert into targets (batch_id, period_start, period_end, scope, scope_value, metric,"
            " target) values (1, '2025-01-01', '2025-12-31', ?, ?, 'revenue', 100)",
            [scope, value],
        )
    try:
        rows = two_regions.execute(
            "select scope || ':' || scope_value from scoped_targets(?, ?, ?)",
            [regions, sales_reps, all_scopes],
        ).fetchall()
    finally:
        two_regions.execute("delete from targets")
        two_regions.execute("delete from teams")
    assert {r for (r,) in rows} == shown
