"""Social cards at stable URLs: /og/post/<slug>.jpg and /og/talk/<slug>.jpg."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from images.fields import image_fields, models_with_images
from images.og import CARD_CONTENT_TYPE, CardContent, card_bytes, card_for


def card_model(kind: str):
    """The model whose items have cards at /og/<kind>/: one with a social image
    (`og_image`), named by its model name; None for any other name."""
    for model in models_with_images():
        if model._meta.model_name == kind and "og_image" in image_fields(model):
            return model
    return None


@require_safe
def og_card(request, kind: str, slug: str):
    model = card_model(kind)
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
        response = HttpResponse(card_bytes(content), content_type=CARD_CONTENT_TYPE)
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
        response = HttpResponse(card_bytes(content), content_type=CARD_CONTENT_TYPE)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=86400)
    return response
