"""Shared drawing helpers of the sales pages (Overview, Explore, Team): labelled tables.

A table is shown and downloaded as the same frame: translated headers, readable labels.
"""

from __future__ import annotations

import pandas as pd

from salesdash import breakdowns, i18n, ui

PERCENT_COLUMNS = ("share", "growth", "revenue_change", "win_rate", "attainment", "cum_share")
MONEY_COLUMNS = ("revenue", "aov", "revenue_previous")


def value_label(dim: str, value: object) -> str:
    """How a dimension value reads: channel names translated, a customer by its name from the
    customers table ("Li Na (C001094)"), a missing value as "(none)"."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ui.t("sales.none")
    if dim == "customer":
        name = ui.query(breakdowns.customer_names, ui.scope().with_dates(None, None)).get(value)
        return f"{name} ({value})" if name else str(value)
    return ui.channel_label(str(value)) if dim == "channel" else str(value)


def labelled(frame: pd.DataFrame, dim: str | None = None) -> pd.DataFrame:
    """The frame as shown: ``value`` named after its dimension, headers in the UI language."""
    out = frame.copy()
    for col in MONEY_COLUMNS:
        if col in out.columns:
            out[col] = out[col].round(2)
    if dim is not None and "value" in out.columns:
        out["value"] = [value_label(dim, v) for v in out["value"]]
        out = out.rename(columns={"value": dim})
    for col in ("region", "manager", "sales_rep"):
        if col in out.columns and col != dim:
            out[col] = [value_label(col, v) for v in out[col]]
    return out.rename(columns={c: _header(c) for c in out.columns})


def _header(col: str) -> str:
    for prefix in ("sales.col.", "sales.dim."):
        key = prefix + col
        if i18n.has(key):
            return ui.t(key)
    return col


def formats(columns: list[str]) -> dict[str, str]:
    """The table kind (``ui.TABLE_KINDS``) of each percentage and amount column, by its header."""
    kinds = {c: "percent" for c in PERCENT_COLUMNS} | {c: "money" for c in MONEY_COLUMNS}
    return {_header(c): kinds[c] for c in columns if c in kinds}


def table(frame: pd.DataFrame, name: str, dim: str | None = None) -> pd.DataFrame:
    """Show ``frame`` with its CSV and Excel downloads of exactly what is shown."""
    shown = labelled(frame, dim)
    ui.table(shown, formats(list(frame.columns)))
    ui.download_buttons(shown, name, [_header(c) for c in frame.columns if c in MONEY_COLUMNS])
    return shown
