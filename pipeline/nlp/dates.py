"""Temporal expressions resolved against the article's publication date.

dateparser does the parsing (with the publication date as its relative base); rules cover
what it misses: "October last year", "earlier this month", "on the 16th", and choosing the
year of a bare month or weekday by tense. Without a publication date, absolute dates still
resolve and relative ones stay None: nothing is ever guessed from today's date.

Results are partial ISO strings: YYYY, YYYY-MM or YYYY-MM-DD.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

_MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTH_NAMES = frozenset(name.casefold() for name in calendar.month_name if name)
_WEEKDAYS = {name.casefold(): i for i, name in enumerate(calendar.day_name)}
DAY_NAMES = frozenset(_WEEKDAYS)
_DURATION = re.compile(
    r"^(about |some |nearly |almost |more than |over |the past |the last |\d+ )?"
    r"([\d.]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
    r"\b.*\b(days?|weeks?|months?|years?|decades?)\b(?! (ago|earlier|later))",
    re.IGNORECASE,
)
_COMPARISON = re.compile(r"\b(same period|a year (earlier|ago|before)|previous|prior)\b", re.I)
_ORDINAL_DAY = re.compile(r"^(?:on )?(?:the )?(\d{1,2})(?:st|nd|rd|th)?$", re.I)
_MONTH_RELATIVE_YEAR = re.compile(r"^(?:in )?(\w+),? (last|next|this) year$", re.I)
_WITHIN_CURRENT = re.compile(r"^(?:earlier|later|late|early) (?:this|in the) (month|year|week)$", re.I)
_SEASON = re.compile(r"^(?:(last|next|this|coming|past) )?(spring|summer|autumn|fall|winter)(?: (?:of )?(\d{4}))?$", re.I)
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}
_WEEKEND = re.compile(r"^(?:over (?:the )?)?(?:(last|next|this|coming|past) )?weekend$", re.I)
_PART_OF_DAY = re.compile(r"\s+(night|morning|evening|afternoon)$", re.I)
_LEAD = re.compile(
    r"^(?:on|in|at|during|since|by|from|of|until|the|this past|mid-|mid|early|late|"
    r"the end of|the beginning of|the start of|end of|start of)[\s-]+",
    re.I,
)


def _partial(year: int, month: int | None = None, day: int | None = None) -> str:
    if day is not None and month is not None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@functools.cache
def _parser(published: dt.date | None, future: bool):
    """A dateparser parser whose relative base is the publication date."""
    from dateparser.date import DateDataParser

    settings: dict = {"PREFER_DATES_FROM": "future" if future else "past"}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=4096)
def resolve(text: str, published: dt.date | None, *, future: bool = False) -> str | None:
    """The partial ISO date that `text` refers to, or None when it does not name a time.

    `future` says the verb it modifies is in the future tense, which picks the next
    occurrence of a bare month or weekday instead of the last one. A phrase the tagger ran on
    past a comma ("February 3, a day after they spoke") is read up to the comma.
    """
    found = _resolve(text, published, future=future)
    head, comma, rest = text.partition(",")
    if found is None and comma and not rest.strip()[:1].isdigit():
        found = _resolve(head, published, future=future)
    return found


def _resolve(text: str, published: dt.date | None, *, future: bool) -> str | None:
    phrase = " ".join(text.split()).rstrip(".,").replace("’s", "").replace("'s", "")
    phrase = _PART_OF_DAY.sub("", phrase)
    while (stripped := _LEAD.sub("", phrase)) != phrase:
        phrase = stripped
    if not phrase or _COMPARISON.search(phrase) or _DURATION.match(phrase):
        return None
    lowered = phrase.casefold()
    if match := _ORDINAL_DAY.match(lowered):
        day = int(match.group(1))
        if published is None or not 1 <= day <= 31:
            return None
        year, month = published.year, published.month
        if day > published.day and not future:
            year, month = _shift_month(year, month, -1)
        return _partial(year, month, day)
    if match := _MONTH_RELATIVE_YEAR.match(lowered):
        named = _MONTHS.get(match.group(1))
        if named is None or published is None:
            return None
        offset = {"last": -1, "next": 1, "this": 0}[match.group(2)]
        return _partial(published.year + offset, named)
    if match := _WITHIN_CURRENT.match(lowered):
        if published is None:
            return None
        unit = match.group(1)
        return _partial(published.year, published.month) if unit in {"month", "week"} else _partial(published.year)
    if match := _SEASON.match(lowered):
        return _season(match.group(1), match.group(2), match.group(3), published, future)
    if match := _WEEKEND.match(lowered):
        return _weekend(match.group(1), published, future)
    if lowered in {"year", "year-end"}:  # "by the end of the year"
        return _partial(published.year) if published is not None else None
    if lowered in _MONTHS:
        if published is None:
            return None
        month = _MONTHS[lowered]
        year = published.year
        if future and month < published.month:
            year += 1
        elif not future and month > published.month:
            year -= 1
        return _partial(year, month)
    if lowered in _WEEKDAYS:
        if published is None:
            return None
        # The most recent such day on or before publication: "on Wednesday" in a story
        # published on a Wednesday is that same day.
        delta = (published.weekday() - _WEEKDAYS[lowered]) % 7
        if future:
            when = published + dt.timedelta(days=(_WEEKDAYS[lowered] - published.weekday()) % 7)
        else:
            when = published - dt.timedelta(days=delta)
        return when.isoformat()
    return _with_dateparser(phrase, published, future)


def _season(which: str | None, season: str, year: str | None, published: dt.date | None, future: bool) -> str | None:
    """'next autumn', 'last spring', 'this summer', 'winter 2025': the year the season begins
    in (northern seasons; a season is too long for a month)."""
    if year is not None:
        return year
    if published is None:
        return None
    first, last = _SEASON_MONTHS[season.casefold()]
    month = published.month if published.month >= 3 or first != 12 else published.month + 12
    current = published.year - (1 if month > 12 else 0)  # January's winter began the year before
    if which in {"this", None} and first <= month <= last:
        return _partial(current)
    if which in {"next", "coming"} or (which is None and future):
        return _partial(current if first > month else current + 1)
    if which in {"last", "past"} or which is None:
        return _partial(current if last < month else current - 1)
    return _partial(current)


def _weekend(which: str | None, published: dt.date | None, future: bool) -> str | None:
    """'over the weekend', 'next weekend': the month of that weekend's Saturday."""
    if published is None:
        return None
    if which in {"next", "coming"} or (which in {None, "this"} and future):
        ahead = (5 - published.weekday()) % 7  # days to the coming Saturday, 0 on a Saturday
        if ahead == 0 and which == "next":
            ahead = 7
        saturday = published + dt.timedelta(days=ahead)
    else:
        saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
    return _partial(saturday.year, saturday.month)


