"""One file = one batch: read, type, validate, dedupe and load in one transaction; log; undo.

The row-count invariant is checked on every load: the data records counted in the file by
``reading.count_records`` (independently of DuckDB's parser) must equal the rows DuckDB staged plus
the lines it could not split; and loaded + rejected + duplicate must equal that count.

Region inheritance: an order or opportunity without a region takes its rep's region from teams,
whatever the load order — at load when the team is already known, and when a teams batch arrives
for the rows already loaded. ``region_from_batch`` records the teams batch a region came from, so
undoing that batch puts exactly those regions back to null.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from salesdash import access, config, rollups
from salesdash.db import execute_sql, params_for, run_sql, scalar, transaction
from salesdash.errors import InputError
from salesdash.ingest import history, parsing, reading
from salesdash.ingest import mapping as mapping_mod
from salesdash.ingest.results import BatchResult, Coverage, FilePreview

KINDS = (*config.KINDS, "products")

_HIDDEN_COLUMNS = ("batch_id", "region_from_batch")
_CSV_ERRORS = {
    "TOO MANY COLUMNS": "more fields than the header",
    "MISSING COLUMNS": "fewer fields than the header",
    "INVALID ENCODING": "invalid UTF-8 text",
    "INVALID UNICODE": "invalid UTF-8 text",
    "UNQUOTED VALUE": "broken quoting",
    "LINE SIZE OVER MAXIMUM": "line too long",
}
REJECT_COLUMNS = ["line", "column", "value", "reason"]

Progress = Callable[[float, str], None]


def table_types(con: duckdb.DuckDBPyConnection, kind: str) -> dict[str, str]:
    """canonical column → SQL type, in table order (without batch bookkeeping columns)."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_name = ? and table_schema = 'main' order by ordinal_position",
        [kind],
    ).fetchall()
    return {name: typ for name, typ in rows if name not in _HIDDEN_COLUMNS}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown kind '{kind}' (expected one of: {', '.join(KINDS)})")


def _mapping_for(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    header: list[str],
    override: dict[str, str | None] | None,
) -> tuple[dict[str, str | None], bool]:
    columns = mapping_mod.canonical_columns(kind, list(table_types(con, kind)))
    remembered = mapping_mod.remembered_mapping(con, kind, header)
    proposed = mapping_mod.propose_mapping(kind, header, columns)
    if remembered:
        proposed = {c: remembered.get(c) if remembered.get(c) in header else None for c in columns}
    if override:
        proposed = mapping_mod.apply_override(kind, header, proposed, override)
    return proposed, remembered is not None


def preview_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    kind: str,
    *,
    n_rows: int = 20,
    file_name: str | None = None,
) -> FilePreview:
    """The first rows of a file and the proposed mapping (remembered one when this header was
    confirmed before), for the analyst to confirm or correct.

    Args:
        file_name: how messages and the preview call the file (default: its name on disk).

    Raises:
        InputError: unknown kind, or the file is empty, binary or unreadable.
    """
    _check_kind(kind)
    path = Path(path)
    name = file_name or path.name
    with reading.open_source(path, n_sample=n_rows, full=False, name=name) as src:
        mapping, remembered = _mapping_for(con, kind, src.header, None)
        width = len(src.header)
        rows = pd.DataFrame(
            [(r + [""] * width)[:width] for r in src.sample],
            columns=_unique(src.header),
            dtype="string",
        )
        missing = mapping_mod.missing_required(kind, mapping)
        return FilePreview(name, kind, src.encoding, src.header, rows, mapping, missing, remembered)


