"""Who may do what: roles, the access list kept in the database, and the Scope each user sees.

Roles (issue 14):

- admin: everything, and managing access;
- analyst: loads, undo, target edits; sees every region;
- executive: sees everything, changes nothing;
- manager: sees only the regions granted, changes nothing;
- rep: sees only their own sales — the orders, deals and targets that name them, the customers
  they sold to (scored on their own orders), their pipeline and scorecard.

The access list is the table ``access_grants`` of the working database, changed only by writers
(``grant`` / ``revoke``, from the admin page or ``python -m salesdash access``), each change logged
in ``access_log`` with who made it, and published like any other change. ``scope_for`` is the one
place a user becomes a ``Scope``: pages, downloads, exports and the command line's ``--as`` all
start from it.

Writes are checked twice. ``Store.writing(what, user=...)`` refuses a user who may change nothing,
before it takes the writer lock, and tags its connection with the user; each write function
(a load, an undo, a target edit, an access change, an alert acknowledged) calls ``require(con,
action)``, which reads that tag. A connection opened directly (``db.connect``) belongs to whoever
can open the database file — the command line, a test, a script — and acts as ``LOCAL_USER``, an
admin. The dashboard opens the working database only through ``ui.writing``, for the signed-in
user.
"""

from __future__ import annotations

import getpass
import ipaddress
import json
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from salesdash import db
from salesdash.errors import AccessDenied, InputError
from salesdash.scope import NO_REGION, NO_REP, Scope

ROLES = ("admin", "analyst", "executive", "manager", "rep")
# The roles each action needs. Acknowledging or snoozing an alert changes what every viewer of
# the Watch page sees, so it is a change of data like a load: managers and reps change nothing.
ALLOWED_ROLES = {
    "change_data": ("admin", "analyst"),  # loads, undo, target edits
    "acknowledge_alerts": ("admin", "analyst"),
    "see_loads": ("admin", "analyst", "executive"),  # the Data page's ingest log
    "see_executive": ("admin", "analyst", "executive", "manager"),  # company and regions' plan
    "manage_access": ("admin",),
}
ACTION_WORDS = {
    "change_data": "load, undo or edit targets",
    "acknowledge_alerts": "acknowledge or snooze alerts",
    "see_loads": "see the loads",
    "see_executive": "see the executive summary",
    "manage_access": "manage access",
}
# Roles that may write at all: the only ones ``Store.writing`` opens the working database for.
WRITER_ROLES = ("admin", "analyst")
_WRITER_VARIABLE = "salesdash_writer"


@dataclass(frozen=True)
class User:
    """A person (or the machine's own user) and what they were granted.

    Attributes:
        email: lower case; ``local:<name>`` for the machine's own user.
        role: one of ``ROLES``.
        regions: a manager's regions (a rep's, when narrowed to some).
        sales_rep: a rep's own name, as the data spells it.
        name: the name the identity provider gives, for greeting (not for rights).
    """

    email: str
    role: str
    regions: tuple[str, ...] = ()
    sales_rep: str | None = None
    name: str | None = None

    def may(self, action: str) -> bool:
        """Whether the role allows ``action`` (a key of ``ALLOWED_ROLES``)."""
        return self.role in ALLOWED_ROLES[action]

    @property
    def is_local(self) -> bool:
        return self.email.startswith("local:")


def _local_user() -> User:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without USER or a passwd entry)
        name = "owner"
    return User(email=f"local:{name}", role="admin", name=name)


# Whoever can open the database file: the command line, and the dashboard's single local user
# when sign-in is not configured.
LOCAL_USER = _local_user()


def scope_for(user: User) -> Scope:
    """The rights of ``user`` as a Scope (no dates, no chosen filters): every region for admin,
    analyst and executive; a manager's regions; a rep's own sales (in their regions, if given).
    A manager granted no region, or a rep without a name, sees nothing."""
    if user.role == "manager":
        return Scope(allowed_regions=user.regions or (NO_REGION,))
    if user.role == "rep":
        return Scope(allowed_regions=user.regions or None, allowed_rep=user.sales_rep or NO_REP)
    return Scope()


def require(user: User, action: str) -> None:
    """Raise ``AccessDenied`` (one line, naming who and what) unless ``user`` may do ``action``."""
    if not user.may(action):
        raise AccessDenied(
            f"{user.email} ({user.role}) may not {ACTION_WORDS[action]}: ask an admin for access"
        )


# --- writers -----------------------------------------------------------------------------------


def require_writer(user: User) -> None:
    """Raise ``AccessDenied`` unless ``user``'s role may change anything at all."""
    if user.role not in WRITER_ROLES:
        raise AccessDenied(f"{user.email} ({user.role}) may not change anything: ask an admin")


def tag_writer(con: duckdb.DuckDBPyConnection, user: User) -> None:
    """Mark ``con`` (a writer's connection, ``Store.writing``) as acting for ``user``; refuse a
    user whose role may change nothing."""
    require_writer(user)
    record = {"email": user.email, "role": user.role, "name": user.name}
    con.execute(f"set variable {_WRITER_VARIABLE} = ?", [json.dumps(record)])


