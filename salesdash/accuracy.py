"""What a forecast's backtest says, in words that follow from its figures.

The forecast page shows a verdict beside the figures it rests on: the error relative to repeating
last year on the same test (``relative_error``: below 1 is better) and how often the 80% range
held the actual. A forecast more accurate than repeating last year whose 80% range held the
actual far less often than 80% of the time is not called good: its ranges are too narrow.
"""

from __future__ import annotations

import re

from salesdash import i18n
from salesdash.forecast import SeriesSummary

# An 80% range that held the actual less often than this has ranges too narrow to trust.
MIN_COVERAGE_80 = 0.6
VERDICTS = ("better", "narrow_ranges", "worse")


def relative_error(summary: SeriesSummary) -> float | None:
    """The forecast's error as a multiple of repeating last year's error on the same backtest
    (MASE ÷ seasonal naive's MASE): 0.8 = a fifth smaller; None when either is missing."""
    if summary.mase is None or not summary.mase_seasonal_naive:
        return None
    return summary.mase / summary.mase_seasonal_naive


def verdict(summary: SeriesSummary) -> str | None:
    """ "better", "narrow_ranges" or "worse" (``VERDICTS``), from ``relative_error`` and the 80%
    range's coverage; None when the series was not backtested."""
    relative = relative_error(summary)
    if relative is None:
        return None
    if relative >= 1:
        return "worse"
    if summary.coverage_80 is not None and summary.coverage_80 < MIN_COVERAGE_80:
        return "narrow_ranges"
    return "better"


_MEMBER = re.compile(r"^([a-z_]+)(.*)$")


def model_words(model: str, lang: str) -> str:
    """The model string of a forecast ("ensemble[ets(A,N,A)+theta+snaive]") in words of
    ``lang``: "average of exponential smoothing (A,N,A), Theta, same as last year"; a part
    without a name in the catalogue stays as it is."""
    inner = model.removeprefix("ensemble[").removesuffix("]")
    parts = []
    for part in inner.split("+"):
        base, rest = _MEMBER.match(part).groups() if _MEMBER.match(part) else (part, "")
        key = f"forecast.model_part.{base}"
        parts.append(f"{i18n.t(key, lang)}{f' {rest}' if rest else ''}" if i18n.has(key) else part)
    joined = i18n.t("forecast.model_list_sep", lang).join(parts)
    if inner == model:
        return joined
    return i18n.t("forecast.model_ensemble", lang, parts=joined)
