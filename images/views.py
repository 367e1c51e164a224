"""Social cards at stable URLs: /og/post/<slug>.png and /og/talk/<slug>.png."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from blog.models import Post
from images.og import CardContent, card_bytes, card_for
from talks.models import Talk

MODELS = {"post": Post, "talk": Talk}


@require_safe
def og_card(request, kind: str, slug: str):
    model = MODELS.get(kind)
    if model is None:
        raise Http404("No such kind of item.")
    queryset = model.objects.all()
    opts = model._meta
    if not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        queryset = queryset.published()
    item = get_object_or_404(queryset, slug__ci=slug)
    content = card_for(item)
    etag = quote_etag(content.key)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(card_bytes(content), content_type="image/png")
    response["ETag"] = etag
    if item.is_published:
        # The URL carries ?v=<key> in pages, so a changed card is a new URL anyway.
        patch_cache_control(response, public=True, max_age=86400)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def site_card_content() -> CardContent:
    return CardContent(title=settings.SITE_NAME, footer_left=settings.SITE_DESCRIPTION)


@require_safe
def og_site_card(request):
    """The card of pages that are not a post or a talk (home, lists, people)."""
    content = site_card_content()
    etag = quote_etag(content.key)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(card_bytes(content), content_type="image/png")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=86400)
    return response
