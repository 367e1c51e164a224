from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date
from django.views.generic import ListView
from taggit.models import Tag

from images.responsive import prefetch_renditions
from publishing.kinds import publishable_kinds
from publishing.tags import load_entries, tagged_entries, tags_with_counts


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


class TagListView(ListView):
    """Every tag the public may see, with how many posts and talks use it."""

    template_name = "blog/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return tags_with_counts()


class TaggedItemsView(ListView):
    """A tag's published posts and talks, mixed, newest first; a tag only drafts or
    scheduled items use has no page yet (its list is empty: the paginator's count says
    so, without a query of its own)."""

    template_name = "blog/post_tag.html"
    paginate_by = 10
    allow_empty = True

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["tag"])
        return tagged_entries(self.tag)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tag=self.tag, **kwargs)
        if not context["paginator"].count:
            raise Http404("No public item has this tag.")
        loaders = {kind.name: kind.model.objects.for_cards() for kind in publishable_kinds()}
        entries = load_entries(context["object_list"], loaders)
        prefetch_renditions(entry.item for entry in entries)
        context["entries"] = entries
        return context
