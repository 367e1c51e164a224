from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date


class PublishedMixin:
    """Lists show what `published()` allows, to everyone."""

    def get_queryset(self):
        return super().get_queryset().published()


class PreviewMixin:
    """A detail page: visitors see what `published()` allows; people who may change the
    model also see drafts and scheduled items at their URL (a preview), never cached, and
    so does whoever follows a shared preview link to the item (publishing.previews)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        opts = self.model._meta
        shared = getattr(self.request, "shared_preview", None)
        if isinstance(shared, self.model):
            # A shared preview link (publishing.previews): that item, whatever its state.
            return queryset.dated_in_range().filter(pk=shared.pk)
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
