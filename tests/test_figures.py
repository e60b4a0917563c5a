"""Amounts of money parse to full values with ISO 4217 codes."""

from __future__ import annotations

import pytest

from pipeline.nlp.amounts import parse_money


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("$240 billion", 240e9, "USD"),
        ("approximately 333.576 trillion KRW", 3.33576e14, "KRW"),
        ("€500 million", 500e6, "EUR"),
        ("40 billion yuan", 40e9, "CNY"),
        ("2.5 trillion won", 2.5e12, "KRW"),
        ("US$1.2 billion", 1.2e9, "USD"),
        ("£3bn", 3e9, "GBP"),
    ],
)
def test_figures_parse_money(text, value, currency):
    parsed_value, parsed_currency = parse_money(text)
    assert parsed_value == pytest.approx(value) and parsed_currency == currency


def test_figures_money_without_currency_is_not_money():
    assert parse_money("1,200") is None
