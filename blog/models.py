from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import strip_tags
from taggit.models import TaggedItem

from images.fields import ContentImageField
from people.models import Credit
from publishing.addresses import dated_slug_url, slug_url
from publishing.dates import DATE_RANGE, in_range, validate_in_range
from publishing.markdown import plain_text, render_markdown
from publishing.models import Publishable, PublishableQuerySet, validate_markdown
from publishing.site_url import absolute_url, site_url
from publishing.slugs import URLSlugField


class PostQuerySet(PublishableQuerySet):
    def dated_in_range(self):
        # The date of the last update is shown too.
        return (
            super()
            .dated_in_range()
            .filter(models.Q(updated__isnull=True) | models.Q(updated__range=DATE_RANGE))
        )

    def for_cards(self):
        """Only what a post card shows (blog.templatetags.posts): never the bodies."""
        return (
            self.select_related("author")
            .only(*CARD_FIELDS, "author__name", "author__slug")
            .with_tags()
        )

    def with_tags(self):
        """The posts' tags as `tag_list`, read straight from their tagged items: taggit's
        own prefetch joins through the content types with a DISTINCT."""
        return self.prefetch_related(
            models.Prefetch("tagged_items", queryset=tagged_items(), to_attr="tag_items")
        )


# Tags in their order of creation, as taggit's prefetch gives them on SQLite.
TAG_ORDER = ("tag_id", "pk")


def tagged_items():
    return TaggedItem.objects.select_related("tag").order_by(*TAG_ORDER)


# What a post card (blog.templatetags.posts) reads of a post (with its author's name and slug).
CARD_FIELDS = (
    "title",
    "slug",
    "date",
    "status",
    "updated",
    "author",
    "header_image",
    "header_image_alt",
    "focal_x",
    "focal_y",
    "meta_description",
    "description",
    "excerpt_text",
)


class Series(models.Model):
    """Posts meant to be read in order: each shows the series and where it stands in it,
    and the series has a page of its own."""

    title = models.CharField(max_length=200)
    slug = URLSlugField(unique=True, help_text="Part of the address: /blog/series/<slug>/.")
    description = models.TextField(
        blank=True, help_text="A sentence or two shown on the series' page (plain text)."
    )

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("blog:series", self.slug)

    def published_posts(self, including: "Post | None" = None):
        """Its public posts in reading order: by part number, then those without one by
        date. `including` a post that is not public (a preview) puts it in its place."""
        posts = self.posts.published()
        if including is not None:
            posts = self.posts.filter(
                models.Q(pk__in=posts.values("pk")) | models.Q(pk=including.pk)
            )
        return posts.order_by(models.F("series_part").asc(nulls_last=True), "date", "pk")


class Post(Publishable):
    """A blog post."""

    subtitle = models.CharField(max_length=500, blank=True, null=True)
    updated = models.DateTimeField(
        "last updated",
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text="Shown to readers when set.",
    )
    author_bio = models.CharField(
        "author bio line",
        max_length=500,
        blank=True,
        help_text="How the author is introduced on this post, e.g. “Principal Engineer”.",
    )
    description = models.TextField(blank=True, help_text="One or two sentences for lists.")
    tagline = models.TextField(
        blank=True, validators=[validate_markdown], help_text="Lead paragraph; HTML allowed."
    )
    tagline_html = models.TextField(editable=False, blank=True)
    # Derived from the body at render time, so that pages do not parse HTML to show them.
    excerpt_text = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    facebook_image = ContentImageField(help_text="Kept from imported sites that had one.")
    twitter_image = ContentImageField(help_text="Kept from imported sites that had one.")
    co_authors = models.ManyToManyField(
        "people.Person",
        through="PostCoAuthor",
        related_name="co_authored_posts",
        blank=True,
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        help_text="Posts meant to be read in order. Each shows the series and its place in it.",
    )
    series_part = models.PositiveSmallIntegerField(
        "part",
        null=True,
        blank=True,
        help_text="Its place in the series (1, 2, …). Posts without one follow by date.",
    )

    objects = PostQuerySet.as_manager()

    rendered_fields = (
        *Publishable.rendered_fields,
        "tagline_html",
        "excerpt_text",
        "word_count",
    )

    class Meta(Publishable.Meta):
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="post_slug_ci_unique"),
        ]
        indexes = [
            # Every list, feed and neighbour link: published posts by date, read in index
            # order instead of sorting the whole table. The sitemap's latest change and the
            # authors of public posts (`Person.published()`) are read from it alone: a
            # post's row is long, and these columns come after its bodies.
            models.Index(
                fields=["status", "date", "updated", "updated_at", "author"],
                name="post_status_date_idx",
            ),
        ]

    def get_absolute_url(self):
        # A date outside the range may have no local day (near the year 1 or 9999); such a
        # post is not public, and its address only has to be computable.
        day = timezone.localdate(self.date) if in_range(self.date) else self.date.date()
        return dated_slug_url("blog:post_detail", day.year, day.month, day.day, self.slug)

    @property
    def tag_list(self) -> list:
        """The post's tags, oldest tag first: those `with_tags()` prefetched, if it did."""
        items = getattr(self, "tag_items", None)
        if items is None:
            items = self.tagged_items.select_related("tag").order_by(*TAG_ORDER)
        return [item.tag for item in items]

    @property
    def is_dated_in_range(self) -> bool:
        return super().is_dated_in_range and (self.updated is None or in_range(self.updated))

    @property
    def summary(self) -> str:
        """Plain-text description for meta tags and lists."""
        text = self.meta_description or self.description or self.excerpt_text
        return " ".join(text.split())

    @property
    def reading_minutes(self) -> int:
        """Minutes a reader needs, at 230 words a minute."""
        return max(1, round(self.word_count / 230))

    def json_ld(self) -> dict:
        """schema.org BlogPosting for search engines."""
        # The credits the detail page prefetches, in credit order, with their people.
        credits = self.co_author_credits.all()
        authors = [self.author, *(credit.person for credit in credits)] if self.author else []
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": self.title,
            "description": self.summary,
            "url": self.site_url,
            "mainEntityOfPage": self.site_url,
            "datePublished": self.date.isoformat(),
            "dateModified": (self.updated or self.date).isoformat(),
            "image": {
                "@type": "ImageObject",
                "url": self.social_card_url,
                "width": 1200,
                "height": 630,
            },
            "author": [
                {
                    "@type": "Person",
                    "name": person.name,
                    "url": absolute_url(person.get_absolute_url()),
                }
                for person in authors
            ],
            "publisher": {
                "@type": "Organization",
                "name": settings.SITE_NAME,
                "url": site_url(),
            },
            "inLanguage": (self.language or "en").replace("_", "-"),
            "keywords": [tag.name for tag in self.tag_list],
        }
        return data

    def ordered_co_authors(self):
        """The co-authors as people, in credit order."""
        return self.co_authors.order_by("postcoauthor__position", "postcoauthor__pk")

    def render(self, rendered=None, files=None) -> None:
        super().render(rendered, files)
        self.tagline_html = render_markdown(self.tagline)
        self.excerpt_text = plain_text(self.excerpt_html)
        self.word_count = count_words(self.body_html)


def count_words(html: str) -> int:
    """The words a reader reads in rendered HTML."""
    return len(strip_tags(html).split())


class PostCoAuthor(Credit):
    """A co-author of a post, in order, as credited on that post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="co_author_credits")

    class Meta(Credit.Meta):
        verbose_name = "co-author"
        constraints = [
            models.UniqueConstraint(fields=["post", "person"], name="post_coauthor_unique"),
        ]
