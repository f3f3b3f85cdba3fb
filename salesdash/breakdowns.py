"""Revenue by dimension: breakdowns, the drill-down path, cross tabs, series, Pareto, channels.

Dimensions are ``region``, ``channel``, ``sales_rep``, ``category``, ``product`` and ``customer``.
Questions are answered from the rollups (``sql/rollups/sales_*.sql``) where they hold the answer
exactly: the small day tables first, the customer cube (stored in customer order) for a drill into
a customer or a customer dimension under an item filter.

The drill-down path is a tuple of ``(dimension, value)`` steps, region → sales_rep → customer →
category → product; ``scope_for_path`` folds the steps into the Scope (customer ids separately,
since a Scope has no customer filter).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from salesdash.db import run_sql
from salesdash.kpis import GRAINS, order_count_column, with_previous_revenue
from salesdash.scope import Scope

DIMENSIONS = ("region", "channel", "sales_rep", "customer", "category", "product")
CUBE_DIMENSIONS = ("region", "channel", "sales_rep", "category", "product")
CUSTOMER_DAY_DIMENSIONS = ("region", "channel", "sales_rep", "customer")
DRILL_ORDER = ("region", "sales_rep", "customer", "category", "product")
SCOPE_FIELD = {
    "region": "regions",
    "channel": "channels",
    "sales_rep": "sales_reps",
    "category": "categories",
    "product": "products",
}
# The Pareto rule of thumb looks at the top 20% of customers or products.
PARETO_TOP_SHARE = 0.2
# "No limit" for the SQL that cuts customer lists.
NO_LIMIT = 2**62

Path = tuple[tuple[str, str], ...]


def _check(dim: str, allowed: tuple[str, ...] = DIMENSIONS) -> None:
    if dim not in allowed:
        raise ValueError(f"unknown dimension '{dim}' (expected one of: {', '.join(allowed)})")


def scope_for_path(scope: Scope, path: Path) -> tuple[Scope, tuple[str, ...]]:
    """The scope narrowed by each drill step, and the customer ids the path selects."""
    customers: tuple[str, ...] = ()
    for dim, value in path:
        _check(dim)
        if dim == "customer":
            customers = (value,)
        else:
            scope = replace(scope, **{SCOPE_FIELD[dim]: (value,)})
    return scope, customers


def visible_path(con: duckdb.DuckDBPyConnection, scope: Scope, path: Path) -> Path:
    """The longest start of ``path`` whose every step is a value ``scope`` shows (over all
    dates), so a drill-down link cannot lead outside what the user may see."""
    kept: Path = ()
    for dim, value in path:
        narrowed, customers = scope_for_path(scope.with_dates(None, None), kept)
        values = breakdown(con, narrowed, dim, customers=customers)["value"].dropna()
        if value not in set(values.astype(str)):
            break
        kept += ((dim, value),)
    return kept


def next_drill_dimension(path: Path) -> str | None:
    """The dimension to break down by after ``path`` (None at the end of the path)."""
    done = {dim for dim, _ in path}
    return next((d for d in DRILL_ORDER if d not in done), None)


def customer_params(con: duckdb.DuckDBPyConnection, customers: tuple[str, ...]) -> dict:
    """Parameters of the customer-cube queries: every customer, or the keys of ``customers``.

    The key range lets DuckDB skip the row groups of other customers (the cube is stored in key
    order); an unknown customer id matches nothing.
    """
    if not customers:
        return {"all_customers": True, "customer_keys": [], "key_min": 0, "key_max": 0}
    keys = run_sql(con, "drill/customer_keys", customers=list(customers))["customer_key"].tolist()
    return {
        "all_customers": False,
        "customer_keys": keys,
        "key_min": min(keys, default=0),
        "key_max": max(keys, default=-1),
    }


def breakdown(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: str,
    *,
    customers: tuple[str, ...] = (),
    limit: int | None = None,
    bottom: bool = False,
) -> pd.DataFrame:
    """Revenue of the scope by one dimension, largest first (smallest first when ``bottom``).

    Args:
        limit: only the ``limit`` largest (or smallest) values; cut in SQL for customers, of
            whom there can be hundreds of thousands.

    Returns:
        One row per value of ``by`` (None: missing, e.g. online orders have no rep): value,
        revenue, n_orders (distinct orders with a line in the group), aov, n_customers and
        n_new_customers (NaN for category/product from the rollups), share (of revenue, 0–1).
    """
    _check(by)
    filtered_items = bool(scope.categories or scope.products)
    if customers or (filtered_items and by in CUSTOMER_DAY_DIMENSIONS):
        frame = run_sql(
            con,
            "drill/by_dimension",
            by=by,
            order_count=order_count_column(scope, by),
            **customer_params(con, customers),
            **scope.params(),
        )
    elif by == "customer":
        frame = run_sql(
            con,
            "sales/top_customers",
            limit=limit if limit is not None else NO_LIMIT,
            bottom=bottom,
            **scope.params(),
        )
        return _finish(frame, total=frame["total_revenue"].max() if len(frame) else 0.0)
    elif by in CUSTOMER_DAY_DIMENSIONS:
        frame = run_sql(con, "sales/customers_by_dimension", by=by, **scope.params())
    else:
        frame = run_sql(
            con,
            "sales/by_dimension",
            by=by,
            order_count=order_count_column(scope, by),
            **scope.params(),
        )
        frame = frame.drop(columns="quantity").assign(n_customers=np.nan, n_new_customers=np.nan)
    out = _finish(_sorted(frame))
    return top_n(out, limit, bottom=bottom) if limit is not None or bottom else out


def breakdown_plain(
    con: duckdb.DuckDBPyConnection, scope: Scope, by: str, *, customers: tuple[str, ...] = ()
) -> pd.DataFrame:
    """``breakdown`` straight from the order lines (the reference for the rollups)."""
    _check(by)
    frame = run_sql(
        con, "reference/by_dimension", by=by, customers=list(customers), **scope.params()
    )
    return _finish(_sorted(frame))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["revenue", "value"], ascending=[False, True], na_position="last")


def _finish(frame: pd.DataFrame, total: float | None = None) -> pd.DataFrame:
    out = frame[["value", "revenue", "n_orders", "n_customers", "n_new_customers"]]
    out = out.assign(n_orders=out["n_orders"].astype("int64"))
    out["aov"] = out["revenue"] / out["n_orders"].where(out["n_orders"] != 0)
    total = out["revenue"].sum() if total is None else total
    out["share"] = out["revenue"] / total if total else np.nan
    cols = ["value", "revenue", "n_orders", "aov", "n_customers", "n_new_customers", "share"]
    return out[cols].reset_index(drop=True)


def top_n(frame: pd.DataFrame, n: int | None, *, bottom: bool = False) -> pd.DataFrame:
    """The ``n`` largest (or smallest, smallest first) rows of a breakdown by revenue."""
    ordered = frame.iloc[::-1] if bottom else frame
    return (ordered if n is None else ordered.head(n)).reset_index(drop=True)


def crosstab(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    rows: str,
    cols: str,
    *,
    customers: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Revenue of one dimension against another, long format.

    Returns:
        One row per (row_value, col_value) with sales: row_value, col_value, revenue, n_lines.
    """
    _check(rows)
    _check(cols)
    if rows == cols:
        raise ValueError("pick two different dimensions")
    if customers or "customer" in (rows, cols):
        return run_sql(
            con,
            "drill/by_two_dimensions",
            rows=rows,
            cols=cols,
            **customer_params(con, customers),
            **scope.params(),
        )
    return run_sql(con, "sales/by_two_dimensions", rows=rows, cols=cols, **scope.params())