def preview_values(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    kind: str,
    *,
    load_day: date,
    mapping: dict[str, str | None] | None = None,
    day_first: bool | None = None,
    n_rows: int = 20,
    file_name: str | None = None,
) -> pd.DataFrame:
    """The first rows of a file as the load would store them, by the load's own parsing: one
    column per canonical column the mapping fills (dates as dates, amounts as numbers, IDs
    trimmed, generated order IDs and line numbers), then ``problem`` ("column: reason") for a
    row the load would reject, None for a good one.

    Raises:
        InputError: the file cannot be read, or its dates cannot be read as they stand (ambiguous
            day/month order: what the load would refuse too).
    """
    _check_kind(kind)
    path = Path(path)
    name = file_name or path.name
    with (
        reading.open_source(path, n_sample=n_rows, full=False, name=name) as src,
        tempfile.TemporaryDirectory(prefix="salesdash-preview-") as tmp,
    ):
        used, _ = _mapping_for(con, kind, src.header, mapping)
        sample = Path(tmp) / "sample.csv"
        with sample.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([src.header, *src.sample])
        text = parsing.ReadOptions(str(sample), ",", len(src.header))
        plan = _plan(con, kind, src.header, src.sample, used, text, load_day, day_first)
        rows = _numbered(kind, plan.sources, plan.text.checked(parsing.READ_CSV))
        frame = con.execute(rows, params_for(rows, {**text.params(), **plan.text.params})).df()
        parsing.drop_rejects(con)
    if "_rec" in frame:  # numbered by order: back in file order
        frame = frame.sort_values("_rec", ignore_index=True)
    shown = [c for c in plan.text.columns if c in plan.sources or frame[c].notna().any()]
    problem = frame["reject_column"].str.cat(frame["reject_reason"], sep=": ").astype(object)
    return frame[shown].assign(problem=problem.where(frame["reject_reason"].notna(), None))


def file_period(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    kind: str,
    *,
    load_day: date,
    mapping: dict[str, str | None] | None = None,
    day_first: bool | None = None,
    file_name: str | None = None,
) -> tuple[date, date] | None:
    """The first and last date of a file's good rows (orders: order_date, opportunities:
    created_date), None without any: the months a replacing load would replace are
    ``history.months_covering`` of them. Reads the whole file.

    Raises:
        InputError: the file cannot be read, or its kind has no period (customers, targets …).
    """
    _check_kind(kind)
    path = Path(path)
    with reading.open_source(path, name=file_name or path.name) as src:
        used, _ = _mapping_for(con, kind, src.header, mapping)
        text = parsing.ReadOptions(str(src.csv_path), src.delimiter, len(src.header))
        plan = _plan(con, kind, src.header, src.sample, used, text, load_day, day_first)
        return _file_period(con, kind, plan)


