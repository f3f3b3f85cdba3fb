"""The one catalogue of UI strings, in English and Chinese, and ``t()`` to look one up.

Strings live in ``salesdash/messages/*.toml``, one file per area of the app, as tables of the form::

    [nav.data]
    en = "Data"
    zh = "数据"

The key is the table path (``nav.data``). Placeholders use ``str.format`` (``{n}``).
"""

from __future__ import annotations

import tomllib
from functools import cache

from salesdash import config

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def _flatten(prefix: str, node: dict, out: dict[str, dict[str, str]], source: str) -> None:
    if "en" in node or "zh" in node:
        if prefix in out:
            raise ValueError(f"message key '{prefix}' is defined twice (again in {source})")
        out[prefix] = node
        return
    for key, child in node.items():
        _flatten(f"{prefix}.{key}" if prefix else key, child, out, source)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: key → {language: text}."""
    out: dict[str, dict[str, str]] = {}
    for file in sorted(config.MESSAGES_DIR.glob("*.toml")):
        with file.open("rb") as fh:
            _flatten("", tomllib.load(fh), out, file.name)
    return out


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Raises:
        KeyError: the key is not in the catalogue (a missing string is a bug, not a fallback).
    """
    text = catalogue()[key][lang]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    """True when the catalogue holds ``key``."""
    return key in catalogue()
