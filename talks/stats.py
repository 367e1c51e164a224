"""The numbers and charts of the speaking page.

The summary and the histogram describe every talk the filters select, counted by the
database (`TalkCounts`: a row per year and per place, however many talks there are); the
map shows the talks the page lists. Geometry is in each chart's own viewBox units;
templates draw it as inline SVG (``templates/talks/includes/``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import BooleanField, Case, Count, Expression, Q, QuerySet, Value, When
from django.utils import timezone

from talks import maps
from talks.models import Talk, country_of, is_remote_place, local_year


def _year(talk: Talk) -> int:
    # The year as the site shows it, in the site's time zone.
    return timezone.localtime(talk.date).year


@dataclass(frozen=True)
class TalkCounts:
    """How many talks there are per year (in the site's time zone, past and upcoming apart)
    and per `event_city`, counted by the database: a row per year, upcoming or not, and
    place, however many talks there are."""

    past: Counter[int]
    upcoming: Counter[int]
    cities: Counter[str]

    @classmethod
    def of(cls, talks: QuerySet[Talk], year: Expression | None = None) -> TalkCounts:
        """`year` is `local_year()` of these talks or of more (found when not given)."""
        talks = talks.order_by()
        is_upcoming = Case(
            When(Q(date__gte=timezone.now()), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        rows = (
            talks.annotate(year=local_year(talks) if year is None else year, upcoming=is_upcoming)
            .values_list("year", "upcoming", "event_city")
            .annotate(count=Count("pk"))
        )
        past: Counter[int] = Counter()
        upcoming: Counter[int] = Counter()
        cities: Counter[str] = Counter()
        for row_year, row_is_upcoming, city, count in rows:
            (upcoming if row_is_upcoming else past)[row_year] += count
            cities[city or ""] += count
        return cls(past=past, upcoming=upcoming, cities=cities)

    @property
    def years(self) -> set[int]:
        return {year for year, count in (self.past + self.upcoming).items() if count}


@dataclass(frozen=True)
class SpeakingSummary:
    """How many talks, since when, in how many countries, and how many were remote."""

    talks: int
    since: int | None
    countries: int
    remote: int

    @classmethod
    def of(cls, counts: TalkCounts) -> SpeakingSummary:
        return cls(
            talks=counts.cities.total(),
            since=min(counts.years, default=None),
            countries=len({country_of(city) for city in counts.cities} - {None}),
            remote=sum(count for city, count in counts.cities.items() if is_remote_place(city)),
        )

    @property
    def sentence(self) -> str:
        """ "12 talks since 2017 in 4 countries and 3 remote."""
        if not self.talks:
            return "No talks yet."
        text = f"{self.talks} talk{'s' if self.talks != 1 else ''} since {self.since}"
        if self.countries:
            text += f" in {self.countries} countr{'ies' if self.countries != 1 else 'y'}"
            if self.remote:
                text += f" and {self.remote} remote"
        elif self.remote == self.talks:
            text += ", all remote"
        elif self.remote:
            text += f", {self.remote} remote"
        return text + "."


@dataclass(frozen=True)
class YearBar:
    """One year of the histogram: past talks at the bottom, upcoming ones stacked on top."""

    year: int
    past: int
    upcoming: int
    x: float
    width: float
    baseline: float
    past_height: float
    upcoming_height: float
    minor: bool  # a label that narrow screens may hide to keep the others readable

    @property
    def total(self) -> int:
        return self.past + self.upcoming

    @property
    def past_y(self) -> float:
        return round(self.baseline - self.past_height, 2)

    @property
    def upcoming_y(self) -> float:
        return round(self.past_y - self.upcoming_height, 2)

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 2)

    @property
    def label_y(self) -> float:
        """Where the count is written, just above the bar."""
        return round(self.upcoming_y - 4, 2)


