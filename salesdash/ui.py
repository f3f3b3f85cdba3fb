"""The only salesdash module that imports streamlit: connection, language, filter bar, caching.

Pages use it like this::

    from salesdash import kpis, ui

    scope = ui.scope()                      # what the filter bar chose, within the user's rights
    summary = ui.query(kpis.kpi_summary, scope)   # cached per data version
    st.title(ui.t("overview.title"))

Who is using the dashboard is decided once per run by ``sign_in`` (app.py calls it before any
data is read): the signed-in person as the access list has them, or, where sign-in is not
configured and the server listens on this machine only, the single local user (an admin).
``ui.scope()`` starts from their rights (``access.scope_for``), so every page, download and export
is scoped; ``ui.writing`` writes as them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from salesdash import access, charts, dataset, db, errors, export, fmt, i18n, ingest, uploads
from salesdash.access import User
from salesdash.errors import DatabaseLockedError, WriterBusyError
from salesdash.lock import Holder
from salesdash.periods import QUICK_PICKS, clamp_dates, quick_range
from salesdash.scope import Scope, sum_name
from salesdash.store import Publication, Store, demo_shown

T = TypeVar("T")

DEFAULT_PICK = "last_12_months"
_SCOPE_KEY = "_scope"


_PUBLICATION_KEY = "_publication"
_DEMO_KEY = "_showing_demo"
_CURSOR_KEY = "_cursor"


def begin_run() -> Publication:
    """Look up, once at the start of every script run, the publication this run reads
    (app.py calls it first): every query of one run reads the same snapshot, and the next run
    sees a newer one as soon as a writer has published it.

    While the company has no data of its own (and nobody removed the demo) the run reads the
    demo company's store instead (``Store.demo``), built and published on first use; it is
    labelled as fictional on every page and never merged with the company's data."""
    company = Store.default()
    current = company.current()
    if current is None and company.working.exists():
        _publish_unpublished(company)
        current = company.current()
    shown = company.demo() if demo_shown(current) else company
    publication = (shown.current() or _first_start(shown)) if shown != company else current
    st.session_state[_PUBLICATION_KEY] = publication
    st.session_state[_DEMO_KEY] = shown != company
    # every amount of this run in the company's currency (settings.py), the demo's too: so a
    # currency chosen before the first load shows at once
    fmt.use_currency(company_settings().get("currency") or publication.settings.get("currency"))
    return publication


def company_settings() -> dict[str, str]:
    """The settings of the company's store as last published (none before its first write),
    also while the demo company is shown."""
    current = Store.default().current()
    return current.settings if current else {}


def publication() -> Publication:
    """The publication this run reads (see ``begin_run``)."""
    if _PUBLICATION_KEY not in st.session_state:
        return begin_run()
    return st.session_state[_PUBLICATION_KEY]


def showing_demo() -> bool:
    """Whether this run shows the demo company (the company has no data of its own yet)."""
    publication()
    return st.session_state[_DEMO_KEY]


def demo_banner() -> None:
    """The label every page carries while the demo company is shown."""
    if showing_demo():
        st.info(t("app.demo_banner"), icon=":material/theater_comedy:")


def _publish_unpublished(company: Store) -> None:
    """A working database with nothing published (from a version before publications): publish
    what it holds, once per session (a writer finds nothing to do when it is empty)."""
    if "_published_unpublished" not in st.session_state:
        with company.writing("first start: publishing the data of an earlier version"):
            st.session_state["_published_unpublished"] = True


def _first_start(demo: Store) -> Publication:
    with (
        st.spinner(t("app.first_start")),
        demo.writing("first start of the dashboard: loading the demo company") as con,
    ):
        if demo.current() is None and db.is_empty(con):
            ingest.seed_demo(con, load_day=date.today())
    return demo.current()