def batch_coverage(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> Coverage | None:
    """What a batch brought (its rows in the table), for the kinds with dates: orders,
    opportunities and customers; None for the others."""
    if kind not in COVERAGE_KINDS:
        return None
    row = run_sql(con, f"ingest/coverage_{kind}", batch_id=batch_id).iloc[0]
    first, last = row["first_date"], row["last_date"]
    return Coverage(
        kind=kind,
        first_date=None if pd.isna(first) else pd.Timestamp(first).date(),
        last_date=None if pd.isna(last) else pd.Timestamp(last).date(),
        n_records=int(row["n_records"]),
        n_customers=int(row["n_customers"]),
        amount=None if pd.isna(row["amount"]) else float(row["amount"]),
        regions=tuple(row["regions"]),
        channels=tuple(row["channels"]),
    )


# The kinds whose batches say what they cover (sql/ingest/coverage_<kind>.sql).
COVERAGE_KINDS = ("orders", "opportunities", "customers")


def _check_unambiguous(name: str, header: list[str], used: dict[str, str | None]) -> None:
    """Refuse a file where a column the mapping uses appears twice in the header: which of the two
    holds the revenue cannot be told, and taking the first silently loaded the wrong numbers."""
    for canonical, source in used.items():
        positions = [i for i, column in enumerate(header, start=1) if source and column == source]
        if len(positions) > 1:
            where = " and ".join(str(p) for p in positions)
            raise InputError(
                f"{name}: the header has '{source}' {len(positions)} times (columns {where}); "
                f"rename them so it is clear which one holds {canonical}"
            )


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}.{n}")
    return out


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    kind: str,
    *,
    load_day: date,
    mapping: dict[str, str | None] | None = None,
    user_name: str | None = None,
    file_name: str | None = None,
    max_bad_rate: float = config.MAX_BAD_ROW_RATE,
    day_first: bool | None = None,
    progress: Progress | None = None,
    replace: bool = False,
) -> BatchResult:
    """Load one file (CSV or .xlsx) as one batch: all its good rows, or nothing.

    Args:
        load_day: the day of the load, which the plausible dates are counted from
            (``parsing.Plausible``): rows dated more than a year after it are rejected.
        mapping: corrections to the proposed mapping, canonical column → source column.
        user_name: who the ingest log names as loading it (default: the user the writer ``con``
            acts for, salesdash/access.py).
        day_first: how to read d/m/y-shaped dates when the column cannot tell (None: decide from
            the column, and refuse when it is ambiguous).
        progress: called with (fraction done, step name).
        replace: the file replaces the rows of its kind (orders, opportunities) already loaded
            for the months its dates cover (a monthly re-export), in the same batch: undoing it
            puts them back (``history``).

    Raises:
        InputError: the file cannot be loaded (empty, binary, wrong kind, missing columns, too many
            bad rows, ambiguous dates …); the database is unchanged.
        AccessDenied: the writer ``con`` acts for may not change data; the database is unchanged.
    """
    user = access.require_on(con, "change_data")
    user_name = user_name or user.email
    _check_kind(kind)
    if replace:
        history.date_column(kind)
    path = Path(path)
    name = file_name or path.name
    report = progress or (lambda _f, _s: None)
    report(0.0, "reading")
    with reading.open_source(path, name=name) as src:
        used, _ = _mapping_for(con, kind, src.header, mapping)
        missing = mapping_mod.missing_required(kind, used)
        if missing:
            guess = mapping_mod.guess_kind(src.header)
            hint = f"; it looks like {_a(guess)} file" if guess and guess != kind else ""
            raise InputError(
                f"{name}: not {_a(kind)} file — missing "
                f"{mapping_mod.describe_missing(kind, missing)}{hint}"
            )
        if not src.sample:
            raise InputError(f"{name}: header only, no data rows")
        _check_unambiguous(name, src.header, used)
        report(0.1, "checking")
        # counting records and hashing read the file in Python while DuckDB loads it
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="salesdash-ingest")
        facts = pool.submit(reading.file_facts, path, src.csv_path)
        pool.shutdown(wait=False)
        text = parsing.ReadOptions(str(src.csv_path), src.delimiter, len(src.header))
        plan = _plan(con, kind, src.header, src.sample, used, text, load_day, day_first)
        report(0.2, "loading")
        try:
            with transaction(con):
                result = _load(
                    con,
                    kind,
                    name,
                    src.encoding,
                    facts,
                    src.header,
                    used,
                    plan,
                    max_bad_rate,
                    user_name,
                    report,
                    replace,
                )
        finally:
            parsing.drop_rejects(con)
    report(1.0, "done")
    return result