@dataclass(frozen=True)
class YearHistogram:
    """Talks per year, from the first year to the last, with the empty years of short
    breaks; a longer break is left out, so that one talk dated decades away from the
    others adds one bar, not one per year in between."""

    SLOT = 40  # width given to each year
    BAR = 28
    TOP = 18  # room for the count above the tallest bar
    PLOT = 120
    BOTTOM = 22  # room for the year below the bars
    # Past this many years, every other year label is marked minor.
    MANY_YEARS = 8
    # Up to this many years without talks in a row are drawn as empty slots.
    LONGEST_BREAK = 5

    bars: list[YearBar]

    @classmethod
    def of(cls, counts: TalkCounts) -> YearHistogram:
        past, upcoming = counts.past, counts.upcoming
        years = cls._years_drawn(past.keys() | upcoming.keys())
        if not years:
            return cls(bars=[])
        tallest = max((past[year] + upcoming[year] for year in years), default=1)
        scale = cls.PLOT / tallest
        baseline = cls.TOP + cls.PLOT
        many = len(years) > cls.MANY_YEARS
        bars = [
            YearBar(
                year=year,
                past=past[year],
                upcoming=upcoming[year],
                x=index * cls.SLOT + (cls.SLOT - cls.BAR) / 2,
                width=cls.BAR,
                baseline=baseline,
                past_height=round(past[year] * scale, 2),
                upcoming_height=round(upcoming[year] * scale, 2),
                # Counted from the last year, so the most recent one always keeps its label.
                minor=many and (len(years) - 1 - index) % 2 == 1,
            )
            for index, year in enumerate(years)
        ]
        return cls(bars=bars)

    @classmethod
    def _years_drawn(cls, with_talks: Iterable[int]) -> list[int]:
        """The years with talks, in order, and the empty years of the short breaks between
        them: at most LONGEST_BREAK + 1 slots per year with talks."""
        years: list[int] = []
        for year in sorted(with_talks):
            if years and year - years[-1] <= cls.LONGEST_BREAK + 1:
                years.extend(range(years[-1] + 1, year))
            years.append(year)
        return years

    @property
    def width(self) -> int:
        return max(len(self.bars), 1) * self.SLOT

    @property
    def height(self) -> int:
        return self.TOP + self.PLOT + self.BOTTOM

    @property
    def year_label_y(self) -> int:
        return self.TOP + self.PLOT + 16

    @property
    def has_upcoming(self) -> bool:
        return any(bar.upcoming for bar in self.bars)

    @property
    def description(self) -> str:
        """The chart in words, for screen readers."""
        if not self.bars:
            return "No talks."
        busiest = max(self.bars, key=lambda bar: (bar.total, bar.year))
        return (
            f"Talks per year from {self.bars[0].year} to {self.bars[-1].year}; the busiest "
            f"year is {busiest.year} with {busiest.total}."
        )


@dataclass(frozen=True)
class Marker:
    """A talk on the map, in map coordinates."""

    x: float
    y: float
    talk: Talk

    @property
    def tooltip(self) -> str:
        event = self.talk.event_name or self.talk.event_city
        text = f"{event} — {self.talk.title}" if event else self.talk.title
        return f"{text} ({_year(self.talk)})"


@dataclass(frozen=True)
class Place:
    """Talks given at one place, for the map's text alternative."""

    name: str
    talks: list[Talk]


@dataclass(frozen=True)
class WorldMap:
    """A marker per talk with coordinates, on Natural Earth's coastlines."""

    WIDTH = maps.WIDTH
    HEIGHT = maps.HEIGHT

    markers: list[Marker]

    @classmethod
    def of(cls, talks: Iterable[Talk]) -> WorldMap:
        located = [
            talk for talk in talks if talk.latitude is not None and talk.longitude is not None
        ]
        # Oldest first, so the newest talks are drawn on top.
        located.sort(key=lambda talk: talk.date)
        return cls(
            markers=[
                Marker(*maps.project(talk.latitude, talk.longitude), talk) for talk in located
            ]
        )

    @property
    def has_upcoming(self) -> bool:
        return any(marker.talk.is_upcoming for marker in self.markers)

    @property
    def land_path(self) -> str:
        return maps.land_path()

    @property
    def places(self) -> list[Place]:
        """Markers grouped by the city (else the venue) written on the talks, A to Z."""

        def place_name(marker: Marker) -> str:
            return " ".join(
                (marker.talk.event_city or marker.talk.event_location or "Unnamed place").split()
            )

        markers = sorted(
            self.markers, key=lambda marker: (place_name(marker).casefold(), marker.talk.date)
        )
        places = []
        for _, group in groupby(markers, key=lambda marker: place_name(marker).casefold()):
            group = list(group)
            places.append(Place(place_name(group[0]), [marker.talk for marker in group]))
        return places

    @property
    def description(self) -> str:
        count = len(self.markers)
        places = len(self.places)
        return (
            f"World map with {count} talk{'s' if count != 1 else ''} in "
            f"{places} place{'s' if places != 1 else ''}."
        )
