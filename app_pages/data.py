"""Data: upload exports, confirm kind and mapping, load, see what was rejected, undo a batch."""

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from salesdash import db, fmt, ingest, settings, ui, uploads
from salesdash.errors import InputError, WriterBusyError

con = ui.connection()
state = st.session_state
state.setdefault("data_round", 0)
state.setdefault("data_results", [])
state.setdefault("data_previews", {})
state.setdefault("data_saved", {})
state.setdefault("data_parsed", {})
MAX_BYTES = st.get_option("server.maxUploadSize") * 2**20
kind_label = ui.labels("data.kind_name")
column_label = ui.labels("data.column")

# "View these dates" (after a load) chose the period in its callback; show it on the Overview
if state.pop("data_view_dates", False):
    st.switch_page("app_pages/overview.py")

st.title(ui.t("data.title"))
# Executives see what was loaded, by whom; only admins and analysts load and undo.
can_change = ui.user().may("change_data")


def _set_demo(value: str) -> None:
    """Remove the demo company, or show it again (one action, published like any change)."""
    try:
        with ui.writing(f"demo {value} on the Data page") as writer:
            settings.write(writer, "demo", value)
    except (InputError, WriterBusyError) as error:
        st.error(ui.plain(error))
        return
    st.rerun()


showing_demo = ui.showing_demo()
if showing_demo:
    with st.container(border=True):
        st.markdown(ui.t("data.demo.shown"))
        if st.button(ui.t("data.demo.remove"), icon=":material/delete:", key="demo_remove"):
            _set_demo("removed")
elif (
    ui.publication().is_empty
    and ui.publication().settings.get("demo") == "removed"
    and st.button(ui.t("data.demo.show_again"), icon=":material/theater_comedy:", key="demo_show")
):
    _set_demo("shown")

with st.expander(ui.t("data.kinds.title")):
    for kind in ingest.KINDS:
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f"**{ui.t(f'data.kind_name.{kind}')}** — {ui.t(f'data.kind_help.{kind}')}")
        template = uploads.template_path(kind)
        if template is not None:
            button.download_button(
                ui.t("data.kinds.template"),
                template.read_bytes,
                template.name,
                "text/csv",
                key=f"template-{kind}",
                icon=":material/download:",
            )

st.subheader(ui.t("data.upload.title"))
if not can_change:
    st.caption(ui.t("data.read_only"))
files = st.file_uploader(
    ui.t("data.upload.label"),
    accept_multiple_files=True,
    key=f"upload-{state['data_round']}",
    help=ui.t("data.upload.help", formats=", ".join(uploads.ACCEPTED_SUFFIXES)),
    disabled=not can_change,
)


def _saved_path(file) -> Path:
    """Where an upload is kept on disk for this session: saved once, under a generated name in the
    session's upload folder (again after a reconnect, which removes that folder)."""
    path = state["data_saved"].get(file.file_id)
    if path is None or not path.exists():
        path = uploads.save_upload(file.getvalue(), file.name, ui.upload_folder())
        state["data_saved"][file.file_id] = path
    return path


def _preview(file, kind: str, name: str):
    """The file's preview for ``kind``, read once per upload and kind."""
    key = (file.file_id, kind)
    if key not in state["data_previews"]:
        state["data_previews"][key] = uploads.preview(con, _saved_path(file), kind, name)
    return state["data_previews"][key]


def _parsed(file, kind: str, name: str, mapping: dict[str, str | None]):
    """The file's first rows as the load will store them, with the analyst's mapping, and what
    it would replace (``uploads.replace_offer``; only where the company has data of its own):
    read once per upload, kind and mapping."""
    key = (file.file_id, kind, tuple(mapping.items()))
    if key not in state["data_parsed"]:
        path, day = _saved_path(file), date.today()
        values = uploads.preview_values(con, path, kind, name, mapping=mapping, load_day=day)
        offer = None
        if not showing_demo:
            offer = uploads.replace_offer(con, path, kind, name, mapping=mapping, load_day=day)
        state["data_parsed"][key] = (values, offer)
    return state["data_parsed"][key]