def _load(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    name: str,
    encoding: str,
    facts: Future[reading.FileFacts],
    header: list[str],
    used: dict[str, str | None],
    plan: _Plan,
    max_bad_rate: float,
    user_name: str | None,
    report: Progress,
    replace: bool,
) -> BatchResult:
    """Scan 1 inserts the good new rows straight from the file (one write, as a bare
    ``create table as`` does), the reader typing the plain date and number columns itself; the
    few records it could not type are read again as text. Scan 2, only when that did not account
    for every record, finds the rejected ones with their record numbers. A replacing load first
    scans the file's dates and holds the rows of the months they cover (``history``)."""
    batch_id = next_batch_id(con)
    sources = plan.sources
    replaced = None
    if replace:
        period = _file_period(con, kind, plan)
        if period is not None:
            months = history.months_covering(*period)
            replaced = history.replace_period(con, kind, batch_id, *months)
    loaded = _insert(con, kind, plan.native, plan.opts, batch_id, sources)
    csv_rejects = parsing.csv_reject_lines(con)
    csv_lines = sorted({line for line, _, _ in csv_rejects})
    untyped = parsing.cast_reject_records(con)
    fact = facts.result()
    total, sha = fact.records, fact.sha256
    if fact.nul_line is not None:
        raise InputError(
            f"{name}: a NUL byte on line {fact.nul_line:,} — binary data inside the text, or a "
            "damaged export; nothing was loaded"
        )
    bad: list[dict] = []
    if untyped:
        loaded, reread_bad = _insert_as_text(con, kind, plan, untyped, loaded, batch_id, sources)
        bad = _renumber(reread_bad or [], untyped, csv_lines)
    report(0.6, "validating")
    if loaded + len(bad) + len(csv_lines) == total:
        n_parsed = loaded + len(bad)
    else:
        n_parsed, bad = _value_rejects(con, plan.text, plan.opts.as_text())
    if n_parsed + len(csv_lines) != total:
        raise InputError(
            f"{name}: {total} data lines in the file but {n_parsed + len(csv_lines)} could be "
            "read consistently; the file may be truncated or in another format"
        )
    rejects = _rejects_frame(bad, csv_rejects, csv_lines)
    n_rejected = len(rejects)
    if n_rejected > max_bad_rate * total:
        first = rejects.iloc[0]
        raise InputError(
            f"{name}: {n_rejected} of {total} rows ({n_rejected / total:.1%}) are bad, above the "
            f"{max_bad_rate:.0%} limit — first: line {first.line}"
            f"{' column ' + first.column if first.column else ''}: {first.reason}"
        )
    report(0.7, "deduplicating")
    loaded -= _drop_duplicates_within_file(con, kind, batch_id)
    duplicate = n_parsed - len(bad) - loaded
    if loaded + n_rejected + duplicate != total or duplicate < 0:
        raise InputError(f"{name}: row counts do not add up (internal error); nothing was loaded")
    if kind in history.INHERITS_REGION:
        execute_sql(con, f"ingest/inherit_region_{kind}", batch_id=batch_id)
    if kind == "teams":
        for target in history.INHERITS_REGION:
            execute_sql(con, f"ingest/fill_region_{target}", batch_id=batch_id)
    warnings = negative_warnings(con, kind, batch_id) + product_warnings(con, kind, batch_id)
    log_batch(
        con,
        batch_id=batch_id,
        kind=kind,
        file_name=name,
        file_sha256=sha,
        encoding=encoding,
        mapping=used,
        rows_loaded=loaded,
        rows_rejected=n_rejected,
        rows_duplicate=duplicate,
        user_name=user_name,
    )
    mapping_mod.remember_mapping(con, kind, header, used)
    rollups.capture(con, kind, batch_id)
    return BatchResult(
        batch_id=batch_id,
        kind=kind,
        file_name=name,
        file_sha256=sha,
        encoding=encoding,
        rows_loaded=loaded,
        rows_rejected=n_rejected,
        rows_duplicate=duplicate,
        mapping={c: s for c, s in used.items() if s},
        rejects=rejects,
        rows_total=total,
        warnings=warnings,
        coverage=batch_coverage(con, kind, batch_id),
        replaced=replaced,
    )


def _insert(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    select: parsing.StageQuery,
    opts: parsing.ReadOptions,
    batch_id: int,
    sources: dict[str, str],
) -> int:
    """Insert the file's good rows whose natural key is not in the table yet; return how many."""
    columns = list(table_types(con, kind))
    keys = history.KEYS[kind]
    rows = _numbered(kind, sources, select.good(parsing.READ_CSV))
    new_only = ""
    # rows of earlier batches only: a key twice within this file is the duplicate check's matter
    if scalar(con, f"select count(*) > 0 from {kind} where batch_id <> ?", [batch_id]):  # noqa: S608
        match = " and ".join(f"k.{k} is not distinct from s.{k}" for k in keys)
        new_only = f"where not exists (select 1 from {kind} as k where {match})"
    sql = (
        f"insert into {kind} (batch_id, {', '.join(columns)}) "  # noqa: S608
        f"select $batch_id, {', '.join('s.' + c for c in columns)} from ({rows}) as s {new_only}"
    )
    params = params_for(sql, {**opts.params(), **select.params, "batch_id": batch_id})
    return int(con.execute(sql, params).fetchall()[0][0])


