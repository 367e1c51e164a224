"""RSS feed of the talks, newest first (upcoming ones included), with full descriptions
and absolute URLs."""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from images.responsive import prefetch_body_renditions
from publishing.feeds import CleanTextFeed
from publishing.site_url import absolute_url
from talks.models import Talk

# The newest talks, in full, as the blog's feed (blog.feeds): ten keep a feed of talks
# with 2,000-word descriptions near 200 KB. The speaking page and the calendars list the rest.
FEED_SIZE = 10


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
        talks = list(
            Talk.objects.published()
            .defer("body", "excerpt_html", "source_front_matter", "source_extra")
            .select_related("author")
            # A list, not the manager's cache: taggit builds a query per talk to fill that.
            .prefetch_related(Prefetch("tags", to_attr="tag_list"))
            .order_by("-date", "-pk")[:FEED_SIZE]
        )
        # The descriptions show the bodies' images: their renditions in one query.
        prefetch_body_renditions(talks)
        return talks

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
        return [tag.name for tag in item.tag_list]