def _show_parsed(values) -> None:
    dates = values.select_dtypes("datetime").columns
    st.dataframe(
        values.assign(problem=values["problem"].fillna("—")),
        hide_index=True,
        height=220,
        column_config={
            c: st.column_config.DateColumn(column_label(c), format="YYYY-MM-DD")
            if c in dates
            else ui.text("data.preview.problem")
            if c == "problem"
            else column_label(c)
            for c in values.columns
        },
    )


ready = []
for file in files or []:
    name = uploads.display_name(file.name)
    with st.container(border=True):
        st.markdown(f"**{ui.plain(name)}**")
        problem = uploads.check_upload(name, file.size, MAX_BYTES)
        if problem is not None:
            st.error(ui.t(problem.key, **{**problem.values, "name": name}))
            continue
        try:
            first = _preview(file, ingest.KINDS[0], name)
            kind_key = ui.translated_key(f"kind-{file.file_id}")
            state.setdefault(kind_key, uploads.default_kind(name, first.header))
            kind = st.selectbox(
                ui.t("data.upload.kind"),
                ingest.KINDS,
                key=kind_key,
                format_func=kind_label,
            )
            preview = _preview(file, kind, name)
        except InputError as error:
            st.error(ui.t("data.error.read", reason=error))
            continue
        st.caption(
            ui.t(
                "data.mapping.caption",
                encoding=preview.encoding,
                n=len(preview.header),
            )
            + (" · " + ui.t("data.mapping.remembered") if preview.remembered else "")
        )
        options = ["", *preview.header]
        not_in_file = ui.t("data.mapping.none")
        mapping = {}
        grid = st.columns(4)
        for i, (canonical, source) in enumerate(preview.mapping.items()):
            required = canonical in preview.missing_required
            label = ui.t("data.mapping.field", name=column_label(canonical), column=canonical)
            mapping[canonical] = grid[i % 4].selectbox(
                f"{label} *" if required else label,
                options,
                index=options.index(source) if source in options else 0,
                key=f"map-{file.file_id}-{kind}-{canonical}",
                format_func=lambda c, none=not_in_file: c or none,
            )
        missing = uploads.unmapped_required(preview, mapping)
        if missing:
            st.dataframe(preview.rows, hide_index=True, height=220)
            st.warning(ui.t("data.mapping.missing", columns=", ".join(missing)))
            continue
        try:
            values, offer = _parsed(file, kind, name, mapping)
        except InputError as error:
            st.dataframe(preview.rows, hide_index=True, height=220)
            st.warning(ui.t("data.preview.unreadable", reason=error))
            continue
        st.markdown(f"**{ui.t('data.preview.parsed')}**")
        _show_parsed(values)
        with st.expander(ui.t("data.preview.raw")):
            st.dataframe(preview.rows, hide_index=True)
        replace = offer is not None and st.checkbox(
            ui.t(
                "data.replace.label",
                n=f"{offer[2]:,}",
                start=ui.day(offer[0]),
                end=ui.day(offer[1]),
            ),
            key=f"replace-{file.file_id}-{kind}",
            help=ui.t("data.replace.help"),
        )
        ready.append((name, _saved_path(file), kind, mapping, replace))

# The company's first load replaces the demo company: said once more, and confirmed, beside it.
replaces_demo = bool(ready) and showing_demo and not st.checkbox(ui.t("data.demo.confirm_load"))
if ready and st.button(
    ui.t("data.upload.load", n=len(ready)),
    type="primary",
    icon=":material/upload:",
    disabled=replaces_demo,
):
    bar = st.progress(0.0, text=ui.t("data.upload.loading"))
    step_label = ui.labels("data.step")
    results = []
    names = ", ".join(name for name, *_ in ready)
    with ui.writing(f"upload of {names} on the Data page") as writer:
        for i, (name, path, kind, mapping, replace) in enumerate(ready):

            def report(fraction: float, message: str, i=i, name=name) -> None:
                done = min(1.0, (i + fraction) / len(ready))
                bar.progress(done, text=f"{ui.plain(name)}: {step_label(message)}")

            try:
                result = uploads.load(
                    writer,
                    path,
                    kind,
                    load_day=date.today(),
                    mapping=mapping,
                    file_name=name,
                    progress=report,
                    replace=replace,
                )
                results.append({"name": name, "result": result})
            except InputError as error:
                results.append({"name": name, "error": str(error)})
            bar.progress((i + 1) / len(ready), text=ui.plain(name))
    state["data_results"] = results
    state["data_round"] += 1
    state["data_previews"] = {}
    state["data_parsed"] = {}
    uploads.discard([path for _, path, *_ in ready])
    state["data_saved"] = {}
    st.rerun()


