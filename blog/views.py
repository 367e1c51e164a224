from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DateDetailView, ListView, YearArchiveView

from blog.models import Post, PostCoAuthor
from images.responsive import prefetch_renditions
from publishing.views import PreviewMixin, PublishedMixin


class PostListMixin(PublishedMixin):
    """Published posts, newest first, with what their cards show loaded up front."""

    model = Post
    paginate_by = 10

    def get_queryset(self):
        return super().get_queryset().select_related("author").prefetch_related("tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prefetch_renditions(context["object_list"])
        return context


class PostListView(PostListMixin, ListView):
    pass


class TagPostListView(PostListMixin, ListView):
    template_name = "blog/post_tag.html"

    def get_queryset(self):
        # A tag only drafts or scheduled posts use has no page yet.
        self.tag = get_object_or_404(Post.objects.published().tags(), slug=self.kwargs["tag"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class PostYearArchiveView(PostListMixin, YearArchiveView):
    date_field = "date"
    make_object_list = True
    paginate_by = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = Post.objects.published().dates("date", "year", order="DESC")
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
            .select_related("author")
            .prefetch_related("tags", Prefetch("co_author_credits", queryset=credits))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        neighbours = Post.objects.published().exclude(pk=post.pk)
        context["previous_post"] = (
            neighbours.filter(date__lt=post.date)
            .order_by("-date")
            .only("title", "slug", "date")
            .first()
        )
        context["next_post"] = (
            neighbours.filter(date__gt=post.date)
            .order_by("date")
            .only("title", "slug", "date")
            .first()
        )
        return context
