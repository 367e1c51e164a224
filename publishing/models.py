"""What posts and talks share: the publishing base model and its queryset."""

import datetime
import uuid
from collections.abc import Mapping

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from images.fields import ContentImageField
from images.og import card_for
from images.responsive import stored_image_url
from publishing.dates import DATE_RANGE, format_day, in_range, validate_in_range
from publishing.filetypes import type_of_stored
from publishing.markdown import (
    MarkdownTooComplex,
    Rendered,
    check_markdown,
    plain_text,
    render_document,
)
from publishing.site_url import absolute_url
from publishing.slugs import SlugAddressed, URLSlugField


def served_urls(files: Mapping[str, str]) -> dict[str, str]:
    """What a body's references to imported files (by reference, their stored names)
    become in its HTML: images are shown only through renditions, made when a page first
    shows them (`images.responsive.body_with_pictures`), never as the stored original;
    other files are linked where media serves them."""
    return {
        reference: stored_image_url(name)
        if type_of_stored(name).is_image
        else default_storage.url(name)
        for reference, name in files.items()
        if name
    }


def validate_markdown(value: str) -> None:
    """Refuse, as a form error on the field, Markdown the pipeline would not render
    (publishing.markdown's limits on size, nesting, tables, footnotes)."""
    try:
        check_markdown(value)
    except MarkdownTooComplex as error:
        reason = str(error)
        raise ValidationError(
            "%(reason)s.",
            code="markdown_too_complex",
            params={"reason": reason[:1].upper() + reason[1:]},
        ) from None


# The front-matter formats content can come from (and be exported to), name -> label:
# the import/export engine registers them (frontmatter.formats). The field's choices read
# it when asked, so a new format needs no migration.
SOURCE_FORMATS: dict[str, str] = {}


def source_format_choices() -> list[tuple[str, str]]:
    return list(SOURCE_FORMATS.items())


class SourceTracked(models.Model):
    """Provenance of an item imported from a Markdown file, kept for lossless export."""

    source_dialect = models.CharField(
        "source format",
        max_length=20,
        choices=source_format_choices,
        blank=True,
        help_text="The front-matter format this item was imported from (and is exported to).",
    )
    source_path = models.CharField(
        "source file",
        max_length=500,
        blank=True,
        # Indexed: a re-import looks up which of its files were imported before.
        db_index=True,
        help_text="Path of the imported file, relative to the imported folder.",
    )
    source_extra = models.JSONField(
        "other front-matter keys",
        default=list,
        blank=True,
        help_text="Front-matter keys without a field of their own, as [key, value] pairs in "
        "their original order; exported back unchanged.",
    )
    source_front_matter = models.TextField(
        "original front matter",
        blank=True,
        help_text="The front matter exactly as it was imported, for byte-identical export.",
    )
    source_fingerprint = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text="Digest of the item as imported (publishing.fingerprints): while it "
        "matches, export writes the source file back unchanged.",
    )

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SlugQuerySet(models.QuerySet):
    def with_slug(self, slug: str):
        """Match a slug whatever its case, through the index of the case-insensitive
        unique constraint (`slug__iexact` scans the table on SQLite)."""
        return self.filter(slug__ci=slug)