def series(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    grain: str,
    by: str | None = None,
    *,
    customers: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Revenue per period, one series per value of ``by`` (one "total" series when None).

    Returns:
        One row per (ds, unique_id): ds (period start), unique_id (value of ``by``), y (revenue),
        n_orders.
    """
    if grain not in GRAINS:
        raise ValueError(f"unknown grain '{grain}' (expected one of: {', '.join(GRAINS)})")
    if by is not None:
        _check(by)
    params = dict(
        by=by or "total",
        grain=grain,
        shift_years=0,
        order_count=order_count_column(scope, by),
        **scope.params(),
    )
    if customers or by == "customer":
        frame = run_sql(con, "drill/by_period", **customer_params(con, customers), **params)
    else:
        frame = run_sql(con, "sales/by_period", **params)
    frame = frame.rename(columns={"value": "unique_id", "revenue": "y"})
    frame["ds"] = pd.to_datetime(frame["ds"])
    frame["n_orders"] = frame["n_orders"].astype("int64")
    return frame[["ds", "unique_id", "y", "n_orders"]]


@dataclass(frozen=True)
class Pareto:
    """How concentrated revenue is: the Pareto curve of customers or products.

    Attributes:
        n_values: customers (or products) with sales in the scope.
        n_top: how many make the top 20%.
        top_share: share of revenue (0–1) from the top 20%; None without revenue.
        points: value, revenue, rank (1 = largest), cum_share (revenue of ranks 1..rank / all),
            value_share (rank / n_values), is_top, is_listed (among the largest ``top``). For
            customers only the listed ones and about ``points`` rows along the curve are kept.
    """

    n_values: int
    n_top: int
    top_share: float | None
    points: pd.DataFrame


def pareto(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: str = "customer",
    *,
    customers: tuple[str, ...] = (),
    top: int = 100,
    points: int = 200,
) -> Pareto:
    """The Pareto view of ``by`` (customer or product): what the top 20% bring."""
    _check(by)
    if by == "customer" and not (customers or scope.categories or scope.products):
        frame = run_sql(
            con,
            "sales/pareto_customers",
            top=top,
            points=points,
            top_share=PARETO_TOP_SHARE,
            **scope.params(),
        )
        n = int(frame["n_values"].iloc[0]) if len(frame) else 0
        frame = frame.drop(columns="n_values")
    else:
        frame = breakdown(con, scope, by, customers=customers)[["value", "revenue"]]
        n = len(frame)
        total = frame["revenue"].sum()
        frame["rank"] = np.arange(1, n + 1)
        frame["cum_share"] = frame["revenue"].cumsum() / total if total else np.nan
        frame["value_share"] = frame["rank"] / n if n else np.nan
        frame["is_top"] = frame["rank"] <= max(1, int(np.ceil(n * PARETO_TOP_SHARE)))
        frame["is_listed"] = frame["rank"] <= top
    n_top = max(1, int(np.ceil(n * PARETO_TOP_SHARE))) if n else 0
    at_mark = frame.loc[frame["rank"] == n_top, "cum_share"]
    share = float(at_mark.iloc[0]) if len(at_mark) and pd.notna(at_mark.iloc[0]) else None
    return Pareto(n_values=n, n_top=n_top, top_share=share, points=frame.reset_index(drop=True))


def channel_comparison(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Direct sales team vs own stores vs online shop (and any other channel in the data).

    Returns:
        One row per channel: value (channel code), revenue, n_orders, aov, n_customers,
        n_new_customers, share, revenue_previous, growth (vs the previous period, 0-based ratio;
        NaN for an open range or a channel without previous sales).
    """
    current = breakdown(con, scope, "channel")
    if scope.start_date is None or scope.end_date is None:
        return current.assign(revenue_previous=np.nan, growth=np.nan)
    before = run_sql(
        con,
        "sales/by_dimension",
        by="channel",
        order_count=order_count_column(scope),
        **scope.previous_period().params(),
    )
    return with_previous_revenue(current, before, on="value", change_column="growth")


def pivot(frame: pd.DataFrame, value: str = "revenue", missing: str = "(none)") -> pd.DataFrame:
    """A ``crosstab`` frame made wide: one row per row_value, one column per col_value.

    Missing combinations are 0 (no sales); a missing dimension value reads ``missing``.
    """
    if frame.empty:
        return pd.DataFrame({"row_value": []})
    keyed = frame.assign(
        row_value=frame["row_value"].astype(object).where(frame["row_value"].notna(), missing),
        col_value=frame["col_value"].astype(object).where(frame["col_value"].notna(), missing),
    )
    wide = keyed.pivot_table(
        index="row_value",
        columns="col_value",
        values=value,
        aggfunc="sum",
        fill_value=0.0,
        dropna=False,
    )
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def top_series(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The rows of a ``series`` frame whose unique_id is among the ``n`` largest by revenue."""
    totals = frame.groupby("unique_id", dropna=False)["y"].sum().sort_values(ascending=False)
    keep = set(totals.index[:n])
    return frame[frame["unique_id"].isin(keep)].reset_index(drop=True)