def _numbered(kind: str, sources: dict[str, str], rows: str) -> str:
    """The query ``rows`` with the line numbers an orders file without them gets: several lines
    of one order are keyed by their position within the order in the file."""
    if kind != "orders" or "line_no" in sources:
        return rows
    return (
        "select * replace (cast(row_number() over (partition by order_id order by _rec)"
        f" as integer) as line_no) from (select row_number() over () as _rec, * from ({rows}))"
    )


@dataclass(frozen=True)
class _Plan:
    """How a file is read: ``native`` with the reader typing plain dates and numbers (``opts``),
    ``text`` with every column read as text and converted by the macros."""

    text: parsing.StageQuery
    native: parsing.StageQuery
    opts: parsing.ReadOptions
    sources: dict[str, str]


def _plan(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    header: list[str],
    sample: list[list[str]],
    used: dict[str, str | None],
    text: parsing.ReadOptions,
    load_day: date,
    day_first: bool | None,
) -> _Plan:
    """How to read the file ``text`` names with the mapping ``used`` (``date_order`` may scan it).

    Raises:
        InputError: its d/m/y dates are ambiguous and ``day_first`` was not given.
    """
    parsing.install_macros(con)
    sources = parsing.source_names(header, used)
    types = table_types(con, kind)
    date_sources = {c: s for c, s in sources.items() if types.get(c) == "DATE"}
    first = parsing.date_order(con, text, date_sources, sample, day_first)
    native = parsing.native_sources(con, kind, types, sources, sample)
    limits = parsing.Plausible(load_day)
    shape = {"day_first": first, "n_columns": len(header), "limits": limits}
    return _Plan(
        text=parsing.stage_select(kind, types, sources, **shape),
        native=parsing.stage_select(kind, types, sources, native=native, **shape),
        opts=parsing.ReadOptions(text.csv_path, text.delimiter, len(header), native),
        sources=sources,
    )


def _file_period(
    con: duckdb.DuckDBPyConnection, kind: str, plan: _Plan
) -> tuple[date, date] | None:
    """The first and last date (``history.REPLACEABLE``) of the file's good rows, None when no
    good row has one: what a replacing load replaces. One scan of the file, as text."""
    column = history.date_column(kind)
    sql = f"select min({column}), max({column}) from ({plan.text.good(parsing.READ_CSV)})"  # noqa: S608
    params = params_for(sql, {**plan.opts.as_text().params(), **plan.text.params})
    first, last = con.execute(sql, params).fetchall()[0]
    parsing.drop_rejects(con)
    return None if first is None else (first, last)


def _insert_as_text(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    plan: _Plan,
    records: list[tuple[int, str]],
    loaded: int,
    batch_id: int,
    sources: dict[str, str],
) -> tuple[int, list[dict] | None]:
    """Read again as text the records (line, text) the reader could not type: the batch's rows
    loaded now, and the bad ones among the records (record number among them, column, value,
    reason), or None when scan 2 must find them.

    A few such records are written to a file of their own. More than the bad-row limit (of the
    rows typed so far) means the sample misled the choice of native columns: the batch's rows are
    deleted and the whole file is read again as text.
    """
    parsing.drop_rejects(con)
    if len(records) > config.MAX_BAD_ROW_RATE * (loaded + len(records)):
        con.execute(f"delete from {kind} where batch_id = ?", [batch_id])  # noqa: S608
        return _insert(con, kind, plan.text, plan.opts.as_text(), batch_id, sources), None
    with tempfile.TemporaryDirectory(prefix="salesdash-ingest-") as tmp:
        part = Path(tmp) / "untyped.csv"
        header = plan.opts.delimiter.join(f"c{i}" for i in range(plan.opts.n_columns))
        part.write_text("\n".join([header, *(text for _, text in records)]) + "\n", "utf-8")
        opts = plan.opts.as_text(str(part))
        loaded += _insert(con, kind, plan.text, opts, batch_id, sources)
        n_parsed, bad = _value_rejects(con, plan.text, opts)
    return loaded, bad if n_parsed == len(records) else None


