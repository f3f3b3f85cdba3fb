"""The forecast page's verdict follows from the figures beside it (issue 15)."""

import pytest

from salesdash import accuracy
from salesdash.forecast import SeriesSummary


def summary(mase, naive, coverage, model="ets(A,N,A)"):
    return SeriesSummary(
        status="ok",
        model=model,
        n_periods=36,
        min_periods=24,
        mase=mase,
        mase_seasonal_naive=naive,
        mape=0.08,
        coverage_80=coverage,
        n_origins=6,
        beats_seasonal_naive=None if mase is None else mase < naive,
    )


def test_an_error_27_times_the_baseline_with_ranges_holding_31_percent_is_not_called_better():
    """The region of the issue: MASE 27 beat seasonal naive's 30 on the same test, but its 80%
    range held the actual 31% of the time: not a green "more accurate"."""
    s = summary(27.0, 30.0, 0.31)
    assert accuracy.relative_error(s) == pytest.approx(0.9)
    assert accuracy.verdict(s) == "narrow_ranges"


@pytest.mark.parametrize(
    ("mase", "naive", "coverage", "expected"),
    [
        (0.6, 1.2, 0.78, "better"),  # half the baseline's error, ranges hold
        (1.2, 1.2, 0.9, "worse"),  # no better than repeating last year
        (2.0, 1.0, 0.2, "worse"),
        (0.9, 1.0, 0.6, "better"),  # at the coverage floor
        (None, 1.0, 0.8, None),  # not backtested
    ],
)
def test_the_verdict_follows_the_relative_error_and_the_coverage(mase, naive, coverage, expected):
    assert accuracy.verdict(summary(mase, naive, coverage)) == expected


def test_the_model_string_reads_in_words_of_each_language():
    model = "ensemble[ets(A,N,A)+theta+snaive]"
    assert accuracy.model_words(model, "en") == (
        "average of exponential smoothing (A,N,A), Theta, same as last year"
    )
    assert accuracy.model_words(model, "zh") == "指数平滑 (A,N,A)、Theta 法、照搬去年同期 的平均"
    assert accuracy.model_words("mystery(1)", "en") == "mystery(1)"
