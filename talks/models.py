from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from people.models import Credit
from publishing.links import embeddable_url, http_url
from publishing.models import Publishable, PublishableQuerySet, Status


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


class TalkQuerySet(PublishableQuerySet):
    def published(self):
        """What the public may see: published talks, upcoming ones included.

        A talk's date is the day of the event, not a publication date: talks are announced
        before they are given.
        """
        return self.filter(status=Status.PUBLISHED)

    def upcoming(self):
        return self.filter(date__gte=timezone.now())

    def past(self):
        return self.filter(date__lt=timezone.now())


class Talk(Publishable):
    """A talk, workshop, panel or interview given at an event."""

    date = models.DateTimeField(
        "date of the talk",
        default=timezone.now,
        db_index=True,
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
        max_length=200, blank=True, help_text="Free text, exactly as shown: “March 8-9 2024”."
    )
    is_workshop = models.BooleanField("workshop", default=False)
    slides_link = models.CharField(max_length=500, blank=True, null=True)
    embed_slides = models.CharField(
        "slides embed URL", max_length=500, blank=True, null=True, help_text="Shown in a frame."
    )
    video_link = models.CharField(max_length=500, blank=True, null=True)
    podcast_link = models.CharField(max_length=500, blank=True, null=True)
    podcast_embed = models.CharField("podcast player URL", max_length=500, blank=True, null=True)
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

    def get_absolute_url(self):
        return reverse("talks:detail", kwargs={"slug": self.slug})

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
        return self.status == Status.PUBLISHED

    @property
    def is_upcoming(self) -> bool:
        return self.date >= timezone.now()

    @property
    def is_remote(self) -> bool:
        return (self.event_city or "").strip().lower() in {"remote", "online", "virtual"}

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
    def podcast_url(self) -> str | None:
        return http_url(self.podcast_link)

    @property
    def podcast_embed_url(self) -> str | None:
        return embeddable_url(self.podcast_embed)

    @property
    def map_url(self) -> str | None:
        if self.latitude is None or self.longitude is None:
            return None
        return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=15/{self.latitude}/{self.longitude}"


class TalkGuest(Credit):
    """A guest who joined a talk, in order, as credited on that talk."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="guest_credits")

    class Meta(Credit.Meta):
        verbose_name = "guest"
        constraints = [
            models.UniqueConstraint(fields=["talk", "person"], name="talk_guest_unique"),
        ]
