"""Rollups rebuilt by parts after each batch equal rollups rebuilt whole from the same rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salesdash import config, db, ingest, rollups
from tests.conftest import LOAD_DAY

ORDERS = pd.read_csv(config.DEMO_DIR / "orders.csv", dtype=str, keep_default_na=False)


def _batches(tmp_path: Path) -> list[Path]:
    """The demo orders as a history of monthly exports, with the awkward cases a part-rebuild
    must get right: new customers, a customer's first order arriving late, more lines of orders
    loaded earlier (their head row moves, once to another day)."""
    date = ORDERS["order_date"]
    late_lines = ORDERS["order_id"].isin(ORDERS["order_id"][ORDERS["line_no"] == "2"].head(40))
    late_lines &= ORDERS["line_no"] != "1"
    first = ORDERS[(date < "2026-09-01") & ~late_lines]
    backfill_customer = first["customer_id"].iloc[-1]
    backfill = ORDERS.iloc[[0]].assign(
        order_id="LATE-1", customer_id=backfill_customer, order_date="2023-10-15"
    )
    # a line of an old order dated another day, first in (category, product): the order's head
    # row moves to a day the batch's own lines are not on
    old_order = ORDERS[date == "2025-06-15"].iloc[[0]]
    moved_head = old_order.assign(line_no="9", order_date="2025-06-16", category="AAA")
    parts = [
        first,
        ORDERS[date.str.startswith("2026-09") & ~late_lines],
        pd.concat([ORDERS[late_lines], backfill, moved_head]),
        ORDERS[(date >= "2026-10-01") & ~late_lines],
    ]
    paths = []
    for i, part in enumerate(parts):
        paths.append(tmp_path / f"orders-{i}.csv")
        part.to_csv(paths[-1], index=False)
    return paths


def _rollup(con, name: str) -> list[tuple]:
    """A rollup's rows with customer keys replaced by customer ids (keys differ by design: a
    part-rebuild gives new customers the next keys), sorted, amounts rounded."""
    columns = [r[0] for r in con.execute(f"describe rollup_{name}").fetchall()]
    if name == "sales_customer":
        columns.remove("customer_key")
        select = ", ".join(columns)
        sql = f"select {select} from rollup_{name}"
    elif "customer_key" in columns:
        select = ", ".join("k.customer_id" if c == "customer_key" else f"r.{c}" for c in columns)
        sql = (
            f"select {select} from rollup_{name} as r "
            "left join rollup_sales_customer as k using (customer_key)"
        )
    else:
        sql = f"select * from rollup_{name}"
    rows = con.execute(sql).fetchall()
    rounded = [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]
    return sorted(rounded, key=repr)


def _everything(con) -> dict[str, list[tuple]]:
    return {name: _rollup(con, name) for name in rollups.names()}


def test_rebuilding_by_parts_equals_rebuilding_whole_after_loads_and_undo(tmp_path, monkeypatch):
    ways = []
    capture = rollups.capture
    monkeypatch.setattr(
        rollups, "capture", lambda *a: ways.append(capture(*a)) or ways[-1], raising=True
    )
    monkeypatch.setattr(rollups, "MAX_CHANGED_DAYS_SHARE", 1.0)
    parts, whole = db.connect(":memory:"), db.connect(":memory:")

    def refresh_parts() -> None:  # what the refresh step does after each batch
        rollups.refresh(parts, rollups.pending(parts))

    ingest.ingest_file(parts, config.DEMO_DIR / "teams.csv", "teams", load_day=LOAD_DAY)
    refresh_parts()
    ingest.ingest_file(whole, config.DEMO_DIR / "teams.csv", "teams", load_day=LOAD_DAY)
    batch_ids = []
    for path in _batches(tmp_path):
        batch_ids.append(ingest.ingest_file(parts, path, "orders", load_day=LOAD_DAY).batch_id)
        refresh_parts()
        ingest.ingest_file(whole, path, "orders", load_day=LOAD_DAY)
        rollups.refresh(whole)
        assert _everything(parts) == _everything(whole), path.name
    ingest.undo_batch(parts, batch_ids[2])
    refresh_parts()
    ingest.undo_batch(whole, batch_ids[2])
    rollups.refresh(whole)
    assert _everything(parts) == _everything(whole)
    # the teams load and the first orders batch build whole (nothing rolled up yet), every
    # later orders batch and the undo by parts
    assert [w.value for w in ways[::2]] == ["whole", "whole"] + ["parts"] * 4


def test_a_batch_touching_most_days_rebuilds_whole(con, tmp_path):
    path = tmp_path / "orders.csv"
    ORDERS.to_csv(path, index=False)
    batch = ingest.ingest_file(con, path, "orders", load_day=LOAD_DAY)
    assert rollups.capture(con, "orders", batch.batch_id) is rollups.Change.WHOLE
    assert rollups.capture(con, "customers", batch.batch_id) is rollups.Change.NONE


def test_a_teams_batch_rebuilds_whole_because_it_lends_regions_to_every_batch(con):
    assert rollups.capture(con, "teams", 1) is rollups.Change.WHOLE
    assert rollups.pending(con) is rollups.Change.WHOLE
    rollups.refresh(con, rollups.pending(con))
    assert rollups.pending(con) is rollups.Change.NONE


def test_marks_of_several_batches_add_up_until_one_refresh_applies_them(tmp_path):
    """A refresh killed or skipped after a batch commits leaves its marks: the next refresh
    brings the rollups up to date for every batch since the last one."""
    parts, whole = db.connect(":memory:"), db.connect(":memory:")
    for con in (parts, whole):
        ingest.ingest_file(con, config.DEMO_DIR / "teams.csv", "teams", load_day=LOAD_DAY)
    first, *rest = _batches(tmp_path)
    for con in (parts, whole):
        ingest.ingest_file(con, first, "orders", load_day=LOAD_DAY)
        rollups.refresh(con, rollups.pending(con))
    for path in rest[:2]:
        ingest.ingest_file(parts, path, "orders", load_day=LOAD_DAY)
        ingest.ingest_file(whole, path, "orders", load_day=LOAD_DAY)
    assert rollups.pending(parts) is not rollups.Change.NONE
    rollups.refresh(parts, rollups.pending(parts))
    rollups.refresh(whole)
    assert _everything(parts) == _everything(whole)


def test_orders_never_rolled_up_are_built_whole_even_for_a_small_batch(con, insert):
    days = pd.date_range("2025-01-01", periods=20, freq="D").date
    rows = [
        {"order_id": f"O{i}", "line_no": 1, "order_date": d, "revenue": 1.0}
        for i, d in enumerate(days)
    ]
    # as a database from before the rollups holds them
    insert(con, "orders", rows, batch_id=1, refresh=False)
    insert(con, "orders", [{**rows[0], "order_id": "NEW"}], batch_id=2, refresh=False)
    assert rollups.capture(con, "orders", 2) is rollups.Change.WHOLE
    rollups.refresh(con, rollups.Change.WHOLE)
    insert(con, "orders", [{**rows[0], "order_id": "NEXT"}], batch_id=3, refresh=False)
    assert rollups.capture(con, "orders", 3) is rollups.Change.PARTS


def test_customer_rollups_from_before_the_rep_column_are_rebuilt_whole_with_it(con, insert):
    row = {"order_id": "O1", "line_no": 1, "order_date": "2025-01-02", "revenue": 5.0}
    insert(con, "orders", [{**row, "customer_id": "C1", "sales_rep": "Li Na"}], batch_id=1)
    rollups.refresh(con, rollups.capture(con, "orders", 1))
    for table in ("rollup_customer_month", "rollup_customer_totals"):  # as migrated before 075
        con.execute(f"alter table {table} drop column sales_rep")
    con.execute("delete from schema_migrations where name = '075_customer_rollups_by_rep'")
    assert db.migrate(con) == ["075_customer_rollups_by_rep"]
    assert rollups.pending(con) is rollups.Change.WHOLE
    rollups.refresh(con, rollups.pending(con))
    for table in ("rollup_customer_month", "rollup_customer_totals"):
        assert con.execute(f"select customer_id, sales_rep from {table}").fetchall() == [
            ("C1", "Li Na")
        ]


def test_a_new_database_needs_no_rebuild_for_the_rep_column(con):
    assert rollups.pending(con) is rollups.Change.NONE


def test_the_registry_lists_every_rollup_query_after_the_rollups_it_reads(con):
    files = {p.stem for p in (config.SQL_DIR / "rollups").glob("*.sql")}
    assert set(rollups.names()) == files  # a query left out of ROLLUPS would never be built
    built: set[str] = set()
    for rollup in rollups.ROLLUPS:
        sql = db.sql_text(f"rollups/{rollup.name}").replace("$full", "true")
        read = con.get_table_names(sql) - set(rollups.MARKS.values())
        assert read == set(rollup.reads), rollup.name
        assert {t for t in read if t.startswith("rollup_")} <= built, rollup.name
        built.add(rollup.table)


def test_each_rollup_is_keyed_by_columns_it_has_and_marks_exist_for(con):
    for rollup in rollups.ROLLUPS:
        columns = {r[0] for r in con.execute(f"describe {rollup.table}").fetchall()}
        assert set(rollup.key) <= columns & rollups.MARKS.keys(), rollup.name