def _renumber(bad: list[dict], records: list[tuple[int, str]], csv_lines: list[int]) -> list[dict]:
    """Bad rows numbered within the re-read records → numbered among the file's records that
    DuckDB could split (as scan 2 numbers them): line − 1, less the unsplittable lines before."""
    lines = np.array([records[b["rec"] - 1][0] for b in bad], dtype=np.int64)
    below = np.searchsorted(np.array(csv_lines, dtype=np.int64), lines)
    return [{**b, "rec": int(r)} for b, r in zip(bad, lines - 1 - below, strict=True)]


def _value_rejects(
    con: duckdb.DuckDBPyConnection, select: parsing.StageQuery, opts: parsing.ReadOptions
) -> tuple[int, list[dict]]:
    """Scan 2: how many records DuckDB split into fields, and the ones with a bad value
    (record number among those, column, value, reason), in file order."""
    sql = (
        "select count(*) as n_parsed, list({'rec': _rec, 'column': reject_column, "
        "'value': reject_value, 'reason': reject_reason} order by _rec) "
        "filter (where reject_reason is not null) as bad "
        "from (select row_number() over () as _rec, reject_column, reject_value, reject_reason "
        f"from ({select.problems(parsing.READ_CSV)}))"
    )
    n_parsed, bad = con.execute(sql, {**opts.params(), **select.params}).fetchall()[0]
    parsing.drop_rejects(con)
    return int(n_parsed), bad or []