class PublishableQuerySet(SlugQuerySet):
    def published(self):
        """What the public may see: published, not dated in the future, and dated in the
        site's range."""
        return self.filter(status=Status.PUBLISHED, date__lte=timezone.now()).dated_in_range()

    def dated_in_range(self):
        """Items whose dates the pages can show (publishing.dates): one dated outside the
        range got there past the checks (a bulk update, an older version) and stays
        hidden until an editor gives it a date in the range.

        Two comparisons rather than BETWEEN: SQLite's planner prefers a BETWEEN to other
        bounds on the date, and this one is the widest."""
        return self.filter(date__gte=DATE_RANGE[0], date__lte=DATE_RANGE[1])

    def without_texts(self):
        """Items for lists: without their Markdown, rendered HTML and source, the large
        columns a card does not show."""
        return self.defer(
            "body", "body_html", "excerpt_html", "source_front_matter", "source_extra"
        )

    def for_cards(self):
        """Only what the kind's cards in lists show; kinds whose cards show more (tags,
        the author) override it."""
        return self.without_texts()

    def published_years(self) -> list[datetime.date]:
        """The years (1 January, in the current time zone) with published items, newest
        first.

        `dates("date", "year")` truncates every row's date in Python (SQLite calls back
        into Django per row). Here the first and last items come from the date index, then
        one query counts, in one pass over the index, the published items of each year
        between them (a Count filtered by the year's bounds: one comparison pair per year,
        cheaper to build than a subquery per year)."""
        items = self.published().order_by()
        first = items.order_by("date").values_list("date", flat=True).first()
        if first is None:
            return []
        last = items.order_by("-date").values_list("date", flat=True).first()
        zone = timezone.get_current_timezone()
        first_year, last_year = (timezone.localtime(date, zone).year for date in (first, last))
        years = {first_year, last_year}
        if last_year - first_year > 1:
            starts = {
                year: datetime.datetime(year, 1, 1, tzinfo=zone)
                for year in range(first_year + 1, last_year + 1)
            }
            per_year = {
                f"y{year}": Count("pk", filter=Q(date__gte=start, date__lt=starts[year + 1]))
                for year, start in starts.items()
                if year < last_year
            }
            between = items.filter(date__gte=starts[first_year + 1], date__lt=starts[last_year])
            counts = between.aggregate(**per_year)
            years |= {int(key[1:]) for key, count in counts.items() if count}
        return [datetime.date(year, 1, 1) for year in sorted(years, reverse=True)]

    def tags(self):
        """The tags these items use: `published().tags()` are the tags the public may see."""
        return Tag.objects.filter(Exists(self.filter(tags=OuterRef("pk"))))


