from django.db.models import Prefetch
from django.views.generic import DateDetailView, ListView

from blog.models import Post, PostCoAuthor
from publishing.views import PreviewMixin, PublishedMixin


class PostListView(PublishedMixin, ListView):
    model = Post
    paginate_by = 10

    def get_queryset(self):
        return super().get_queryset().select_related("author").prefetch_related("tags")


class PostDetailView(PreviewMixin, DateDetailView):
    model = Post
    date_field = "date"
    month_format = "%m"
    day_format = "%d"
    # Visibility is the queryset's job; editors may preview scheduled posts.
    allow_future = True
    slug_field = "slug__iexact"

    def get_queryset(self):
        credits = PostCoAuthor.objects.select_related("person")
        return (
            super()
            .get_queryset()
            .select_related("author")
            .prefetch_related("tags", Prefetch("co_author_credits", queryset=credits))
        )
