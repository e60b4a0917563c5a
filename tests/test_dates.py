"""Temporal expressions resolved against the publication date (the seed's, 2024-04-17)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.nlp.dates import days_after_last_act, is_after, resolve

SEED_DAY = dt.date(2024, 4, 17)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("last month", False, "2024-03"),
        ("on the 16th", False, "2024-04-16"),
        ("next month", True, "2024-05"),
        ("in May", True, "2024-05"),
        ("May 7", True, "2024-05-07"),
        ("October last year", False, "2023-10"),
        ("December last year", False, "2023-12"),
        ("earlier this month", False, "2024-04"),
        ("Tuesday", False, "2024-04-16"),
        ("on Tuesday", True, "2024-04-23"),
        ("Tuesday night", False, "2024-04-16"),
        ("on Wednesday", True, "2024-04-17"),
        ("on Wednesday", False, "2024-04-17"),
        ("March 3, 2024", False, "2024-03-03"),
        ("in March", False, "2024-03"),
        ("in October", False, "2023-10"),
        ("last year", False, "2023"),
        ("mid-March", False, "2024-03"),
        # a season is dated by the year it begins in, a weekend by its month
        ("next autumn", False, "2024"),
        ("last autumn", False, "2023"),
        ("this spring", False, "2024"),
        ("last winter", False, "2023"),
        ("winter", True, "2024"),
        ("the autumn of 2021", False, "2021"),
        ("over the weekend", False, "2024-04"),
        ("by the end of the year", True, "2024"),
    ],
)
def test_dates_resolve_against_publication(text, future, expected):
    assert resolve(text, SEED_DAY, future=future) == expected


@pytest.mark.parametrize("text", ["seven months", "about 1 year and 9 months", "the same period last year", "a year earlier"])
def test_dates_durations_and_comparisons_are_not_dates(text):
    assert resolve(text, SEED_DAY) is None


def test_dates_without_publication_date_only_absolute_resolve():
    assert resolve("March 3, 2024", None) == "2024-03-03"
    assert resolve("in 2023", None) == "2023"
    for relative in ("last month", "on Tuesday", "May 7", "in May", "the 9th"):
        assert resolve(relative, None) is None


def test_dates_is_after_compares_at_the_date_granularity():
    assert is_after("2024-05", SEED_DAY) and not is_after("2024-04", SEED_DAY)
    assert not is_after(None, SEED_DAY) and not is_after("2025", None)


@pytest.mark.parametrize(
    ("text", "days"),
    [("the same day", 0), ("that evening", 0), ("later that day", 0), ("two days later", 2), ("a day earlier", -1),
     ("the day before", -1), ("the following day", 1), ("the next day", 1), ("3 days after", 3), ("on Monday", None),
     ("two days ago", None), ("last week", None)],
)
def test_dates_counted_from_the_act_last_told(text, days):
    assert days_after_last_act(text) == days
