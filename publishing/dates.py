"""The dates the site accepts for posts and talks: one range, checked on every input path.

Python's datetimes end at the years 1 and 9999: a moment near either end cannot be turned
into local time, nor have a day added to it, without an overflow, and a four-digit year is
what the blog's addresses and Django's date views expect. No post or talk of a real site
is dated outside 1900-2200, so import and admin refuse anything else, and the public
querysets leave out rows that are outside anyway (written before the check, or by a bulk
update), until an editor fixes them.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.dateformat import format as format_date

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2200, 12, 31)

EARLIEST = datetime.datetime.combine(FIRST_DAY, datetime.time.min, datetime.UTC)
LATEST = datetime.datetime.combine(LAST_DAY, datetime.time.max, datetime.UTC)
DATE_RANGE = (EARLIEST, LATEST)
YEARS = range(FIRST_DAY.year, LAST_DAY.year + 1)

OUT_OF_RANGE = f"Dates from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()} (UTC) only."


def in_range(moment: datetime.datetime | datetime.date | None) -> bool:
    """Whether a date or moment is one the site accepts (None is not)."""
    if moment is None:
        return False
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        # Compared, never converted: converting a moment near year 1 or 9999 overflows.
        return EARLIEST <= moment <= LATEST
    return FIRST_DAY <= moment <= LAST_DAY


def validate_in_range(moment: datetime.datetime | datetime.date | None) -> None:
    """Model-field validator: the admin shows the message on the field."""
    if moment is not None and not in_range(moment):
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


def year_in_range(value: str | int | None) -> int | None:
    """The year `value` names when it is one the site accepts, else None ("0", "abc",
    "99999999999999999999")."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if year in YEARS else None


# The format of a day everywhere on the site, posts' as talks' (Django's date format
# characters: the month name is translated).
DAY_FORMAT = "j F Y"


def format_day(day: datetime.date) -> str:
    """A day as the site shows it: "25 June 2025"."""
    return format_date(day, DAY_FORMAT)
