"""The care list: the customers a rep should contact now, and why.

Three reasons, each a row (a customer can appear once per reason):

- ``overdue``: a high-value customer (value tier A) whose silence has grown well past their own
  usual interval between orders (see ``OVERDUE_FACTOR``).
- ``birthday``: the customer's birthday falls in the next ``birthday_days`` days (when the customers
  table has birthdays). 29 February is kept on 28 February in other years; windows wrap the year.
- ``no_second_order``: a new customer whose first and only order was between
  ``no_second_order_days`` and ``NEW_CUSTOMER_MAX_DAYS`` days ago.

Only customers with an order up to the as-of date in the scope's regions and channels are listed,
so every row has a last order and a value; the owner rep, name and contact come from the customers
table. Phone and email are personal data: ``mask_personal`` hides them for display.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from salesdash import segments
from salesdash.db import run_sql
from salesdash.scope import Scope

REASONS = ("overdue", "birthday", "no_second_order")

# "High value" = value tier A: the customers who together make 80% of revenue. They are the few
# whose loss would show in the totals, so they are worth a personal call when they go quiet.
HIGH_VALUE_TIERS = ("A",)
# "Well past" = a silence longer than three times the customer's usual interval. For a customer who
# orders at random at their usual rate (a Poisson process), a gap that long happens by chance only
# e^-3 ≈ 5% of the time: beyond it, drifting away is the likelier story.
OVERDUE_FACTOR = 3.0
# Never flag a silence shorter than a month, however often the customer usually orders: a weekly
# buyer three weeks quiet is more likely on holiday than lost.
MIN_OVERDUE_DAYS = 30
# A usual interval needs at least two intervals (three orders); one gap says little about habit.
MIN_ORDERS_FOR_INTERVAL = 3
# Birthdays in the next two weeks: time enough to plan a greeting or a small gift.
BIRTHDAY_DAYS = 14
# A new customer is chased for a second order after 90 days: in the demo data three in four
# customers who come back at all place their second order within 78 days (median 35).
NO_SECOND_ORDER_DAYS = 90
# Older one-order customers are Lost or Hibernating: a win-back campaign, not a welcome call.
NEW_CUSTOMER_MAX_DAYS = 180

COLUMNS = [
    "reason",
    "customer_id",
    "customer_name",
    "region",
    "sales_rep",
    "last_order_date",
    "recency_days",
    "usual_interval_days",
    "frequency",
    "monetary",
    "value_tier",
    "segment",
    "next_birthday",
    "phone",
    "email",
]


def usual_interval_days(rfm: pd.DataFrame) -> pd.Series:
    """Each customer's mean days between orders: (last − first order) / (orders − 1).

    NaN for customers with fewer than ``MIN_ORDERS_FOR_INTERVAL`` orders.
    """
    span = (rfm["last_order_date"] - rfm["first_order_date"]).dt.days
    interval = span / (rfm["frequency"] - 1)
    return interval.where(rfm["frequency"] >= MIN_ORDERS_FOR_INTERVAL)


def next_birthdays(birthdays: pd.Series, as_of: date) -> pd.Series:
    """The first birthday on or after ``as_of`` of each date (29 Feb → 28 Feb in other years)."""
    born = pd.to_datetime(birthdays)
    month, day = born.dt.month, born.dt.day

    def in_year(year: int) -> pd.Series:
        shifted = day.where(~((month == 2) & (day == 29)) | calendar.isleap(year), 28)
        return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": shifted}))

    this_year = in_year(as_of.year)
    return this_year.where(this_year >= pd.Timestamp(as_of), in_year(as_of.year + 1))


def next_birthday(birthday: date, as_of: date) -> date:
    """``next_birthdays`` of one date."""
    return next_birthdays(pd.Series([birthday]), as_of).iloc[0].date()


def care_list(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    as_of: date,
    *,
    birthday_days: int = BIRTHDAY_DAYS,
    no_second_order_days: int = NO_SECOND_ORDER_DAYS,
) -> pd.DataFrame:
    """The customers to contact now, one row per (reason, customer), most valuable first.

    Args:
        con: the database.
        scope: its regions and channels choose the customers (as for RFM); dates do not.
        as_of: the day the list is for.
        birthday_days: birthdays from ``as_of`` to ``as_of`` + this many days are listed.
        no_second_order_days: a one-order customer is listed this many days after the order.

    Returns:
        Columns ``COLUMNS``: reason (a code of ``REASONS``), the customer and their owner rep,
        last_order_date, recency_days, usual_interval_days (overdue only), frequency, monetary,
        value_tier, segment, next_birthday (birthday only), phone, email (unmasked).
    """
    rfm = segments.rfm_table(con, scope, as_of)
    profiles = run_sql(con, "customers/profiles", **scope.rights().params())
    people = rfm.merge(profiles, on="customer_id", how="left")
    people["usual_interval_days"] = usual_interval_days(people)
    people["next_birthday"] = pd.NaT

    threshold = np.maximum(people["usual_interval_days"] * OVERDUE_FACTOR, MIN_OVERDUE_DAYS)
    overdue = people[
        people["value_tier"].isin(HIGH_VALUE_TIERS)
        & people["usual_interval_days"].notna()
        & (people["recency_days"] > threshold)
    ].assign(reason="overdue")

    has_birthday = people[people["birthday"].notna()].copy()
    has_birthday["next_birthday"] = next_birthdays(has_birthday["birthday"], as_of)
    window_end = pd.Timestamp(as_of + timedelta(days=birthday_days))
    birthdays = has_birthday[has_birthday["next_birthday"] <= window_end].assign(reason="birthday")

    single = people[
        (people["frequency"] == 1)
        & people["recency_days"].between(no_second_order_days, NEW_CUSTOMER_MAX_DAYS)
    ].assign(reason="no_second_order", usual_interval_days=np.nan)

    birthdays = birthdays.assign(usual_interval_days=np.nan)
    frames = [f for f in (overdue, birthdays, single) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    out["next_birthday"] = pd.to_datetime(out["next_birthday"]).dt.date
    out["last_order_date"] = pd.to_datetime(out["last_order_date"]).dt.date
    rank = out["reason"].map({r: i for i, r in enumerate(REASONS)})
    return (
        out.assign(_rank=rank)
        .sort_values(["_rank", "monetary", "customer_id"], ascending=[True, False, True])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def filter_care_list(
    care: pd.DataFrame, *, regions: tuple[str, ...] = (), sales_reps: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The rows of ``care`` in these regions and owned by these reps (empty: no filter)."""
    keep = pd.Series(True, index=care.index)
    if regions:
        keep &= care["region"].isin(regions)
    if sales_reps:
        keep &= care["sales_rep"].isin(sales_reps)
    return care[keep].reset_index(drop=True)


def mask_phone(phone: object) -> object:
    """ "13983317161" → "139****7161": enough to recognise, not enough to call."""
    if not isinstance(phone, str) or not phone:
        return phone
    if len(phone) <= 4:
        return "*" * len(phone)
    keep = min(3, len(phone) - 4)
    return phone[:keep] + "*" * (len(phone) - keep - 4) + phone[-4:]


def mask_email(email: object) -> object:
    """ "contact1@example.com" → "c***@example.com"."""
    if not isinstance(email, str) or "@" not in email:
        return email
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_personal(care: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``care`` with phone and email masked (for display)."""
    return care.assign(phone=care["phone"].map(mask_phone), email=care["email"].map(mask_email))


def for_download(care: pd.DataFrame, *, include_contacts: bool) -> pd.DataFrame:
    """What the download holds: phone and email only when the user chose to include them."""
    return care if include_contacts else care.drop(columns=["phone", "email"])
