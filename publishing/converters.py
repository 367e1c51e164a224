"""Path converters for the site's URLs."""

from publishing.dates import year_in_range
from publishing.slugs import SLUG_PATTERN, TAG_SLUG_PATTERN


class URLSlugConverter:
    """Matches `URLSlugField` values (capitals, dots and underscores included)."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TagSlugConverter:
    """Matches tag slugs, letters of every script included (`café`, `日本語`): taggit's
    `slugify(allow_unicode=True)` makes them so; `reverse()` percent-encodes them."""

    regex = TAG_SLUG_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TwoDigitConverter:
    """A zero-padded month or day, as in /blog/2024/03/07/…"""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str | int) -> str:
        return f"{int(value):02d}"


class YearConverter:
    """A year the site accepts (publishing.dates), as in /blog/2024/: any other number is
    no page (Django's date views overflow on a day of the year 9999)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = year_in_range(value)
        if year is None:
            raise ValueError(f"{value} is not a year of the site")
        return year

    def to_url(self, value: str | int) -> str:
        return f"{int(value):04d}"
