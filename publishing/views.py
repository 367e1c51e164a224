from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date
from django.views.generic import TemplateView

from blog.models import Post
from images.responsive import prefetch_renditions
from talks.models import Talk


class PublishedMixin:
    """Lists show what `published()` allows, to everyone."""

    def get_queryset(self):
        return super().get_queryset().published()


class PreviewMixin:
    """A detail page: visitors see what `published()` allows; people who may change the
    model also see drafts and scheduled items at their URL (a preview), never cached."""

    def get_queryset(self):
        queryset = super().get_queryset()
        opts = self.model._meta
        if self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            # Not an item dated outside the range, which the page cannot show.
            return queryset.dated_in_range()
        return queryset.published()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        else:
            # With the ETag of ConditionalGetMiddleware, unchanged pages answer 304.
            response["Last-Modified"] = http_date(self.object.updated_at.timestamp())
        return response


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest_posts = Post.objects.published().for_cards()[:5]
        prefetch_renditions(latest_posts)
        talks = Talk.objects.published().without_texts()
        context["latest_posts"] = latest_posts
        context["upcoming_talks"] = talks.upcoming().order_by("date")[:5]
        context["recent_talks"] = talks.past()[:5]
        return context