def acting_user(con: duckdb.DuckDBPyConnection) -> User:
    """Who a write on ``con`` is made for: the user ``tag_writer`` named, else ``LOCAL_USER``."""
    tagged = db.scalar(con, f"select getvariable('{_WRITER_VARIABLE}')")
    if tagged is None:
        return LOCAL_USER
    record = json.loads(tagged)
    return User(email=record["email"], role=record["role"], name=record["name"])


def require_on(con: duckdb.DuckDBPyConnection, action: str) -> User:
    """The user a write on ``con`` is made for, after checking they may do ``action``."""
    user = acting_user(con)
    require(user, action)
    return user


# --- the access list ---------------------------------------------------------------------------


GRANT_COLUMNS = ("email", "role", "regions", "sales_rep", "granted_by", "granted_at")
CHANGE_COLUMNS = ("changed_at", "changed_by", "action", "email", "role", "regions", "sales_rep")


def grants(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The access list: email, role, regions, sales_rep, granted_by, granted_at (by email)."""
    frame = db.run_sql(con, "access/grants")
    frame["regions"] = [tuple(r) for r in frame["regions"]]
    return frame


def changes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every change of the access list, newest first: changed_at, changed_by, action (grant |
    revoke), email, role, regions, sales_rep."""
    frame = db.run_sql(con, "access/log")
    frame["regions"] = [tuple(r) if r is not None else () for r in frame["regions"]]
    return frame


def user_for(con: duckdb.DuckDBPyConnection, email: str, name: str | None = None) -> User | None:
    """The person with ``email`` as the access list has them (None: not on it)."""
    rows = con.execute(
        "select role, regions, sales_rep from access_grants where email = ?", [normalised(email)]
    ).fetchall()
    if not rows:
        return None
    role, regions, sales_rep = rows[0]
    return User(normalised(email), role, tuple(regions), sales_rep, name)


def normalised(email: str) -> str:
    return email.strip().lower()


def grant(
    con: duckdb.DuckDBPyConnection,
    email: str,
    role: str,
    *,
    regions: tuple[str, ...] = (),
    sales_rep: str | None = None,
) -> User:
    """Put ``email`` on the access list with ``role`` (replacing what they had), log it.

    Raises:
        AccessDenied: the writer on ``con`` is not an admin, or changes their own access.
        InputError: not an email, an unknown role, a manager without regions, a rep without a
            name, or regions or a name for a role that has none.
    """
    by = require_on(con, "manage_access")
    user = _checked(email, role, regions, sales_rep)
    _not_yourself(by, user.email)
    with db.transaction(con):
        db.execute_sql(
            con,
            "access/grant",
            email=user.email,
            role=user.role,
            regions=list(user.regions),
            sales_rep=user.sales_rep,
            changed_by=by.email,
            changed_at=datetime.now(),
        )
        db.mark_changed(con)
    return user


def revoke(con: duckdb.DuckDBPyConnection, email: str) -> bool:
    """Take ``email`` off the access list and log it; False when they were not on it.

    Raises:
        AccessDenied: the writer on ``con`` is not an admin, or revokes their own access.
    """
    by = require_on(con, "manage_access")
    email = normalised(email)
    _not_yourself(by, email)
    if user_for(con, email) is None:
        return False
    with db.transaction(con):
        db.execute_sql(
            con, "access/revoke", email=email, changed_by=by.email, changed_at=datetime.now()
        )
        db.mark_changed(con)
    return True


def _not_yourself(by: User, email: str) -> None:
    if by.email == email:
        raise AccessDenied(
            f"{email} cannot change their own access: another admin or the command line can"
        )


def _checked(email: str, role: str, regions: tuple[str, ...], sales_rep: str | None) -> User:
    email = normalised(email)
    regions = tuple(dict.fromkeys(r.strip() for r in regions if r.strip()))
    sales_rep = (sales_rep or "").strip() or None
    if "@" not in email or email.startswith("local:"):
        raise InputError(f"'{email}' is not an email address")
    if role not in ROLES:
        raise InputError(f"unknown role '{role}' (use one of {', '.join(ROLES)})")
    if role == "manager" and not regions:
        raise InputError("a manager needs at least one --region")
    if role == "rep" and sales_rep is None:
        raise InputError("a rep needs --rep NAME (their name as the data spells it)")
    if role not in ("manager", "rep") and regions:
        raise InputError(f"--region narrows managers and reps only; an {role} sees every region")
    if role != "rep" and sales_rep is not None:
        raise InputError("--rep is for the rep role only")
    return User(email, role, regions, sales_rep)


# --- serving without sign-in -------------------------------------------------------------------


def is_local_address(address: str | None) -> bool:
    """Whether a server listening on ``address`` is reachable from this machine only (None or
    empty: every interface, so no)."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def serving_mode(address: str | None, *, sign_in: bool, trusted_network: bool) -> str:
    """How the dashboard serves a visitor:

    - ``"sign_in"``: ``[auth]`` is configured — visitors sign in and get their grant;
    - ``"local"``: no sign-in, on localhost (or a network the operator declared trusted): the
      single local user, an admin;
    - ``"refuse"``: no sign-in on an address others can reach: no data at all.
    """
    if sign_in:
        return "sign_in"
    return "local" if trusted_network or is_local_address(address) else "refuse"
