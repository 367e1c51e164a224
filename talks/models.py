import datetime
import hashlib
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from people.models import Credit
from publishing.addresses import slug_url
from publishing.dates import format_day, validate_in_range
from publishing.links import embeddable_url, http_url
from publishing.models import Publishable, PublishableQuerySet, Status
from publishing.site_url import absolute_url
from talks.dates import DayRange, format_day_range, parse_event_days
from talks.embeds import Frame, video_embed_url, video_provider

# A bracketed suffix, "(interview)" or "[workshop]", and a format named after a spaced dash or a
# colon, " - workshop": the same talk given in another format is still the same talk.
_BRACKETED_SUFFIX_RE = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])\s*$")
_FORMAT_SUFFIX_RE = re.compile(
    r"(?:\s+[-–—|]|\s*:)\s*(?:workshop|interview|panel|keynote|webinar|podcast|lightning talk|"
    r"live(?: stream)?)\s*$",
    re.IGNORECASE,
)
_APOSTROPHES_RE = re.compile(r"['’‘`´]")


def normalise_title(title: str) -> str:
    """The part of a title that names the talk, for grouping the events it was given at.

    Lower-cased, without accents, apostrophes or punctuation, and without a trailing
    bracketed note or format ("(interview)", " – Workshop"): "It’s about time to embrace
    Streams (workshop)" and "It's about time to embrace streams!" give the same text.
    """
    text = " ".join((title or "").split())
    while True:
        shorter = _FORMAT_SUFFIX_RE.sub("", _BRACKETED_SUFFIX_RE.sub("", text))
        if shorter == text or not shorter:
            # A title that is nothing but a note, "(Interview)", keeps it.
            break
        text = shorter
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _APOSTROPHES_RE.sub("", text)
    return " ".join("".join(char if char.isalnum() else " " for char in text).split())


def edition_key_of(title: str, talk_group: str) -> str:
    """The key shared by the editions of one talk, stored and indexed on each talk.

    The editor's `talk_group` when set (spaces and case ignored), else the normalised
    title; empty when neither names the talk. A digest, so that the key of any title fits
    one short indexed column.
    """
    if group := " ".join((talk_group or "").split()).casefold():
        key = f"group:{group}"
    elif title := normalise_title(title):
        key = f"title:{title}"
    else:
        return ""
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()


REMOTE_PLACES = frozenset({"remote", "online", "virtual"})


def is_remote_place(city: str | None) -> bool:
    """Whether an `event_city` says the talk was given online."""
    return (city or "").strip().lower() in REMOTE_PLACES


def country_of(city: str | None) -> str | None:
    """The last part of “City, Country”, lower-cased; None for remote or unknown places."""
    if is_remote_place(city):
        return None
    return " ".join((city or "").split(",")[-1].split()).casefold() or None


def language_code(value: str | None) -> str:
    """The primary language of a locale: "it_IT" and "it-it" give "it"."""
    return (value or "").strip().replace("-", "_").split("_")[0].lower()


def parse_gps(value: str | None) -> tuple[float, float] | None:
    """Parse `"lat,lng"` as written in front matter; None when empty.

    Raises ValueError with a readable message when the value is not two numbers in range.
    """
    if value is None or not str(value).strip():
        return None
    parts = str(value).split(",")
    if len(parts) != 2:
        raise ValueError(f"expected 'latitude,longitude', got {value!r}")
    try:
        latitude, longitude = (float(part) for part in parts)
    except ValueError:
        raise ValueError(f"expected two numbers 'latitude,longitude', got {value!r}") from None
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude} is outside -90..90")
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude} is outside -180..180")
    return latitude, longitude


