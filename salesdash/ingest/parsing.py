"""Turning the text columns of a file into typed canonical columns, in DuckDB SQL.

The parse query is assembled here from the table's schema and the mapping: only identifiers
(canonical column names, generated ``c0, c1, …`` source names) are put into the SQL text; every
value travels as a named parameter. The conversions are the ``sd_*`` macros of
``sql/ingest/macros.sql``. Each staged row carries the first problem found (column, raw value,
reason) or nulls when it is good; dates and amounts outside what is plausible (``Plausible``) are
problems like unreadable ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from salesdash import config
from salesdash.db import execute_sql, scalar
from salesdash.errors import InputError

STAGES = ("lead", "qualified", "demo", "proposal", "won", "lost")
SCOPES = ("company", "region", "channel", "sales_rep", "category", "product")
# Columns read with a dedicated macro rather than by their SQL type.
_STAGE_COLUMNS = {"stage", "lost_stage"}
# Types DuckDB's CSV reader can type itself exactly as the sd_* macros' fast path (a plain cast)
# would; whole numbers are not among them: a cast rounds 3.5 to 4, sd_integer refuses it.
_NATIVE_TYPES = ("DATE", "DOUBLE")


@dataclass(frozen=True)
class ReadOptions:
    """How DuckDB reads the UTF-8 file: nothing auto-detected; every column as text, except the
    ``native`` ones (source name → SQL type) that DuckDB's reader types itself."""

    csv_path: str
    delimiter: str
    n_columns: int
    native: dict[str, str] = field(default_factory=dict)

    def params(self) -> dict:
        columns = {f"c{i}": "varchar" for i in range(self.n_columns)}
        return {"path": self.csv_path, "delim": self.delimiter, "columns": columns | self.native}

    def as_text(self, csv_path: str | None = None) -> ReadOptions:
        """The same read with every column as text (of another file with the same columns)."""
        return ReadOptions(csv_path or self.csv_path, self.delimiter, self.n_columns)


READ_CSV = (
    "read_csv($path, header = true, auto_detect = false, columns = $columns, delim = $delim,"
    " quote = '\"', escape = '\"', store_rejects = true, rejects_table = 'sd_csv_rejects',"
    " rejects_scan = 'sd_csv_scans', max_line_size = 10000000)"
)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    execute_sql(con, "ingest/macros")


def source_names(header: list[str], mapping: dict[str, str | None]) -> dict[str, str]:
    """canonical column → the generated name (``c3``) of its source column in the read."""
    index = {}
    for i, name in enumerate(header):
        index.setdefault(name, f"c{i}")
    return {col: index[src] for col, src in mapping.items() if src}


def date_order(
    con: duckdb.DuckDBPyConnection,
    opts: ReadOptions,
    date_sources: dict[str, str],
    sample: list[list[str]],
    day_first: bool | None,
) -> bool:
    """Whether d/m/y-shaped dates are day-first, decided from the whole column.

    Scans the file only when the first rows hold such dates, so ISO files pay nothing; a column
    whose first rows are ISO and later ones d/m/y is read month-first.

    Raises:
        InputError: the dates are ambiguous (no value has a part above 12) and ``day_first`` was
            not given, or one column holds both orders.
    """
    if day_first is not None or not date_sources:
        return bool(day_first)
    positions = {src: int(src[1:]) for src in date_sources.values()}
    shaped = any(_dmy_shaped(row[i]) for row in sample for i in positions.values() if i < len(row))
    if not shaped:
        return False
    flags = ", ".join(
        f"list_distinct(list(sd_dm_order({src})) filter (where sd_dm_order({src}) is not null))"
        f" as {col}"
        for col, src in date_sources.items()
    )
    rows = con.execute(f"select {flags} from {READ_CSV}", opts.params()).fetchall()  # noqa: S608
    seen = {col: set(v or []) for col, v in zip(date_sources, rows[0], strict=True)}
    drop_rejects(con)
    orders = set()
    for col, found in seen.items():
        if {1, 2} <= found:
            raise InputError(
                f"column {col} mixes day-first (e.g. 13/2/2025) and month-first (2/13/2025) dates"
            )
        if 1 in found:
            orders.add(True)
        elif 2 in found:
            orders.add(False)
        elif 3 in found:
            raise InputError(
                f"dates like 3/4/2025 in column {col} are ambiguous: say whether the day comes "
                "first (--day-first) or the month (--month-first)"
            )
    if len(orders) > 1:
        raise InputError("date columns disagree on day/month order; load them separately")
    return orders.pop() if orders else False