def _view_dates(start: date, end: date) -> None:
    """Choose exactly these dates in the filter bar (before the next run draws it), then show
    them on the Overview."""
    state["f_period"] = "custom"
    state["f_dates"] = (start, end)
    state["data_view_dates"] = True


def _show_coverage(coverage: ingest.Coverage, batch_id: int) -> None:
    """What a batch brought: its dates, counts, amount, regions and channels; a button that
    views exactly its dates."""
    parts = [ui.text(f"data.result.n_{coverage.kind}", n=f"{coverage.n_records:,}")]
    if coverage.kind != "customers":
        parts.append(ui.text("data.result.n_customers", n=f"{coverage.n_customers:,}"))
    if coverage.amount is not None:
        word = "revenue" if coverage.kind == "orders" else "amount"
        parts.append(ui.text(f"data.result.{word}", amount=ui.money(coverage.amount)))
    if coverage.first_date is None:
        st.markdown(ui.t("data.result.no_dates", parts=", ".join(parts)))
    else:
        start, end = ui.day(coverage.first_date), ui.day(coverage.last_date)
        st.markdown(ui.t("data.result.covers", start=start, end=end, parts=", ".join(parts)))
    lines = [ui.t("data.result.regions", names=", ".join(coverage.regions) or "—")]
    if coverage.kind == "orders":
        names = ", ".join(ui.channel_label(c) for c in coverage.channels) or "—"
        lines.append(ui.t("data.result.channels", names=names))
    elif coverage.kind == "opportunities":
        lines.append(ui.t("data.result.sources", names=", ".join(coverage.channels) or "—"))
    st.caption(" · ".join(lines))
    if coverage.first_date is not None and coverage.kind != "customers":
        st.button(
            ui.t("data.result.view"),
            icon=":material/date_range:",
            key=f"view-dates-{batch_id}",
            on_click=_view_dates,
            args=(coverage.first_date, coverage.last_date),
        )


for outcome in state["data_results"]:
    name = outcome["name"]
    if "error" in outcome:
        st.error(ui.t("data.result.failed", name=name, reason=outcome["error"]))
        continue
    result = outcome["result"]
    st.success(
        ui.t("data.result.loaded", name=name, batch=result.batch_id, kind=kind_label(result.kind)),
        icon=":material/check_circle:",
    )
    loaded, rejected, duplicate = st.columns(3)
    loaded.metric(ui.t("data.result.rows_loaded"), f"{result.rows_loaded:,}")
    rejected.metric(ui.t("data.result.rows_rejected"), f"{result.rows_rejected:,}")
    duplicate.metric(ui.t("data.result.rows_duplicate"), f"{result.rows_duplicate:,}")
    if result.replaced is not None:
        replaced = result.replaced
        st.info(
            ui.t(
                "data.result.replaced",
                n=f"{replaced.rows_replaced:,}",
                start=ui.day(replaced.date_from),
                end=ui.day(replaced.date_to),
            )
        )
    if result.coverage is not None:
        _show_coverage(result.coverage, result.batch_id)
    if result.warnings:
        st.warning(ui.t("data.result.warnings"))
        st.text("\n".join(result.warnings))
    if result.rows_rejected:
        st.markdown(f"**{ui.t('data.result.rejects')}**")
        ui.table(
            result.rejects,
            {"value": "text"},
            column_config={
                c: ui.t(f"data.rejects.{c}") for c in ("line", "column", "value", "reason")
            },
        )
        ui.download_buttons(result.rejects, f"rejected-rows-batch-{result.batch_id}")

st.subheader(ui.t("data.tables"))
counts = db.table_counts(con)
ui.table(
    pd.DataFrame([{ui.t(f"data.kind_name.{kind}"): n for kind, n in counts.items()}]),
    width="content",
)


