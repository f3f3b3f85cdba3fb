"""The company's currency: one setting (code and symbol) on every amount, axis and export."""

from __future__ import annotations

import pandas as pd
import pytest

from salesdash import export, fmt, settings
from salesdash.errors import InputError


def test_an_amount_carries_the_symbol_of_the_currency_in_use():
    assert fmt.money(733_200.0) == "¥733.2K"  # the default: what amounts showed before
    with fmt.currency_in("USD"):
        assert fmt.money(733_200.0) == "$733.2K"
        assert fmt.money(-120.0, "zh") == "-$120"
        assert fmt.money_axis("Revenue") == "Revenue (USD)"
    assert fmt.money(733_200.0) == "¥733.2K"  # only inside the block
    assert fmt.money(5.0, currency=fmt.CURRENCIES["HKD"]) == "HK$5"


def test_an_unknown_or_missing_code_falls_back_to_the_default():
    assert fmt.currency_of(None) == fmt.currency_of("XYZ") == fmt.DEFAULT_CURRENCY


def test_the_currency_is_a_setting_of_the_store_and_only_known_codes_are_taken(con):
    settings.write(con, "currency", "EUR")
    assert settings.read(con)["currency"] == "EUR"
    with pytest.raises(InputError, match="setting 'currency' cannot be 'EURO'"):
        settings.write(con, "currency", "EURO")
    assert settings.read(con)["currency"] == "EUR"


def test_an_export_names_the_currency_of_its_amount_columns():
    frame = pd.DataFrame({"region": ["East"], "revenue": [10.0]})
    labelled = export.label_amounts(frame, ["revenue", "not there"], "USD")
    assert list(labelled.columns) == ["region", "revenue (USD)"]
    assert export.to_csv_bytes(labelled).decode("utf-8-sig").splitlines()[0] == (
        "region,revenue (USD)"
    )
