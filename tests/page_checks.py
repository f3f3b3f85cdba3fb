"""What a rendered page (an AppTest run) shows, read as a user reads it (issue 15):

- ``bad_cells``: table cells a browser would show as "None", "nan" or a raw float (a number
  column without a format, a gap in a number column, an unformatted text);
- ``english_words``: English words on a page in Chinese, outside the data's own names.

tests/test_app.py applies both to every page it renders, so they cost no extra run.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from salesdash import fmt

# A float as Python or pandas writes it, not as fmt does: "3050113.12" (no separators),
# "0.2622" (more than two decimals), "1e-05".
RAW_FLOAT = re.compile(r"^-?(\d{4,}\.\d+|\d+\.\d{3,}|[\d.]+e[+-]?\d+)$")
MISSING_TEXTS = {"None", "nan", "NaN", "<NA>", "NaT", "null", "inf", "-inf"}
WORD = re.compile(r"[A-Za-z]{2,}")
# Streamlit's markdown directives, not text a reader sees: icons and coloured badges.
MARKUP = re.compile(r":material/\w+:|:\w+(-\w+)?\[")
# Words a Chinese page may show in Latin letters: names of methods, formats and units.
ALLOWED_WORDS = {
    "SMART", "MASE", "MAPE", "RFM", "CSV", "Excel", "xlsx", "PNG", "PDF", "ID", "ARIMA", "Theta",
    "UTF", "GBK", "KPI", "pp", "salesdash", "ETS", "AN", "AAA", "MNN", "MNM", "ANA", "MAM",
    "MAN", "AAdA", "AAdN", "MAdN", "MAdM", "NN", "MB", "GB", "KB", "AM", "PM", "ABC",
    "English", "GTX", "GTXPro", "README",
}  # fmt: skip


def _frame_of(element) -> tuple[pd.DataFrame, dict]:
    proto = element.proto
    config = json.loads(proto.columns) if proto.columns else {}
    return element.value, config


def bad_cells(at) -> list[str]:
    """Every cell of every table of ``at`` that would not read as a formatted figure."""
    found = []
    for element in at.dataframe:
        frame, config = _frame_of(element)
        if element.proto.arrow_data.HasField("styler") or element.proto.editing_mode:
            continue  # a styled table of texts (verdict lights), or an editor: cells to type in
        dashed = element.proto.placeholder == fmt.EMPTY  # empty cells read "—"
        for column in frame.columns:
            values = frame[column]
            where = f"{column!r}"
            if values.isna().any() and not dashed:
                found.append(f"{where}: an empty cell (shown as None)")
            if pd.api.types.is_bool_dtype(values):
                continue
            if pd.api.types.is_numeric_dtype(values):
                kind = config.get(str(column), {}).get("type_config", {})
                whole = values.dropna().mod(1).eq(0).all()
                if not whole and not kind.get("format") and kind.get("type") != "progress":
                    found.append(f"{where}: a fractional number without a format")
                continue
            for value in values.dropna():
                text = str(value)
                if text in MISSING_TEXTS or text == "":
                    found.append(f"{where}: {value!r}")
                elif RAW_FLOAT.match(text.strip()):
                    found.append(f"{where}: raw float {text!r}")
    return found


def _texts(at) -> list[str]:
    """The visible texts of a run: headings, text, alerts, labels, options, table headers and
    text cells, chart titles and trace names."""
    texts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                 "success", "error", "text"):  # fmt: skip
        texts += [e.value for e in at.get(kind)]
    for metric in at.metric:
        texts += [metric.label, metric.value, metric.proto.delta, metric.proto.help]
    for kind in ("button", "download_button", "checkbox", "toggle", "date_input",
                 "number_input", "text_input", "selectbox", "multiselect", "radio"):  # fmt: skip
        for widget in at.get(kind):
            texts += [widget.label, getattr(widget.proto, "help", "")]
            texts += list(getattr(widget, "options", []) or [])
    for kind in ("tab", "expander"):
        texts += [e.label for e in at.get(kind)]
    for element in at.get("button_group"):
        texts += [o.content for o in element.proto.options]
    for element in at.dataframe:
        frame, config = _frame_of(element)
        texts += [config.get(str(c), {}).get("label") or str(c) for c in frame.columns]
        for column in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[column]):
                texts += [str(v) for v in frame[column].dropna()]
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        layout = figure.get("layout", {})
        texts.append(_title(layout.get("title")))
        for name, axis in layout.items():
            if name.startswith(("xaxis", "yaxis")):
                texts.append(_title(axis.get("title")))
        texts += [str(trace.get("name") or "") for trace in figure.get("data", [])]
    return [t for t in texts if t]


def _title(title) -> str:
    return title.get("text", "") if isinstance(title, dict) else str(title or "")


def english_words(at, allowed: set[str]) -> list[str]:
    """Latin-letter words of ``at``'s texts that are neither ``ALLOWED_WORDS`` nor in
    ``allowed`` (the data's own names: regions, reps, products, …), with their text."""
    found = []
    allowed_words = {w.lower() for text in allowed for w in WORD.findall(text)}
    allowed_words |= {w.lower() for w in ALLOWED_WORDS}
    # currencies by their ISO codes and symbols ("CNY", "HK$")
    currencies = [t for c in fmt.CURRENCIES.values() for t in (c.code, c.symbol)]
    allowed_words |= {w.lower() for text in currencies for w in WORD.findall(text)}
    for text in _texts(at):
        words = [w for w in WORD.findall(MARKUP.sub("", text)) if w.lower() not in allowed_words]
        if words:
            found.append(f"{words} in {text[:80]!r}")
    return found