def _described(frame) -> dict[int, str]:
    """Batches as the undo and redo choices name them: batch id → "#3 · file · kind · n rows"."""
    return {
        row.batch_id: ui.text(
            "data.undo.option",
            batch=row.batch_id,
            name=row.file_name,
            kind=kind_label(row.kind),
            n=f"{row.rows_loaded:,}",
        )
        for row in frame.itertuples()
    }


def _change_batch(action: str, batch: int) -> None:
    """Undo or redo (``action``) a batch, then run again saying how it went."""
    change = uploads.undo if action == "undo" else uploads.redo
    try:
        with ui.writing(f"{action} of batch {batch} on the Data page") as writer:
            n = change(writer, batch)
        state["data_undo_done"] = (st.success, ui.t(f"data.{action}.done", batch=batch, n=f"{n:,}"))
    except InputError as error:
        state["data_undo_done"] = (st.error, ui.plain(error))
    state["data_results"] = []
    st.rerun()


st.subheader(ui.t("data.batches"))
batches = ingest.list_batches(con)
if showing_demo:
    # the demo's batches are not the company's: nothing here to undo
    st.info(ui.t("data.demo.no_batches"))
elif batches.empty:
    st.info(ui.t("data.history.empty"))
else:
    columns = ingest.BATCH_COLUMNS
    ui.table(
        batches[list(columns)].assign(kind=batches["kind"].map(kind_label)),
        {"batch_id": "text"},
        column_config={c: ui.t(f"data.history.{c}") for c in columns},
    )
    described = _described(uploads.active_batches(batches))
    if described and can_change:
        choice, button = st.columns([3, 1], vertical_alignment="bottom")
        batch = choice.selectbox(
            ui.t("data.undo.choose"),
            list(described),
            format_func=described.get,
            # A new key whenever the batches change, so the newest batch is proposed again.
            key=ui.translated_key(f"undo_pick-{max(described)}"),
        )
        if button.button(ui.t("data.undo.button"), icon=":material/undo:", key="undo_ask"):
            state["data_undo"] = batch
    pending = state.get("data_undo")
    if pending in described and can_change:
        st.warning(ui.t("data.undo.confirm", option=described[pending]))
        yes, no = st.columns(2)
        if yes.button(ui.t("data.undo.yes"), type="primary", key="undo_yes"):
            del state["data_undo"]
            _change_batch("undo", int(pending))
        if no.button(ui.t("data.undo.no"), key="undo_no"):
            del state["data_undo"]
            st.rerun()
    undone = _described(uploads.undone_batches(batches))
    if undone and can_change:
        choice, button = st.columns([3, 1], vertical_alignment="bottom")
        batch = choice.selectbox(
            ui.t("data.redo.choose"),
            list(undone),
            format_func=undone.get,
            key=ui.translated_key(f"redo_pick-{'-'.join(map(str, undone))}"),
        )
        if button.button(ui.t("data.redo.button"), icon=":material/redo:", key="redo"):
            _change_batch("redo", int(batch))
    if "data_undo_done" in state:
        show, text = state.pop("data_undo_done")
        show(text)

st.subheader(ui.t("data.currency.title"))
chosen = fmt.currency_of(ui.company_settings().get("currency"))
choice, button = st.columns([3, 1], vertical_alignment="bottom")
code = choice.selectbox(
    ui.t("data.currency.label"),
    list(fmt.CURRENCIES),
    index=list(fmt.CURRENCIES).index(chosen.code),
    format_func=lambda c: f"{c} ({fmt.CURRENCIES[c].symbol.strip()})",
    key="currency_pick",
    disabled=not can_change,
)
if button.button(
    ui.t("data.currency.save"), key="currency_save", disabled=code == chosen.code or not can_change
):
    try:
        with ui.writing(f"currency set to {code} on the Data page") as writer:
            settings.write(writer, "currency", code)
        state["data_currency_done"] = (st.success, ui.t("data.currency.done", code=code))
    except (InputError, WriterBusyError) as error:
        state["data_currency_done"] = (st.error, ui.plain(error))
    st.rerun()
if "data_currency_done" in state:
    show, text = state.pop("data_currency_done")
    show(text)