def local_year(talks: QuerySet) -> Case | Value:
    """An expression for the year of a talk's date in the site's time zone, for the range
    of years the given talks span (one query finds it, through the date index).

    `ExtractYear` does the same, but SQLite runs it as a Python function, row by row, a
    cost that grows with the talks; these comparisons run inside the database.
    """
    span = talks.order_by().aggregate(first=Min("date"), last=Max("date"))
    if span["first"] is None:
        return Value(None, output_field=IntegerField())
    zone = timezone.get_current_timezone()
    first, last = (timezone.localtime(span[end], zone).year for end in ("first", "last"))
    return Case(
        *(
            When(date__lt=datetime.datetime(year + 1, 1, 1, tzinfo=zone), then=Value(year))
            for year in range(first, last)
        ),
        default=Value(last),
        output_field=IntegerField(),
    )


class TalkQuerySet(PublishableQuerySet):
    def published(self):
        """What the public may see: published talks, upcoming ones included.

        A talk's date is the day of the event, not a publication date: talks are announced
        before they are given.
        """
        return self.filter(status=Status.PUBLISHED).dated_in_range()

    def upcoming(self):
        return self.filter(date__gte=timezone.now())

    def past(self):
        return self.filter(date__lt=timezone.now())

    def spoken_in(self, code: str):
        """Talks given in a language ("it"): the presentation language, else the language."""
        spoken = Lower(Coalesce(NullIf("presentation_language", Value("")), "language"))
        return self.alias(spoken_language=spoken).filter(
            Q(spoken_language=code)
            | Q(spoken_language__startswith=f"{code}_")
            | Q(spoken_language__startswith=f"{code}-")
        )


