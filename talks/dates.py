"""The days of a talk's event, read from `event_days` as the source wrote them, and the one
way the site shows a day or a range of days ("25 June 2025", "19–20 March 2024").

`event_days` is free text, kept byte for byte for export: "March 22 2016", "Nov 17, 2021",
"11 Mar, 2026", "June 09-10 2019", "19-20 March, 2024", "August 30 - September 2 2017".
`parse_event_days()` reads it into a `DayRange` when every word of it is part of a day, a
month or a year, and returns None for anything else, rather than guess: a list of days
("8, 10 March 2024") would read as a range that claims the days between, "03/04/2024" is
April in one country and March in another, and a range backwards or longer than
MAX_EVENT_DAYS is more likely a typo than an event. The caller shows such text as written.

A text without a year ("March 8-9") takes the year that puts its days nearest the talk's
own day, not simply that day's year: for a talk on 31 December 2024 or on 2 January 2025,
"Dec 30 - Jan 2" is 30 December 2024 – 2 January 2025, and "December 30" of a talk dated
3 January 2025 is 30 December 2024.

Parsed on the fly, not stored: it is a few regular-expression steps (cached), every
list that shows a talk already loads `event_days` and `date`, and a derived column would
go stale on the bulk paths (`update()`, `bulk_update()`) that skip `save()`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.dateformat import format as format_date

from publishing.dates import format_day, in_range

# Events that run longer are more likely a typo in a year or month than an event.
MAX_EVENT_DAYS = 31

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

# A number (a day may carry its ordinal: "1st"), a word and its abbreviation dot, a comma,
# or a dash of any width between two days.
_TOKEN_RE = re.compile(
    r"\s*(?:(?P<number>\d+)(?:st|nd|rd|th)?(?!\w)|(?P<word>[^\W\d_]+)\.?|(?P<comma>,)"
    r"|(?P<dash>[-‐‑‒–—]))",
    re.IGNORECASE,
)
_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Words that join the first day of a range to the last, as a dash does.
_RANGE_WORDS = frozenset({"to", "until", "till"})


@dataclass(frozen=True)
class DayRange:
    """The first and last day of an event, the same day for a one-day event."""

    start: datetime.date
    end: datetime.date


@dataclass
class _Day:
    """A day as written, some of its parts left for the other end of a range to give."""

    day: int | None = None
    month: int | None = None
    year: int | None = None


def format_day_range(days: DayRange) -> str:
    """A range as short as it reads unambiguously: "8 March 2024", "19–20 March 2024",
    "30 September – 2 October 2024", "30 December 2024 – 2 January 2025"."""
    start, end = days.start, days.end
    if start == end:
        return format_day(end)
    if start.year != end.year:
        return f"{format_day(start)} – {format_day(end)}"
    if start.month != end.month:
        return f"{format_date(start, 'j F')} – {format_day(end)}"
    return f"{format_date(start, 'j')}–{format_day(end)}"


@lru_cache(maxsize=4096)
def parse_event_days(text: str | None, near: datetime.date | None = None) -> DayRange | None:
    """The days `text` names, or None when it does not name days unambiguously.

    `near` is the talk's own day, in the site's time zone: it gives the year to a text
    without one (see the module's docstring); without it such a text is not read. Never
    raises: a text this cannot read is shown as written.
    """
    text = (text or "").strip()
    if not text:
        return None
    if _ISO_DAY_RE.fullmatch(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            return None
        return _checked(DayRange(day, day))
    sides = _read_sides(text)
    if sides is None:
        return None
    first, last = sides
    first.month = first.month or last.month
    last.month = last.month or first.month
    if first.day is None or last.day is None or first.month is None:
        return None
    if first.year is None and last.year is None:
        return _nearest(first, last, near)
    return _checked(_with_years(first, last))


def _read_sides(text: str) -> tuple[_Day, _Day] | None:
    """The first and last day as written, each side of the range's dash (the same day
    twice without a dash); None when a token is neither a day, a month nor a year."""
    sides: list[list[tuple[str, int]]] = [[]]
    position = 0
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip():
                return None
            break
        position = match.end()
        if match["comma"]:
            continue
        word = (match["word"] or "").lower()
        if match["dash"] or word in _RANGE_WORDS:
            sides.append([])
        elif word:
            if word not in _MONTHS:
                return None
            sides[-1].append(("month", _MONTHS[word]))
        else:
            number = match["number"]
            if len(number) == 4 and number == match[0].strip():
                sides[-1].append(("year", int(number)))
            elif len(number) <= 2:
                sides[-1].append(("day", int(number)))
            else:
                return None
    if len(sides) > 2:
        return None
    days = [_read_day(side) for side in sides]
    if None in days:
        return None
    if len(days) == 1:
        return days[0], _Day(days[0].day, days[0].month, days[0].year)
    return days[0], days[1]


# The orders a day is written in: "March 22 2016", "22 March 2016", and either end of a
# range that shares its month or year with the other ("19-20 March", "March 23-25 2021").
_DAY_SHAPES = {
    ("month", "day"),
    ("month", "day", "year"),
    ("day", "month"),
    ("day", "month", "year"),
    ("day",),
    ("day", "year"),
}


def _read_day(tokens: list[tuple[str, int]]) -> _Day | None:
    shape = tuple(kind for kind, _ in tokens)
    if shape not in _DAY_SHAPES:
        return None
    return _Day(**{kind: value for kind, value in tokens})


def _with_years(first: _Day, last: _Day) -> DayRange | None:
    """The range when one end at least has its year: the other end takes it, or the year
    before or after when the range crosses a new year ("Dec 30 - Jan 2, 2025")."""
    crosses_year = (first.month, first.day) > (last.month, last.day)
    if first.year is None:
        first.year = last.year - crosses_year
    if last.year is None:
        last.year = first.year + crosses_year
    return _range(first, last)


def _nearest(first: _Day, last: _Day, near: datetime.date | None) -> DayRange | None:
    """The range without a year placed in the year that puts it nearest `near`."""
    if near is None:
        return None
    crosses_year = (first.month, first.day) > (last.month, last.day)
    candidates = []
    # The talk's own year first: it wins a tie.
    for year in (near.year, near.year - 1, near.year + 1):
        first.year, last.year = year, year + crosses_year
        days = _checked(_range(first, last))
        if days is not None:
            distance = max(days.start - near, near - days.end, datetime.timedelta(0))
            candidates.append((distance, days))
    return min(candidates, key=lambda candidate: candidate[0], default=(None, None))[1]


def _range(first: _Day, last: _Day) -> DayRange | None:
    try:
        return DayRange(
            datetime.date(first.year, first.month, first.day),
            datetime.date(last.year, last.month, last.day),
        )
    except (TypeError, ValueError, OverflowError):
        return None


def _checked(days: DayRange | None) -> DayRange | None:
    """`days` when it reads as an event of the site's years, forwards and not too long."""
    if days is None or not (in_range(days.start) and in_range(days.end)):
        return None
    if not datetime.timedelta(0) <= days.end - days.start <= datetime.timedelta(MAX_EVENT_DAYS):
        return None
    return days