def native_sources(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    types: dict[str, str],
    sources: dict[str, str],
    sample: list[list[str]],
) -> dict[str, str]:
    """The date and number columns DuckDB's reader can type itself: source name → SQL type.

    A column qualifies when a plain cast (what the macros try first) reads its non-blank sample
    values, all but one (or one in twenty). A value the reader cannot cast sends its line to the
    reject table, and ``batches`` reads those lines again as text. Typing in the reader saves
    about a quarter of the CPU of the load's scan (docs/benchmarks.md, Ingest). None qualifies
    when rows are keyed by their text or by their position in the file (orders without order_id
    or line_no): re-reading some lines on their own would change both.
    """
    if kind == "orders" and not {"order_id", "line_no"} <= set(sources):
        return {}
    candidates = {
        src: types[col]
        for col, src in sources.items()
        if types.get(col) in _NATIVE_TYPES and col not in _STAGE_COLUMNS
    }
    native = {}
    for src, sql_type in candidates.items():
        i = int(src[1:])
        values = [row[i].strip() for row in sample if i < len(row) and row[i].strip()]
        misses = scalar(
            con,
            f"select count(*) filter (where try_cast(v as {sql_type}) is null) "
            "from unnest(?) as t(v)",
            [values],
        )
        # a bad value in the sample is just re-read as text like the others
        if values and misses <= max(1, config.MAX_BAD_ROW_RATE * len(values)) < len(values):
            native[src] = sql_type
    return native


def _dmy_shaped(text: str) -> bool:
    head = text.strip().split(" ")[0]
    parts = head.replace(".", "/").replace("-", "/").split("/")
    return len(parts) == 3 and len(parts[2]) == 4 and len(parts[0]) <= 2