@st.cache_resource(show_spinner=False, max_entries=4)
def _snapshot_connection(path: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per app process and snapshot."""
    return db.connect(path, read_only=True)


def connection() -> duckdb.DuckDBPyConnection:
    """This session's cursor on the snapshot this run reads (read-only).

    A DuckDB connection refuses concurrent queries from several threads; each browser session runs
    its script in its own thread, so each gets its own cursor.
    """
    path = str(publication().path)
    held = st.session_state.get(_CURSOR_KEY)
    if held is None or held[0] != path:
        held = (path, _snapshot_connection(path).cursor())
        st.session_state[_CURSOR_KEY] = held
    return held[1]


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(module: str, name: str, snapshot: str, args: tuple, kwargs: dict) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(connection(), *args, **kwargs)


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(connection(), *args, **kwargs)``, cached per published snapshot (a load, an undo or
    an edit publishes a new one)."""
    return _cached(fn.__module__, fn.__name__, str(publication().path), args, kwargs)


@contextmanager
def writing(what: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working database for one change made on a page (an upload, an undo, a target edit, an
    access change), under the writer lock, as the signed-in user (``Store.writing`` refuses one
    who may change nothing; each write function checks its own action): waits for another
    writer with a message, then shows the refresh and the publication; the next run reads the
    new publication."""
    waiting = st.empty()

    def on_wait(holder: Holder | None, waited: float) -> None:
        who = holder.describe() if holder else "…"
        waiting.info(t("app.writer_waiting", who=who, seconds=f"{waited:.0f}"))

    bar = st.empty()

    def progress(fraction: float, step: str) -> None:
        bar.progress(fraction, text=t(f"app.refresh_step.{step}"))

    try:
        with Store.default().writing(what, user=user(), on_wait=on_wait, progress=progress) as con:
            waiting.empty()
            yield con
    finally:
        bar.empty()
        st.session_state.pop(_PUBLICATION_KEY, None)


# --- who is signed in --------------------------------------------------------------------------

_USER_KEY = "_user"


def _secret(section: str) -> Any:
    """A section of .streamlit/secrets.toml (None when it, or the file, is not there)."""
    try:
        return st.secrets.get(section)
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
        return None


def serving_mode() -> str:
    """How this server serves its visitors (``access.serving_mode``): sign-in when ``[auth]`` is
    configured; else the single local user on a local address, or on a network that
    ``[access] trusted_network = true`` declares trusted; else no data."""
    settings = _secret("access") or {}
    return access.serving_mode(
        st.get_option("server.address"),
        sign_in=_secret("auth") is not None,
        trusted_network=bool(settings.get("trusted_network", False)),
    )


def sign_in() -> User:
    """Who uses this run (app.py calls it before anything reads data), or stop the run with the
    page that says why not: sign-in not configured on an address others can reach, not signed
    in yet, or signed in but not on the access list. Looked up again on every run, in the
    company's latest publication, so a revoked grant ends at the next click."""
    mode = serving_mode()
    if mode == "refuse":
        st.error(t("access.refused"))
        st.stop()
    if mode == "local":
        begin_run()
        st.session_state[_USER_KEY] = access.LOCAL_USER
        return access.LOCAL_USER
    if not st.user.get("is_logged_in"):
        _sign_in_page()
        st.stop()
    email = str(st.user.get("email") or "")
    begin_run()
    found = None
    if st.user.get("email_verified") is not False:  # an address the provider did not check
        found = company_query(access.user_for, email, st.user.get("name"))
    if found is None:
        _ask_for_access_page(email)
        st.stop()
    st.session_state[_USER_KEY] = found
    return found


@st.cache_data(show_spinner=False, max_entries=64)
def _company_cached(module: str, name: str, snapshot: str, args: tuple) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(_snapshot_connection(snapshot).cursor(), *args)


def company_query(fn: Callable[..., T], *args: Any) -> T | None:
    """``fn(con, *args)`` on the company's own latest publication, cached per publication: the
    access list lives there, also while the demo company is shown. None when the company has
    published nothing yet (nobody is on its access list)."""
    company = Store.default().current()
    if company is None:
        return None
    return _company_cached(fn.__module__, fn.__name__, str(company.path), args)


def user() -> User:
    """The user of this run (see ``sign_in``)."""
    if _USER_KEY not in st.session_state:
        return sign_in()
    return st.session_state[_USER_KEY]


def _providers() -> list[str | None]:
    """The named providers of ``[auth]`` (``[auth.google]`` …), or [None] for the one default."""
    settings = _secret("auth") or {}
    named = [k for k, v in settings.items() if isinstance(v, Mapping) and "client_id" in v]
    return named or [None]


def _sign_in_page() -> None:
    st.title(t("access.sign_in_title"))
    st.write(t("access.sign_in_intro"))
    for provider in _providers():
        label = t("access.sign_in_with", provider=provider) if provider else t("access.sign_in")
        if st.button(label, type="primary", key=f"sign_in_{provider}"):
            st.login(provider or None)


def _ask_for_access_page(email: str) -> None:
    st.title(t("access.ask_title"))
    st.write(t("access.ask_text", email=email or "?"))
    st.code(f"python -m salesdash access grant {email or 'EMAIL'} --role ROLE", language="bash")
    if st.button(t("access.sign_out"), key="sign_out_ask"):
        st.logout()


def account_box() -> None:
    """Who is signed in and their sign-out button, or the note that sign-in is not configured,
    at the top of the sidebar."""
    who = user()
    sb = st.sidebar
    if who.is_local:
        sb.markdown(f":orange-badge[:material/lock_open: {t('access.local_badge')}]")
        sb.caption(t("access.local_note"))
        return
    sb.caption(t("access.signed_in", email=who.email, role=t(f"access.role.{who.role}")))
    if sb.button(t("access.sign_out"), key="sign_out", icon=":material/logout:"):
        st.logout()


# --- language --------------------------------------------------------------------------------


def lang() -> str:
    """The session's language: chosen in the sidebar, first taken from ?lang= in the URL."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
        st.session_state["lang"] = wanted if wanted in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    return st.session_state["lang"]


def t(key: str, **values: object) -> str:
    """The catalogue text of ``key`` in the session's language, for markdown: st.markdown, captions,
    alerts, labels, metrics, help. Every value but a number is escaped (``plain``): a region named
    ``[text](https://evil.example)`` is shown as written, never as a link. For text that is not
    markdown (chart texts, table headers and cells, select box options) use ``text``."""
    return i18n.t(key, lang(), **{k: _literal(v) for k, v in values.items()})


def text(key: str, **values: object) -> str:
    """The catalogue text of ``key`` with its values as they are: for chart texts (which
    ``charts.style`` escapes for plotly), table headers and cells and select box options."""
    return i18n.t(key, lang(), **values)


def _literal(value: object) -> object:
    return value if isinstance(value, int | float) else plain(value)


def labels(prefix: str) -> Callable[[str], str]:
    """A ``format_func`` for widgets: ``code`` → text of ``prefix.code`` in today's language.

    The language is bound when the widget is drawn, not when the function is called, so the labels
    stay consistent with the options even when Streamlit formats a value outside the script run.
    Codes without a catalogue entry are shown as they are.
    """
    language = lang()

    def label(code: str) -> str:
        key = f"{prefix}.{code}"
        return i18n.t(key, language) if i18n.has(key) else str(code)

    return label


_TRANSLATED_KEYS = "_translated_widget_keys"


def translated_key(key: str) -> str:
    """Register ``key`` as a widget whose option labels depend on the language; return it.

    Use it for select boxes and multiselects with a translated ``format_func``::

        st.selectbox(label, codes, key=ui.translated_key("kind"), format_func=ui.labels("kind"))

    When the language changes, the widget's value is sent to the browser again so that the shown
    choice follows the options into the new language (else it keeps its old label).
    """
    st.session_state.setdefault(_TRANSLATED_KEYS, set()).add(key)
    return key


def _relabel_widgets() -> None:
    for key in st.session_state.get(_TRANSLATED_KEYS, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def language_switch() -> None:
    """The language selector in the sidebar; the choice stays for the session and in the URL."""
    lang()
    st.sidebar.segmented_control(
        t("app.language"),
        i18n.LANGUAGES,
        format_func=i18n.LANGUAGE_NAMES.get,
        key="lang",
        selection_mode="single",
        required=True,
        on_change=_relabel_widgets,
    )
    st.query_params["lang"] = lang()


def plain(text: object) -> str:
    """``text`` from the data (a file name, a reason quoting a cell) made safe to show in markdown
    elements (st.markdown, st.error, button labels, …) outside ``t``: markdown and HTML
    characters are shown as they are."""
    return fmt.markdown_literal(text)


# --- formatting (the rules are fmt's; these bind the session's language and currency) -------


def currency() -> str:
    """The sign every amount of this run carries (the company's currency, ``fmt.use_currency``)."""
    return fmt.currency().symbol


def money(x: float | None) -> str:
    """A compact amount for cards: "¥1.2万" / "$12.3K"."""
    return fmt.money(x, lang())


def amount(x: float | None) -> str:
    """An amount in full for tables and sentences: "¥3,050,113"."""
    return fmt.amount(x)


def signed_money(x: float) -> str:
    """A change of an amount: "+¥12.3K", "-¥4K" (``money`` with a plus sign when it grows)."""
    return ("+" if x > 0 else "") + money(x)


def number(x: float | None) -> str:
    """A compact number for cards: "1.2万" / "12.3K"."""
    return fmt.compact_number(x, lang())


def count(x: float | None) -> str:
    """A count in full: "1,032"."""
    return fmt.count(x)


def month(d: date) -> str:
    return fmt.month_label(d, lang())


def day(d: date | None) -> str:
    return fmt.date_label(d, lang())


def moment(t: Any) -> str:
    """A time to the minute: "3 Jul 2025 14:05"."""
    return fmt.time_label(t, lang())


# --- filter bar --------------------------------------------------------------------------------


_OUTSIDE_KEY = "_url_outside_scope"


def _init_filters_from_url(choices: dict[str, list[str]]) -> None:
    """Copy the filters in the URL into the widgets' state once per session. Regions and
    channels the user may not see (not among ``choices``) are dropped; when a restricted user's
    URL asked for some, the page says so (``scope_notice``)."""
    if st.session_state.get("_filters_from_url"):
        return
    qp = st.query_params
    pick = qp.get("period", DEFAULT_PICK)
    st.session_state["f_period"] = pick if pick in QUICK_PICKS else DEFAULT_PICK
    if st.session_state["f_period"] == "custom":
        try:
            st.session_state["f_dates"] = (
                date.fromisoformat(qp["from"]),
                date.fromisoformat(qp["to"]),
            )
        except (KeyError, ValueError):
            st.session_state["f_period"] = DEFAULT_PICK
    st.session_state["f_region"] = [r for r in qp.get_all("region") if r in choices["region"]]
    st.session_state["f_channel"] = [c for c in qp.get_all("channel") if c in choices["channel"]]
    asked = len(qp.get_all("region")) + len(qp.get_all("channel"))
    kept = len(st.session_state["f_region"]) + len(st.session_state["f_channel"])
    st.session_state[_OUTSIDE_KEY] = rights().restricted and asked > kept
    st.session_state["_filters_from_url"] = True


def rights() -> Scope:
    """What the user of this run may see (``access.scope_for``), with no filter chosen."""
    return access.scope_for(user())


def scope_notice() -> None:
    """Say, on the page, that the link asked for regions or channels outside the user's scope
    and that their own scope is shown (until they choose filters themselves)."""
    if st.session_state.get(_OUTSIDE_KEY):
        st.warning(t("access.url_outside_scope"), icon=":material/visibility_off:")


def _chose_filters() -> None:
    st.session_state[_OUTSIDE_KEY] = False


def _sync_url(
    pick: str, start: date | None, end: date | None, regions: list, channels: list
) -> None:
    qp = st.query_params
    qp["period"] = pick
    for key, value in (("from", start), ("to", end)):
        if pick == "custom" and value is not None:
            qp[key] = value.isoformat()
        elif key in qp:
            del qp[key]
    for key, values in (("region", regions), ("channel", channels)):
        if values:
            qp[key] = values
        elif key in qp:
            del qp[key]


def filter_bar() -> Scope:
    """The global filters in the sidebar (period, region, channel), kept in the URL.

    Quick picks count back from the last order date in the data, so a view of "this month" on a
    data set exported last week is not empty. The choices are what the user may see, and the
    Scope carries their rights (``rights``).
    """
    allowed = rights()
    fresh = query(dataset.data_freshness)
    choices = query(dataset.filter_choices, allowed)
    _init_filters_from_url(choices)
    as_of = fresh.last_order_date or date.today()
    sb = st.sidebar
    sb.subheader(t("filters.title"))
    pick = sb.selectbox(
        t("filters.period"),
        QUICK_PICKS,
        key=translated_key("f_period"),
        format_func=labels("filters.pick"),
    )
    if pick == "custom":
        # a range from the URL, or picked before the data changed, stays inside the data
        first = min(fresh.first_order_date or as_of, as_of)
        wanted = st.session_state.get("f_dates") or quick_range(DEFAULT_PICK, as_of)
        st.session_state["f_dates"] = clamp_dates(tuple(wanted), first, as_of)
        picked = sb.date_input(t("filters.dates"), min_value=first, max_value=as_of, key="f_dates")
        start, end = (tuple(picked) + (None, None))[:2]
        end = end or start
    else:
        start, end = quick_range(pick, as_of, fresh.first_order_date)
        sb.caption(t("filters.range", start=day(start) if start else "…", end=day(end)))
    regions = sb.multiselect(
        t("filters.region"),
        choices["region"],
        key="f_region",
        placeholder=t("filters.all"),
        on_change=_chose_filters,
    )
    channels = sb.multiselect(
        t("filters.channel"),
        choices["channel"],
        key=translated_key("f_channel"),
        format_func=labels("channel"),
        placeholder=t("filters.all"),
        on_change=_chose_filters,
    )
    if allowed.allowed_rep is not None:
        sb.caption(t("access.scope_rep", rep=allowed.allowed_rep))
    elif allowed.restricted:
        sb.caption(t("access.scope_regions", regions=sum_name(choices["region"])))
    _sync_url(pick, start, end, regions, channels)
    scope = replace(
        allowed, start_date=start, end_date=end, regions=tuple(regions), channels=tuple(channels)
    )
    st.session_state[_SCOPE_KEY] = scope
    return scope


def scope() -> Scope:
    """The Scope chosen in the filter bar for this run, within the user's rights (before the bar
    has run: all the user may see)."""
    return st.session_state.get(_SCOPE_KEY) or rights()


def channel_label(code: str) -> str:
    """A channel's name in the session's language (unknown codes as they are)."""
    return labels("channel")(code)


def freshness_line() -> None:
    """One caption: last order date, which publication the page shows (after which load or
    undo, published when), rows in the database — the last two only for users who see every
    region (a file's name and the row count describe all of them)."""
    fresh = query(dataset.data_freshness)
    if fresh.last_order_date is None:
        st.caption(t("app.freshness_empty"))
        return
    shown = publication()
    if rights().restricted:
        st.caption(
            t(
                "access.freshness",
                last_order=day(fresh.last_order_date),
                published=shown.published_at.strftime("%Y-%m-%d %H:%M"),
            )
        )
        return
    batch = shown.last_batch
    change = (
        text(  # a value of the sentence below, which escapes it
            "app.freshness_undo" if batch["undone_at"] else "app.freshness_load",
            batch=batch["batch_id"],
            name=batch["file_name"],
        )
        if batch
        else ""
    )
    st.caption(
        t(
            "app.freshness",
            last_order=day(fresh.last_order_date),
            published=moment(shown.published_at),
            change=change,
            rows=f"{fresh.n_rows:,}",
        )
    )


# --- errors ------------------------------------------------------------------------------------


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Around the filter bar and the page: what another writer did becomes one line in the
    session's language (the store held by a load for longer than a change waits, a write
    conflict), never a traceback with server paths. Other errors stay errors (Streamlit shows
    visitors a generic message: client.showErrorDetails = "none")."""
    try:
        yield
    except (DatabaseLockedError, WriterBusyError):
        st.error(t("app.error.locked"), icon=":material/hourglass_top:")
    except duckdb.TransactionException as error:
        if errors.one_line(error) != errors.WRITE_CONFLICT:
            raise
        st.error(t("app.error.conflict"))


# --- charts and tables ---


def chart(fig: Any, **kwargs: Any) -> Any:
    """Draw a plotly figure full-width in the salesdash look (charts.style), readable in light and
    dark: Streamlit's theme colours text, grid and series for the viewer's mode; its axes in the
    session's language (charts.localize: 2026年1月, 万/亿).

    Returns what ``st.plotly_chart`` returns: the selection state when ``on_select`` is given."""
    kwargs.setdefault("width", "stretch")
    return st.plotly_chart(charts.localize(charts.style(fig), lang()), theme="streamlit", **kwargs)


# --- uploads -----------------------------------------------------------------------------------


@st.cache_resource(scope="session", on_release=uploads.remove_upload_folder, show_spinner=False)
def upload_folder() -> Path:
    """This session's private upload folder: made on the first upload, removed (with what is
    left in it) when the session ends."""
    return uploads.new_upload_folder()


# --- tables ------------------------------------------------------------------------------------


def download_suffix(chosen: Scope) -> list[str]:
    """What a download's file name adds so that two downloads of different views differ: the
    period's dates and the chosen regions and channels."""
    dates = [d.isoformat() for d in (chosen.start_date, chosen.end_date) if d is not None]
    return [*dates, *chosen.regions, *chosen.channels]


# The browser's format of each kind of table column (numbers stay numbers, so they sort): the
# rules of fmt, and fmt.EMPTY in every empty cell (st.dataframe's placeholder).
_NUMBER_FORMATS = {"count": "%,d", "decimal": "%,.1f", "p_value": "%.2f", "percent": "percent"}
_DATE_FORMATS = {
    "date": {"en": "D MMM YYYY", "zh": "YYYY年M月D日"},
    "time": {"en": "D MMM YYYY HH:mm", "zh": "YYYY年M月D日 HH:mm"},
}
TABLE_KINDS = ("money", *_NUMBER_FORMATS, *_DATE_FORMATS, "text")


def _kind_of(column: pd.Series) -> str:
    values = column.dropna()
    if pd.api.types.is_bool_dtype(column):
        return "text"
    if pd.api.types.is_numeric_dtype(column):
        return "count" if values.mod(1).eq(0).all() else "decimal"  # DuckDB's counts as floats too
    if pd.api.types.is_datetime64_any_dtype(column):
        return "time" if (values.dt.normalize() != values).any() else "date"
    if len(values) and all(isinstance(v, date) for v in values):
        return "date"
    return "text"


def _column_of(kind: str, label: str | None) -> Any:
    if kind == "money":
        money_format = f"{currency().replace('%', '%%')}%,.0f"
        return st.column_config.NumberColumn(label, format=money_format)
    if kind in _NUMBER_FORMATS:
        step = 10.0 ** -(fmt.PERCENT_DIGITS + 2) if kind == "percent" else None
        return st.column_config.NumberColumn(label, format=_NUMBER_FORMATS[kind], step=step)
    if kind == "date":
        return st.column_config.DateColumn(label, format=_DATE_FORMATS[kind][lang()])
    if kind == "time":
        return st.column_config.DatetimeColumn(label, format=_DATE_FORMATS[kind][lang()])
    return label


def table_frame(
    frame: pd.DataFrame, formats: dict[str, str] | None = None, config: dict | None = None
) -> tuple[pd.DataFrame, dict]:
    """``frame`` and its column config as every table shows them (see ``table``)."""
    shown, config, formats = frame.copy(), dict(config or {}), formats or {}
    for column in shown.columns:
        kind = formats.get(column) or _kind_of(shown[column])
        if kind == "text" and not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].mask(shown[column].eq(""))  # empty: the placeholder
        column_type = config.get(column)
        if isinstance(column_type, str | None):  # else the page's own type (a progress bar)
            column_type = _column_of(kind, column_type)
        if column_type is not None:  # None would hide the column
            config[column] = column_type
    return shown, config


def table(
    frame: pd.DataFrame,
    formats: dict[str, str] | None = None,
    *,
    column_config: dict | None = None,
    **kwargs: Any,
) -> Any:
    """Draw ``frame`` as every table in salesdash shows figures (``fmt``): amounts with the
    currency and separators, counts in full, percentages at the one precision, dates as the
    language writes them and "—" in every empty cell (never "None" or "nan"); numbers stay
    numbers, so columns sort by value.

    Args:
        formats: column → one of ``TABLE_KINDS``; a column not named gets its dtype's kind
            (whole numbers: count, other numbers: decimal, dates: date, the rest: text).
        column_config: as ``st.dataframe``'s; a label (a string) gets its kind's format.
        kwargs: more of ``st.dataframe``'s arguments (index hidden, full width unless given).
    """
    shown, config = table_frame(frame, formats, column_config)
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return st.dataframe(shown, column_config=config, placeholder=fmt.EMPTY, **kwargs)


def download_buttons(frame: pd.DataFrame, name: str, amounts: Iterable[str] = ()) -> None:
    """CSV and .xlsx downloads of exactly ``frame``, formula injection neutralised; the file is
    named ``name`` with the filter bar's period and filters (``revenue_by_region_2025-12-01_
    2026-11-15_East``), made a safe file name; the headers of the ``amounts`` columns say their
    currency ("Revenue (USD)")."""
    name = export.file_name("_".join([name, *download_suffix(scope())]))
    frame = export.label_amounts(frame, amounts, fmt.currency().code)
    left, right = st.columns(2)
    left.download_button(
        t("download.csv"),
        export.to_csv_bytes(frame),
        f"{name}.csv",
        "text/csv",
        key=f"dl-csv-{name}",
    )
    # The workbook is built only when the button is clicked: a page reruns far more often.
    right.download_button(
        t("download.xlsx"),
        lambda: export.to_xlsx_bytes(frame, name),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl-xlsx-{name}",
    )
