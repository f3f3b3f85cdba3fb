"""Targets edited or added on the Targets page, checked and stored as one undoable batch."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from salesdash import access
from salesdash.db import execute_sql, transaction
from salesdash.errors import InputError
from salesdash.ingest.batches import log_batch, next_batch_id
from salesdash.targets.data import COLUMNS, METRICS, SCOPES

EDIT_FILE_NAME = "edited on the Targets page"


def changed_targets(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``after`` that are new or differ from ``before`` (both in COLUMNS).

    Raises:
        InputError: a row has no period, an unknown scope or metric, or no numeric target.
    """
    after = after[list(COLUMNS)].copy()
    after = after.dropna(how="all")
    for col in ("period_start", "period_end"):
        after[col] = pd.to_datetime(after[col], errors="coerce").dt.date
    after["target"] = pd.to_numeric(after["target"], errors="coerce")
    after["scope_value"] = after["scope_value"].fillna("").astype(str)
    for i, row in enumerate(after.itertuples(index=False), start=1):
        if pd.isna(row.period_start) or pd.isna(row.period_end):
            raise InputError(f"row {i}: period_start and period_end must be dates")
        if row.scope not in SCOPES:
            raise InputError(f"row {i}: scope '{row.scope}' is not one of {', '.join(SCOPES)}")
        if row.metric not in METRICS:
            raise InputError(f"row {i}: metric '{row.metric}' is not one of {', '.join(METRICS)}")
        if pd.isna(row.target):
            raise InputError(f"row {i}: target must be a number")

    def key(frame: pd.DataFrame) -> pd.Series:
        return frame.astype(str).agg("|".join, axis=1)

    old = set(key(before[list(COLUMNS)].astype(object).where(before[list(COLUMNS)].notna(), None)))
    new = after.astype(object).where(after.notna(), None)
    return after[~key(new).isin(old).to_numpy()].reset_index(drop=True)


def save_edits(con: duckdb.DuckDBPyConnection, edits: pd.DataFrame) -> int | None:
    """Store edited or added targets as one new batch (kind targets, undoable); its id.

    ``edits`` holds the changed rows only (see ``changed_targets``); None when there are none.
    The latest batch wins in ``current_targets``, so an edit replaces the target it changes.
    The ingest log names the user the writer ``con`` acts for.

    Raises:
        AccessDenied: that user may not change data.
    """
    user = access.require_on(con, "change_data")
    if edits.empty:
        return None
    frame = edits[list(COLUMNS)].copy()
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    with transaction(con):
        batch_id = next_batch_id(con)
        con.register("edited_targets", frame)
        execute_sql(con, "targets/insert_edited", batch_id=batch_id)
        log_batch(
            con,
            batch_id=batch_id,
            kind="targets",
            file_name=EDIT_FILE_NAME,
            file_sha256=digest,
            rows_loaded=len(frame),
            user_name=user.email,
        )
        con.unregister("edited_targets")
    return int(batch_id)