class Talk(Publishable):
    """A talk, workshop, panel or interview given at an event."""

    date = models.DateTimeField(
        "date of the talk",
        default=timezone.now,
        db_index=True,
        validators=[validate_in_range],
        help_text="When the talk is (or was) given. Published talks are public, upcoming "
        "ones included.",
    )
    presentation_language = models.CharField(
        max_length=20, blank=True, help_text="Language the talk is given in, e.g. en_US."
    )
    event_name = models.CharField(max_length=300, blank=True)
    event_link = models.CharField(max_length=500, blank=True, null=True)
    event_location = models.CharField(
        "venue", max_length=500, blank=True, null=True, help_text="Venue and address, or Remote."
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    event_city = models.CharField(
        max_length=200, blank=True, help_text="“City, Country”, or “remote”."
    )
    event_days = models.CharField(
        max_length=200,
        blank=True,
        help_text="The event's days as you would write them: “March 8-9 2024”, “8 March, "
        "2024”. Pages show them as posts' dates are shown (“8–9 March 2024”; without a year, "
        "the year of the talk's date); text they cannot read as days is shown as written.",
    )
    is_workshop = models.BooleanField("workshop", default=False)
    slides_link = models.CharField(max_length=500, blank=True, null=True)
    embed_slides = models.CharField(
        "slides embed URL", max_length=500, blank=True, null=True, help_text="Shown in a frame."
    )
    video_link = models.CharField(max_length=500, blank=True, null=True)
    podcast_link = models.CharField(max_length=500, blank=True, null=True)
    podcast_embed = models.CharField("podcast player URL", max_length=500, blank=True, null=True)
    talk_group = models.CharField(
        "same talk as",
        max_length=200,
        blank=True,
        help_text="Talks given more than once are grouped by title automatically (case, "
        "accents, punctuation and notes such as “(workshop)” ignored) and listed as “Also "
        "given at”. A value here overrides that: talks with the same value are the same "
        "talk, e.g. “streams” on every edition of a talk that was renamed. Give a talk a "
        "value of its own to keep it apart from talks with a similar title.",
    )
    edition_key = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="Talks with the same key are editions of one talk (talks.models."
        "edition_key_of), computed from the title and “same talk as” at every save.",
    )
    guests = models.ManyToManyField(
        "people.Person", through="TalkGuest", related_name="guest_talks", blank=True
    )

    objects = TalkQuerySet.as_manager()

    class Meta(Publishable.Meta):
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="talk_slug_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="talk_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="talk_longitude_range",
            ),
        ]
        indexes = [
            # The speaking page, feeds, calendar and sitemap list published talks by date;
            # the speaking page's counts and filters, the sitemap's latest change and the
            # speakers of public talks (`Person.published()`) read only these columns, from
            # the index (a talk's row is long: its bodies come before these fields).
            models.Index(
                fields=[
                    "status",
                    "date",
                    "event_city",
                    "is_workshop",
                    "presentation_language",
                    "language",
                    "updated_at",
                    "author",
                ],
                name="talk_listing_idx",
            ),
            # A person's public talks (`Person.published()`, their pages): without it the
            # listing index above looks the better choice to SQLite, and reads every row.
            models.Index(fields=["author", "status", "date"], name="talk_author_idx"),
            # "Also given at": the other editions of a talk, newest first.
            models.Index(fields=["edition_key", "date"], name="talk_edition_date_idx"),
        ]

    def save(self, *args, **kwargs):
        self.edition_key = edition_key_of(self.title, self.talk_group)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "talk_group"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "edition_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("talks:detail", self.slug)

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both latitude and longitude, or neither.")

    @property
    def gps(self) -> str | None:
        if self.latitude is None or self.longitude is None:
            return None
        return f"{self.latitude!r},{self.longitude!r}"

    @gps.setter
    def gps(self, value: str | None) -> None:
        self.latitude, self.longitude = parse_gps(value) or (None, None)

    def ordered_guests(self):
        """The guests as people, in credit order (`guests.all()` follows Person's ordering)."""
        return self.guests.order_by("talkguest__position", "talkguest__pk")

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED and self.is_dated_in_range

    @property
    def local_day(self) -> datetime.date | None:
        """The day of the talk in the site's time zone (as stored when out of range)."""
        if self.date is None:
            return None
        return (timezone.localtime(self.date) if self.is_dated_in_range else self.date).date()

    @property
    def event_dates(self) -> DayRange | None:
        """The event's days read from `event_days` (talks.dates); None when the text does
        not name days unambiguously, or is empty."""
        if not self.event_days:
            return None
        return parse_event_days(self.event_days, near=self.local_day)

    @property
    def when(self) -> str:
        """The talk's date as every page, card, feed and calendar shows it, in the format of
        posts' dates: the event's days ("19–20 March 2024"), else `event_days` as written
        when it cannot be read, else the day of the talk in the site's time zone."""
        if days := self.event_dates:
            return format_day_range(days)
        if self.event_days:
            return self.event_days
        return format_day(day) if (day := self.local_day) else ""

    @property
    def when_as_written(self) -> str:
        """`event_days` as the source wrote it when `when` shows it otherwise (a tooltip
        keeps it in sight); empty when they read the same."""
        written = self.event_days or ""
        return written if written.strip() and written != self.when else ""

    @property
    def is_upcoming(self) -> bool:
        return self.date >= timezone.now()

    @property
    def is_remote(self) -> bool:
        return is_remote_place(self.event_city)

    @property
    def country(self) -> str | None:
        """The last part of “City, Country”, lower-cased; None for remote or unknown places."""
        return country_of(self.event_city)

    @property
    def spoken_language(self) -> str:
        """Primary language the talk is given in ("it"): presentation language, else language."""
        return language_code(self.presentation_language or self.language)

    def other_editions(self) -> list["Talk"]:
        """The same talk given at other events (published only), newest first: the talks
        with the same stored `edition_key`, found through its index."""
        if not self.edition_key:
            return []
        return list(
            Talk.objects.published()
            .filter(edition_key=self.edition_key)
            .exclude(pk=self.pk)
            .only(
                "title",
                "slug",
                "date",
                "event_name",
                "event_days",
                "event_city",
                "is_workshop",
            )
            .order_by("-date", "-pk")
        )

    @property
    def event_url(self) -> str | None:
        return http_url(self.event_link)

    @property
    def slides_url(self) -> str | None:
        return http_url(self.slides_link)

    @property
    def slides_embed_url(self) -> str | None:
        return embeddable_url(self.embed_slides)

    @property
    def video_url(self) -> str | None:
        return http_url(self.video_link)

    @property
    def video_embed_url(self) -> str | None:
        """Privacy-friendly player of a YouTube or Vimeo video_link (see talks.embeds)."""
        return video_embed_url(self.video_link)

    @property
    def podcast_url(self) -> str | None:
        return http_url(self.podcast_link)

    @property
    def podcast_embed_url(self) -> str | None:
        return embeddable_url(self.podcast_embed)

    @property
    def video_frame(self) -> Frame | None:
        if not (src := self.video_embed_url):
            return None
        return Frame(
            kind="video",
            src=src,
            link=self.video_url,
            link_text=f"Watch on {video_provider(self.video_link)}",
            title=f"Video: {self.title}",
        )

    @property
    def slides_frame(self) -> Frame | None:
        if not (src := self.slides_embed_url):
            return None
        return Frame(
            kind="slides",
            src=src,
            link=self.slides_url or src,
            link_text="Open the slides",
            title=f"Slides: {self.title}",
        )

    @property
    def podcast_frame(self) -> Frame | None:
        if not (src := self.podcast_embed_url):
            return None
        return Frame(
            kind="podcast",
            src=src,
            link=self.podcast_url or src,
            link_text="Listen to the episode",
            title=f"Podcast: {self.title}",
        )

    @property
    def map_url(self) -> str | None:
        if self.latitude is None or self.longitude is None:
            return None
        return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=15/{self.latitude}/{self.longitude}"

    def json_ld(self) -> dict:
        """schema.org Event for search engines; render with the `json_ld` filter.

        Guests come from `guest_credits` (prefetch it with the person on detail pages).
        """
        start = timezone.localtime(self.date)
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            # A midnight time means only the day is known (as in the calendar feed).
            "startDate": (
                start.date().isoformat() if start.time() == datetime.time(0) else start.isoformat()
            ),
            "url": self.site_url,
            "description": self.summary,
            "image": self.social_card_url,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/"
            + ("OnlineEventAttendanceMode" if self.is_remote else "OfflineEventAttendanceMode"),
        }
        if language := (self.presentation_language or self.language):
            data["inLanguage"] = language.replace("_", "-")
        if location := self._json_ld_location():
            data["location"] = location
        performers = [_json_ld_person(self.author)] if self.author else []
        performers += [
            _json_ld_person(credit.person, credit.link_url) for credit in self.guest_credits.all()
        ]
        if performers:
            data["performer"] = performers
        if self.event_name:
            # The conference or meetup the talk is part of; its organiser is not recorded.
            super_event = {"@type": "Event", "name": self.event_name}
            if self.event_url:
                super_event["url"] = self.event_url
            if days := self.event_dates:
                super_event["startDate"] = days.start.isoformat()
                super_event["endDate"] = days.end.isoformat()
            data["superEvent"] = super_event
        return data

    def _json_ld_location(self) -> dict | None:
        if self.is_remote:
            return {"@type": "VirtualLocation", "url": self.event_url or self.site_url}
        name = self.event_location or self.event_city or self.event_name
        if not name:
            return None
        place = {"@type": "Place", "name": name, "address": self.event_city or name}
        if self.latitude is not None and self.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": self.latitude,
                "longitude": self.longitude,
            }
        return place


def _json_ld_person(person, link: str | None = None) -> dict:
    data = {
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(person.get_absolute_url()),
    }
    if same_as := link or person.link_url:
        data["sameAs"] = same_as
    return data


class TalkGuest(Credit):
    """A guest who joined a talk, in order, as credited on that talk."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="guest_credits")

    class Meta(Credit.Meta):
        verbose_name = "guest"
        constraints = [
            models.UniqueConstraint(fields=["talk", "person"], name="talk_guest_unique"),
        ]