def _drop_duplicates_within_file(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> int:
    """The same natural key twice in one file: keep the first row; return how many went.

    The check counts distinct key hashes (8 bytes a row, not the key text): a hash collision can
    only make it look for duplicates that the exact delete then does not find.
    """
    key_list = ", ".join(history.KEYS[kind])
    extra = scalar(
        con,
        f"select count(*) - count(distinct hash({key_list})) from {kind} where batch_id = ?",  # noqa: S608
        [batch_id],
    )
    if not extra:
        return 0
    removed = con.execute(
        f"delete from {kind} where batch_id = $b and rowid not in ("  # noqa: S608
        f"select min(rowid) from {kind} where batch_id = $b group by {key_list})",
        {"b": batch_id},
    ).fetchall()[0][0]
    return int(removed)


def _rejects_frame(
    bad: list[dict], csv_rejects: list[tuple[int, str, str]], csv_lines: list[int]
) -> pd.DataFrame:
    """One row per rejected record: line (record number + 1: the header is line 1), column,
    value, reason. Lines DuckDB could not split into fields come from its reject table."""
    records = np.array([b["rec"] for b in bad], dtype=np.int64)
    if csv_lines and len(records):
        # record k of those DuckDB could split: skip the records it could not split
        below = np.array(csv_lines, dtype=np.int64) - 1 - np.arange(len(csv_lines))
        records = records + np.searchsorted(below, records, side="right")
    seen: dict[int, tuple[str, str]] = {}
    for line, typ, message in csv_rejects:
        seen.setdefault(int(line), (typ, message))
    out = pd.DataFrame(
        {
            "line": np.concatenate([records + 1, np.array(list(seen), dtype=np.int64)]),
            "column": pd.Series([b["column"] for b in bad] + [None] * len(seen), dtype=object),
            "value": pd.Series([b["value"] for b in bad] + [None] * len(seen), dtype=object),
            "reason": pd.Series(
                [b["reason"] for b in bad]
                + [_CSV_ERRORS.get(t, t.lower()) for t, _ in seen.values()],
                dtype=object,
            ),
        }
    )
    return out.sort_values("line", kind="stable").reset_index(drop=True)


# The amount of each kind whose negative values load (returns, credit notes) but deserve a word.
_SIGNED_AMOUNTS = {"orders": "revenue", "opportunities": "amount"}


def negative_warnings(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> list[str]:
    """How many rows of the batch carry a negative amount, and how much in all: returns are
    legitimate, a sign flipped by an export is not, and only a person can tell."""
    column = _SIGNED_AMOUNTS.get(kind)
    if column is None:
        return []
    n, total = con.execute(
        f"select count(*), sum({column}) from {kind} where batch_id = ? and {column} < 0",  # noqa: S608
        [batch_id],
    ).fetchall()[0]
    if not n:
        return []
    return [
        f"{n:,} {kind} rows with a negative {column}, {total:,.2f} in all: loaded and counted "
        "(returns or credit notes?)"
    ]


def product_warnings(con: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> list[str]:
    """Product names this batch brings that the products catalogue does not know.

    Names are compared as written; a name equal to a catalogue name once case, spaces and
    punctuation are ignored ("GTXPro" vs "GTX Pro") is reported as a near-match. Without a
    catalogue nothing is reported (there is nothing to compare with).
    """
    if kind not in ("orders", "opportunities", "products"):
        return []
    frame = run_sql(con, "ingest/unknown_products", batch_id=batch_id, kind=kind)
    out = []
    for row in frame.itertuples(index=False):
        near = f" (catalogue has '{row.near_match}')" if row.near_match else ""
        out.append(
            f"product '{row.product}' is not in the products catalogue{near}: "
            f"{row.n_rows} {row.table_name} rows"
        )
    return out


def next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    """A new batch id (call inside the batch's transaction)."""
    return int(scalar(con, "select nextval('batch_id_seq')"))


def log_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    batch_id: int,
    kind: str,
    file_name: str,
    file_sha256: str,
    rows_loaded: int,
    rows_rejected: int = 0,
    rows_duplicate: int = 0,
    encoding: str | None = None,
    mapping: dict[str, str] | None = None,
    user_name: str | None = None,
) -> None:
    """Write a batch's line in the ingest log (inside the batch's transaction)."""
    execute_sql(
        con,
        "ingest/log_batch",
        batch_id=batch_id,
        kind=kind,
        file_name=file_name,
        file_sha256=file_sha256,
        encoding=encoding,
        mapping_json=json.dumps(mapping, ensure_ascii=False) if mapping is not None else None,
        rows_loaded=rows_loaded,
        rows_rejected=rows_rejected,
        rows_duplicate=rows_duplicate,
        user_name=user_name,
        loaded_at=datetime.now(),
    )


# The columns of the ingest log a person reads (the page's history table, the CLI's listing):
# what was loaded, and who loaded and undid it, when.
BATCH_COLUMNS = (
    "batch_id",
    "kind",
    "file_name",
    "rows_loaded",
    "rows_rejected",
    "rows_duplicate",
    "rows_replaced",
    "loaded_at",
    "user_name",
    "undone_at",
    "undone_by",
)


def list_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per batch, newest first: the ingest log, with the months a batch replaced
    (``replaced_from``, ``replaced_to``; null for an ordinary batch) and ``rows_replaced``."""
    return con.execute(
        "select l.*, coalesce(r.rows_replaced, 0) as rows_replaced, r.replaced_from, "
        "r.replaced_to from ingest_log as l left join batch_replacements as r using (batch_id) "
        "order by l.batch_id desc"
    ).df()


def seed_demo(
    con: duckdb.DuckDBPyConnection, *, load_day: date, demo_dir: Path = config.DEMO_DIR
) -> list[BatchResult]:
    """Load the bundled demo CSVs (teams first, so regions can be inherited) as ordinary batches."""
    return [
        ingest_file(con, demo_dir / f"{kind}.csv", kind, user_name="demo", load_day=load_day)
        for kind in ("teams", "customers", "orders", "opportunities", "targets")
    ]


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind
