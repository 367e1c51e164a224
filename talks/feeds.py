"""RSS feed of the talks, newest first, with full descriptions and absolute URLs."""

from django.conf import settings
from django.urls import reverse

from publishing.feeds import CleanTextFeed
from publishing.site_url import absolute_url
from talks.models import Talk

FEED_SIZE = 30


class TalkFeed(CleanTextFeed):
    description_template = "feeds/talk_description.html"

    def title(self):
        return f"{settings.SITE_NAME}: talks"

    def description(self):
        return f"Talks, workshops and interviews: {settings.SITE_DESCRIPTION}"

    def link(self):
        return absolute_url(reverse("talks:list"))

    def feed_url(self):
        return absolute_url(reverse("talks:feed"))

    def items(self):
        return (
            Talk.objects.published()
            .select_related("author")
            .prefetch_related("tags")
            .order_by("-date")[:FEED_SIZE]
        )

    def item_title(self, item):
        where = " · ".join(part for part in (item.event_name, item.event_city) if part)
        return f"{item.title} ({where})" if where else item.title

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]
