"""RSS 2.0 and Atom feeds of the blog, with full content and absolute URLs."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.models import Post
from images.responsive import prefetch_body_renditions
from publishing.feeds import CleanTextFeed
from publishing.site_url import absolute_url
from publishing.tags import public_tags

# The newest posts, in full: what feed readers show. Ten keep a feed of 2,000-word posts
# near 200 KB.
FEED_SIZE = 10


class PostFeed(CleanTextFeed):
    description_template = "feeds/item_description.html"

    def title(self):
        return f"{settings.SITE_NAME}: blog"

    def description(self):
        return settings.SITE_DESCRIPTION

    def link(self):
        return absolute_url(reverse("blog:post_list"))

    def feed_url(self):
        return absolute_url(reverse("blog:feed"))

    def posts(self):
        return (
            Post.objects.published()
            .defer("body", "tagline", "source_front_matter", "source_extra")
            .select_related("author")
            .with_tags()
            .order_by("-date")
        )

    def items(self):
        return self.shown(self.posts())

    def shown(self, posts):
        """The newest of `posts`, the renditions of their images loaded in one query (the
        descriptions show whole bodies)."""
        posts = list(posts[:FEED_SIZE])
        prefetch_body_renditions(posts)
        return posts

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.updated or item.date

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]


class AtomPostFeed(PostFeed):
    feed_type = Atom1Feed
    subtitle = PostFeed.description

    def feed_url(self):
        return absolute_url(reverse("blog:atom"))


class TagPostFeed(PostFeed):
    """The posts of one tag: every tag with a page has one (empty while only talks use
    it), as tag pages link it."""

    def get_object(self, request, tag):
        return get_object_or_404(public_tags(), slug=tag)

    def title(self, tag):
        return f"{settings.SITE_NAME}: posts tagged {tag.name}"

    def link(self, tag):
        return absolute_url(reverse("blog:tag", kwargs={"tag": tag.slug}))

    def feed_url(self, tag):
        return absolute_url(reverse("blog:tag_feed", kwargs={"tag": tag.slug}))

    def items(self, tag):
        return self.shown(self.posts().filter(tags=tag))