def stage_select(
    kind: str,
    types: dict[str, str],
    sources: dict[str, str],
    *,
    day_first: bool,
    n_columns: int,
    limits: Plausible,
    native: dict[str, str] | None = None,
) -> StageQuery:
    """The query that types one file row into canonical columns plus its first problem.

    ``types`` is canonical column → SQL type (from the table); ``sources`` canonical column →
    generated source name; ``native`` the sources the reader types itself (``native_sources``);
    ``limits`` the dates a load accepts. Columns without a source are null.
    """
    native = native or {}
    typed: dict[str, str] = {}
    checks: list[tuple[str, str, str]] = []  # (column, raw expr, reason) for unreadable values
    for col, sql_type in types.items():
        src = sources.get(col)
        if src is None:
            typed[col] = f"cast(null as {sql_type})"
            continue
        raw = f"nullif(trim({src}), '')"
        if col in _STAGE_COLUMNS:
            typed[col] = f"sd_stage({src})"
            checks.append((col, src, "unknown stage (accepted: " + ", ".join(STAGES) + ")"))
        elif col == "channel":
            typed[col] = f"sd_channel({src})"
        elif col == "scope" and kind == "targets":
            checks.append((col, src, "unknown scope (accepted: " + ", ".join(SCOPES) + ")"))
            typed[col] = (
                f"case when lower(trim({src})) in ({_quoted(SCOPES)}) then lower(trim({src})) end"
            )
        elif col == "metric":
            typed[col] = f"lower({raw})"
        elif src in native:
            typed[col] = src  # typed by the reader; a value it cannot read rejects the line
        elif sql_type == "DATE":
            typed[col] = f"sd_date({src}, {'true' if day_first else 'false'})"
            checks.append((col, src, "not a date"))
        elif sql_type == "DOUBLE":
            typed[col] = f"sd_number({src})"
            checks.append((col, src, "not a number"))
        elif sql_type == "INTEGER":
            typed[col] = f"sd_integer({src})"
            checks.append((col, src, "not a whole number"))
        else:
            typed[col] = raw
    if kind == "orders" and {"quantity", "unit_price"} <= set(sources):
        # revenue derived only where the file has none; a revenue that is there but unreadable
        # is a bad value, not a reason to fall back
        derived = f"{typed['quantity']} * {typed['unit_price']}"
        if "revenue" in sources:
            src = sources["revenue"]
            given = f"{src} is not null" if src in native else f"trim({src}) <> ''"
            derived = f"case when {given} then {typed['revenue']} else {derived} end"
        typed["revenue"] = derived
    if kind == "orders" and "order_id" not in sources:
        # each row is its own order, named by its content so that reloading it is a duplicate
        raw_row = ", ".join(f"c{i}" for i in range(n_columns))
        typed["order_id"] = f"'row-' || left(md5(concat_ws(chr(31), {raw_row})), 16)"
    if kind == "targets" and "period" in sources:
        label = sources["period"]
        typed["period_start"] = f"coalesce({typed['period_start']}, sd_period_start({label}))"
        typed["period_end"] = f"coalesce({typed['period_end']}, sd_period_end({label}))"
        checks.append(("period", label, "not a period label"))
        typed["period"] = f"sd_period_start({label})"
    required = _required_after_parsing(kind, sources)
    # Two levels, so each conversion runs once: the inner select converts (and passes on the text
    # of checked columns), the outer one only compares its results.
    inner = [f"{expr} as {col}" for col, expr in typed.items()]
    inner += sorted({src for _, src, _ in checks})
    # (column, raw value, reason as SQL, condition): a value that is there (not blank) but did not
    # convert (the cheap test first), a required one missing, one outside what is plausible
    problems = [
        (col, src, _literal(why), f"{col} is null and {src} is not null and trim({src}) <> ''")
        for col, src, why in checks
    ]
    problems += [
        (col, "null", _literal("missing (required)"), f"{col} is null") for col in required
    ]
    params: dict[str, object] = {}
    for col in (c for c in typed if c in types):
        if types[col] == "DATE":
            window = DATE_WINDOWS.get(col, "event")
            params |= limits.window_params(window)
            condition = f"not ({col} between ${window}_from and ${window}_to)"
            why = f"$why_{window}"
        elif types[col] == "DOUBLE":
            params["max_amount"] = config.MAX_AMOUNT
            condition = f"not (abs({col}) <= $max_amount)"  # also true for NaN and ±inf
            why = _literal(f"not a finite amount within ±{config.MAX_AMOUNT:,.0f}")
        else:
            continue
        raw = f"cast({col} as varchar)"
        problems.append((col, raw, why, f"{col} is not null and {condition}"))
    problem_col = _first_case([(cond, _literal(col)) for col, _, _, cond in problems])
    problem_val = _first_case([(cond, raw) for _, raw, _, cond in problems])
    problem_why = _first_case([(cond, why) for _, _, why, cond in problems])
    bad = " or ".join(f"({cond})" for *_, cond in problems) or "false"
    return StageQuery(
        columns=[col for col in typed if col in types],
        problem=[
            f"{problem_col} as reject_column",
            f"{problem_val} as reject_value",
            f"{problem_why} as reject_reason",
        ],
        bad=bad,
        inner=",\n        ".join(inner),
        params=params,
    )


# Which window of ``Plausible`` each date column's values must fall in (others: "event").
DATE_WINDOWS = {"birthday": "birth", "period_start": "plan", "period_end": "plan"}


