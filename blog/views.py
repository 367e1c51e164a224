from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DateDetailView, DetailView, ListView, YearArchiveView

from blog.models import Post, PostCoAuthor, Series
from images.responsive import prefetch_page_renditions, prefetch_renditions
from publishing.views import PreviewMixin, PublishedMixin


class PostListMixin(PublishedMixin):
    """Published posts, newest first, a page at a time, with what their cards show (and
    nothing more) loaded up front."""

    model = Post
    paginate_by = 10

    def get_queryset(self):
        return super().get_queryset().for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prefetch_renditions(context["object_list"])
        return context


class PostListView(PostListMixin, ListView):
    pass


class PostYearArchiveView(PostListMixin, YearArchiveView):
    date_field = "date"
    make_object_list = True
    paginate_by = 20

    # The page lists the year's posts a page at a time and links every year (`years`):
    # no list of months, no look-ups of the next and previous years. A year without
    # posts is not found: the paginator's count says so (no query of its own).
    allow_empty = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return []

    def get_dated_queryset(self, **lookup):
        # The year's bounds first: SQLite seeks the date index with the first bounds it is
        # given on a column, and the year's are the narrowest.
        return Post.objects.filter(**lookup).published().for_cards()

    def get_next_year(self, date):
        return None

    def get_previous_year(self, date):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["paginator"].count:
            raise Http404("No posts this year.")
        context["years"] = Post.objects.published_years()
        return context


class PostDetailView(PreviewMixin, DateDetailView):
    model = Post
    date_field = "date"
    month_format = "%m"
    day_format = "%d"
    # Visibility is the queryset's job; editors may preview scheduled posts.
    allow_future = True
    slug_field = "slug__ci"  # any case, through the index

    def get_queryset(self):
        credits = PostCoAuthor.objects.select_related("person")
        return (
            super()
            .get_queryset()
            # The Markdown sources: the page shows their rendered HTML.
            .defer("body", "tagline", "source_front_matter", "source_extra")
            .select_related("author", "series")
            .with_tags()
            .prefetch_related(Prefetch("co_author_credits", queryset=credits))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        prefetch_page_renditions(post)
        # The post's date first: SQLite seeks the date index from the first bound it is
        # given, and `published()`'s "until now" would walk every newer post.
        older = Post.objects.filter(date__lt=post.date).published().order_by("-date")
        newer = Post.objects.filter(date__gt=post.date).published().order_by("date")
        context["previous_post"] = older.only("title", "slug", "date").first()
        context["next_post"] = newer.only("title", "slug", "date").first()
        if post.series_id:
            parts = post.series.published_posts(including=post)
            context["series_posts"] = parts.only("title", "slug", "date", "series_part", "series")
        return context


class SeriesDetailView(DetailView):
    """A series' public posts in reading order; a series without any is not found."""

    model = Series
    slug_field = "slug"

    def get_context_data(self, **kwargs):
        posts = list(self.object.published_posts().for_cards())
        if not posts:
            raise Http404("No public post in this series yet.")
        prefetch_renditions(posts)
        return super().get_context_data(posts=posts, **kwargs)
