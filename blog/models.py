from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from images.fields import ContentImageField
from people.models import Credit
from publishing.dates import DATE_RANGE, in_range, validate_in_range
from publishing.markdown import render_markdown
from publishing.models import Publishable, PublishableQuerySet, validate_markdown
from publishing.site_url import absolute_url, site_url


class PostQuerySet(PublishableQuerySet):
    def dated_in_range(self):
        # The date of the last update is shown too.
        return (
            super()
            .dated_in_range()
            .filter(models.Q(updated__isnull=True) | models.Q(updated__range=DATE_RANGE))
        )


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
    facebook_image = ContentImageField(help_text="Kept from imported sites that had one.")
    twitter_image = ContentImageField(help_text="Kept from imported sites that had one.")
    co_authors = models.ManyToManyField(
        "people.Person",
        through="PostCoAuthor",
        related_name="co_authored_posts",
        blank=True,
    )

    objects = PostQuerySet.as_manager()

    class Meta(Publishable.Meta):
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="post_slug_ci_unique"),
        ]

    def get_absolute_url(self):
        # A date outside the range may have no local day (near the year 1 or 9999); such a
        # post is not public, and its address only has to be computable.
        day = timezone.localdate(self.date) if in_range(self.date) else self.date.date()
        return reverse(
            "blog:post_detail",
            kwargs={
                "year": day.year,
                "month": day.month,
                "day": day.day,
                "slug": self.slug,
            },
        )

    @property
    def is_dated_in_range(self) -> bool:
        return super().is_dated_in_range and (self.updated is None or in_range(self.updated))

    @property
    def reading_minutes(self) -> int:
        """Minutes a reader needs, at 230 words a minute."""
        words = len(strip_tags(self.body_html).split())
        return max(1, round(words / 230))

    def json_ld(self) -> dict:
        """schema.org BlogPosting for search engines."""
        authors = [self.author, *self.ordered_co_authors()] if self.author else []
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
            "keywords": [tag.name for tag in self.tags.all()],
        }
        return data

    def ordered_co_authors(self):
        """The co-authors as people, in credit order."""
        return self.co_authors.order_by("postcoauthor__position", "postcoauthor__pk")

    def render(self, rendered=None, files=None) -> None:
        super().render(rendered, files)
        self.tagline_html = render_markdown(self.tagline)


class PostCoAuthor(Credit):
    """A co-author of a post, in order, as credited on that post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="co_author_credits")

    class Meta(Credit.Meta):
        verbose_name = "co-author"
        constraints = [
            models.UniqueConstraint(fields=["post", "person"], name="post_coauthor_unique"),
        ]