@dataclass(frozen=True)
class Plausible:
    """The dates a load accepts, seen from the day of the load (never a hidden today()).

    Dates fall in a window (see ``config``): events (orders, deals, sign-ups) from
    ``EARLIEST_PLAUSIBLE_DATE`` to ``PLAUSIBLE_DAYS_AHEAD`` after the load day, target periods to
    ``TARGET_DAYS_AHEAD`` after it, birthdays from ``EARLIEST_PLAUSIBLE_BIRTHDAY`` to the load
    day. (Amounts must be finite and within ±``config.MAX_AMOUNT`` whatever the day.)
    """

    load_day: date

    def window(self, name: str) -> tuple[date, date]:
        """(first, last) day of the window ``name``: event, plan or birth."""
        if name == "birth":
            return config.EARLIEST_PLAUSIBLE_BIRTHDAY, self.load_day
        ahead = config.TARGET_DAYS_AHEAD if name == "plan" else config.PLAUSIBLE_DAYS_AHEAD
        return config.EARLIEST_PLAUSIBLE_DATE, self.load_day + timedelta(days=ahead)

    def window_params(self, name: str) -> dict[str, object]:
        first, last = self.window(name)
        what = {"event": "date", "plan": "target period", "birth": "birthday"}[name]
        why = f"not a plausible {what}: outside {first.isoformat()} … {last.isoformat()}"
        return {f"{name}_from": first, f"{name}_to": last, f"why_{name}": why}


@dataclass(frozen=True)
class StageQuery:
    """The typed rows of a file: ``good(source)`` the readable ones, ``problems(source)`` every
    row's first problem (column, raw value, reason; nulls for a good row), in file order. Both
    queries take ``params`` (the plausible windows and bound) besides the read's own."""

    columns: list[str]
    problem: list[str]
    bad: str
    inner: str
    params: dict[str, object] = field(default_factory=dict)

    def _typed(self, source: str) -> str:
        return f"(\n    select\n        {self.inner}\n    from {source}\n)"

    def good(self, source: str) -> str:
        cols = ", ".join(self.columns)
        return f"select {cols}\nfrom {self._typed(source)}\nwhere not ({self.bad})"

    def problems(self, source: str) -> str:
        return f"select {', '.join(self.problem)}\nfrom {self._typed(source)}"

    def checked(self, source: str) -> str:
        """Every row typed as it would be stored, with its first problem (a preview)."""
        cols = ", ".join([*self.columns, *self.problem])
        return f"select {cols}\nfrom {self._typed(source)}"


def _required_after_parsing(kind: str, sources: dict[str, str]) -> list[str]:
    required = {
        "orders": ["order_date", "revenue"] + (["order_id"] if "order_id" in sources else []),
        "customers": ["customer_id"],
        "opportunities": ["opportunity_id", "stage"],
        "targets": ["period_start", "period_end", "scope", "metric", "target"],
        "teams": ["sales_rep"],
        "products": ["product"],
    }[kind]
    return required


def _first_case(branches: list[tuple[str, str]]) -> str:
    if not branches:
        return "cast(null as varchar)"
    whens = " ".join(f"when {cond} then {value}" for cond, value in branches)
    return f"case {whens} end"


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(_literal(n) for n in names)


def _literal(text: str) -> str:
    """A constant of this module as an SQL string literal (never data from a file)."""
    return "'" + text.replace("'", "''") + "'"


def drop_rejects(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the reject tables a read left (``READ_CSV`` stores them), before the next read."""
    con.execute("drop table if exists sd_csv_rejects")
    con.execute("drop table if exists sd_csv_scans")


def csv_reject_lines(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str]]:
    """Lines DuckDB could not split into the header's columns: (line, error type, message)."""
    if not _has_rejects(con):
        return []
    return con.execute(
        "select line, error_type::varchar, error_message from sd_csv_rejects "
        "where error_type <> 'CAST' order by line"
    ).fetchall()


def cast_reject_records(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    """The records with a value the reader could not type (native columns), in file order: each
    one once, (line, its text as it stood in the file)."""
    if not _has_rejects(con):
        return []
    return con.execute(
        "select line, any_value(csv_line) from sd_csv_rejects where error_type = 'CAST' and line "
        "not in (select line from sd_csv_rejects where error_type <> 'CAST') group by line "
        "order by line"
    ).fetchall()


def _has_rejects(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        scalar(con, "select count(*) from duckdb_tables() where table_name = 'sd_csv_rejects'")
    )
