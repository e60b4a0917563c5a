"""Amounts: currency spellings and codes (ISO 4217), scale words and spelled numbers, read
with price-parser and `data/figures.toml`."""

from __future__ import annotations

import functools
import re
from typing import Any, Literal

import pycountry
from price_parser import Price

from pipeline.data_files import DataFile, load_data
from pipeline.nlp.gazetteer import demonym_iso


class CountsTable(DataFile):
    not_units: list[str]


class FiguresFile(DataFile):
    currencies: dict[str, str]
    ambiguous_currencies: dict[str, dict[str, str]]
    scales: dict[str, float]
    directions: dict[Literal["increase", "decrease"], list[str]]
    bases: dict[str, list[str]]
    counts: CountsTable


@functools.cache
def figures_data() -> dict[str, Any]:
    data = load_data("figures.toml", FiguresFile)
    bases = {name: [re.compile(p, re.I) for p in patterns] for name, patterns in data.bases.items()}
    directions = {lemma: d for d, lemmas in data.directions.items() for lemma in lemmas}
    return {
        "currencies": data.currencies,
        "scales": data.scales,
        "directions": directions,
        "bases": bases,
        "not_units": set(data.counts.not_units),
        "ambiguous": data.ambiguous_currencies,
    }


def ambiguous_currency(word: str, countries: set[str]) -> str | None:
    """'pesos' in an article about the Philippines is PHP."""
    options = figures_data()["ambiguous"].get(word) or figures_data()["ambiguous"].get(word.lower())
    if not options:
        return None
    return next((code for iso, code in options.items() if iso in countries), next(iter(options.values())))


def currency_code(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    table = figures_data()["currencies"]
    if text in table:
        return table[text]
    if text.lower() in table:
        return table[text.lower()]
    if len(text) == 3 and text.isupper() and pycountry.currencies.get(alpha_3=text):
        return text
    return None


def names_a_currency(word: str) -> bool:
    """'rupee', 'quetzal', 'EUR': a spelling in figures.toml, an ISO code, or the last word of
    an ISO currency's name."""
    return currency_code(word) is not None or word.lower() in _currency_name_words()


@functools.cache
def _currency_name_words() -> frozenset[str]:
    """'quetzal', 'lira' (the last word of each name), unless it is also a nationality
    ('Afghani'); not the X codes (gold, testing codes)."""
    last = {c.name.split()[-1].lower() for c in pycountry.currencies if not c.alpha_3.startswith("X")}
    return frozenset(w for w in last if w.isalpha() and demonym_iso(w.title()) is None)


def parse_money(text: str) -> tuple[float, str] | None:
    """'$240 billion' -> (240e9, 'USD'); None when no amount or currency is found."""
    price = Price.fromstring(text, decimal_separator=".")
    if price.amount is None:
        return None
    currency = currency_code(price.currency)
    words = re.findall(r"[A-Za-z$€£¥₩₽₹₺₴]+\$?", text)
    scale = 1.0
    for word in words:
        if word.lower() in figures_data()["scales"] and scale == 1.0:
            scale = float(figures_data()["scales"][word.lower()])
        currency = currency or currency_code(word)
    if currency is None:
        return None
    return float(price.amount) * scale, currency


_SPELLED = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}  # fmt: skip


def number(text: str) -> float | None:
    """'1.8 million' -> 1800000.0, 'seven' -> 7.0; price-parser reads the digits."""
    words = text.lower().replace("about ", "").replace("some ", "").replace("at least ", "").split()
    if len(words) == 1 and words[0] in _SPELLED:
        return float(_SPELLED[words[0]])
    price = Price.fromstring(text, decimal_separator=".")
    if price.amount is None:
        return None
    scale = next((float(figures_data()["scales"][w]) for w in words if w in figures_data()["scales"]), 1.0)
    return float(price.amount) * scale