class Publishable(SlugAddressed, SourceTracked):
    """Fields and rules shared by blog posts and talks."""

    uuid = models.UUIDField(
        "UUID",
        default=uuid.uuid4,
        db_index=True,
        help_text="Stable identifier, kept from the source file. Not unique: real sites reuse "
        "one uuid in several files.",
    )
    title = models.CharField(max_length=300)
    slug = URLSlugField(
        help_text="Part of the address. Letters, digits, hyphens, underscores and dots.",
    )
    date = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        validators=[validate_in_range],
        help_text="Publication date. Items dated in the future stay hidden until then.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    language = models.CharField(
        max_length=20, blank=True, default="en_US", help_text="Locale, e.g. en_US or it_IT."
    )
    meta_title = models.CharField(
        "SEO title", max_length=300, blank=True, null=True, help_text="Overrides the page title."
    )
    meta_description = models.TextField(
        "SEO description",
        blank=True,
        null=True,
        help_text="Shown by search engines; falls back to the description.",
    )
    header_image = ContentImageField(
        help_text="JPEG, PNG, WebP or GIF. Shown at the top of the page, in lists and on "
        "the social card."
    )
    header_image_alt = models.CharField(
        "header image alt text",
        max_length=500,
        blank=True,
        help_text="Describe the image for people who cannot see it.",
    )
    og_image = ContentImageField(
        "social image",
        help_text="Shown when the page is shared; cropped to 1200 by 630 pixels around the "
        "focal point. Leave empty to have a card drawn from the title and header image.",
    )
    focal_x = models.FloatField(
        "focal point (x)",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 = left edge, 1 = right edge. Crops keep this point in view.",
    )
    focal_y = models.FloatField(
        "focal point (y)",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 = top edge, 1 = bottom edge. Click the preview to set both.",
    )
    body = models.TextField(
        blank=True,
        validators=[validate_markdown],
        help_text="Markdown (CommonMark). HTML is allowed.",
    )
    body_html = models.TextField(editable=False, blank=True)
    excerpt_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(blank=True)
    attachments = GenericRelation("publishing.Attachment")
    # Part of every shared preview link (publishing.previews); a new one revokes them.
    preview_token = models.CharField(max_length=32, blank=True, editable=False)
    # The rows behind `tags`, to prefetch in one plain query (taggit's own prefetch joins
    # through the content types with a DISTINCT).
    tagged_items = GenericRelation(TaggedItem)

    objects = PublishableQuerySet.as_manager()

    # What `render()` writes: bulk paths (the importer, render_markdown) save these.
    rendered_fields = ("body_html", "excerpt_html")

    class Meta:
        abstract = True
        ordering = ["-date"]
        get_latest_by = "date"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A caller that has just rendered the item (the importer: the body rendered in a
        # worker process, with the stored names of its files) is not made to again.
        if self.__dict__.pop("_rendered_body", None) != self.body:
            self.render()
            del self._rendered_body
        super().save(*args, **kwargs)

    def render(
        self, rendered: Rendered | None = None, files: Mapping[str, str] | None = None
    ) -> None:
        """Render the Markdown fields into their stored HTML (bulk paths call this too).

        `rendered` is the body already rendered by `render_document` and `files` the stored
        names of its attachments by reference (`attachment_files()`), when a caller has
        them."""
        if files is None:
            files = self.attachment_files()
        rendered = (rendered or render_document(self.body)).with_urls(served_urls(files))
        self.body_html = rendered.html
        self.excerpt_html = rendered.excerpt
        self._rendered_body = self.body

    def attachment_files(self) -> dict[str, str]:
        """Stored names of the imported files the body refers to, by reference as written."""
        if self.pk is None:
            return {}
        return {
            attachment.reference: attachment.file.name
            for attachment in self.attachments.all()
            if attachment.file
        }

    @property
    def is_published(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.date <= timezone.now()
            and self.is_dated_in_range
        )

    @property
    def publication_state(self) -> str:
        """What editors are told: "Draft", "Scheduled" (published, public from its date)
        or "Published" (the public sees it)."""
        if self.status != Status.PUBLISHED:
            return "Draft"
        return "Published" if self.is_published else "Scheduled"

    @property
    def is_dated_in_range(self) -> bool:
        """The test of `PublishableQuerySet.dated_in_range()` on one item."""
        return in_range(self.date)

    @property
    def when(self) -> str:
        """The item's day as pages show it ("25 June 2025", in the site's time zone);
        kinds whose date means more say so (`Talk.when`)."""
        return format_day(timezone.localdate(self.date)) if in_range(self.date) else ""

    @property
    def page_title(self) -> str:
        return self.meta_title or self.title

    @property
    def summary(self) -> str:
        """Plain-text description for meta tags and lists."""
        text = self.meta_description or getattr(self, "description", "") or ""
        if not text:
            text = plain_text(self.excerpt_html)
        return " ".join(text.split())

    @property
    def site_url(self) -> str:
        return absolute_url(self.get_absolute_url())

    @property
    def social_card_url(self) -> str:
        """Absolute URL of the 1200 by 630 social card; it changes when the card does."""
        path = reverse("images:og_card", kwargs={"kind": self._meta.model_name, "slug": self.slug})
        return absolute_url(f"{path}?v={card_for(self).key[:12]}")


class Attachment(models.Model):
    """A file an imported item refers to (an image, a PDF), stored under a content-hash
    name, and the reference to it exactly as the source wrote it ("./diagram.png",
    "/assets/images/x.png#full@1200-2761"), so the body keeps its text and export puts
    the file back where the reference points."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    reference = models.CharField(max_length=500)
    file = models.FileField(
        upload_to="files/",
        max_length=300,
        blank=True,
        help_text="Empty when the referenced file was missing at import.",
    )

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reference"], name="attachment_unique_ref"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.reference