def _with_dateparser(phrase: str, published: dt.date | None, future: bool) -> str | None:
    has_year = re.search(r"\b\d{4}\b", phrase) is not None
    if published is None and not has_year:
        return None  # relative or year-less: unresolvable without a publication date
    data = _parser(published, future).get_date_data(phrase)
    date_obj = data.date_obj
    if date_obj is None:
        return None
    parts = set(data.parts or ())
    if data.period == "day" and (parts >= {"day"} or not parts or parts >= {"year", "month", "day"}):
        return _partial(date_obj.year, date_obj.month, date_obj.day)
    if data.period in {"month", "week"} or "month" in parts:
        return _partial(date_obj.year, date_obj.month)
    return _partial(date_obj.year)


def is_after(partial: str | None, published: dt.date | None) -> bool:
    """True when a partial date lies wholly after the publication date."""
    if partial is None or published is None:
        return False
    published_text = published.isoformat()[: len(partial)]
    return partial > published_text


_SAME_TIME = re.compile(r"(?:later )?(?:the same|that) (?:day|morning|afternoon|evening|night)$"
                        r"|(?:within (?:hours|minutes)|(?:hours|minutes) later)$")
# Counted from the act last told, never from the day of publication: "two days later", "the day before".
_DAYS_APART = re.compile(
    r"(?:(a|one|two|three|four|five|six|seven|\d) days? (later|earlier|after|before)"
    r"|the (day|night) (before|after)|the (previous|next|following) day)$"
)
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def days_after_last_act(text: str) -> int | None:
    """How many days after the act last told a phrase says (0 for "the same day", -1 for "the
    day before"), or None when it is not counted from another act."""
    lowered = " ".join(text.lower().split())
    if _SAME_TIME.match(lowered):
        return 0
    if (match := _DAYS_APART.match(lowered)) is None:
        return None
    count, way, _part, part_way, which = match.groups()
    if count is not None:
        days = int(count) if count.isdigit() else _NUMBERS[count]
        return days if way in {"later", "after"} else -days
    return 1 if part_way == "after" or which in {"next", "following"} else -1
