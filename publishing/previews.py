"""Shared previews: a signed link that shows a draft (or a scheduled item) to someone who is
not logged in, read-only, through the item's own public page.

The link holds the item's kind, its primary key and its preview token, signed with the
site's secret key (django.core.signing) and dated: it works for PREVIEW_LINK_DAYS days, or
until an editor revokes the item's links, which gives it a new token. The page says it is
a preview, is never cached and asks search engines not to index it.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from publishing.kinds import get_kind, kind_of
from publishing.site_url import absolute_url

SALT = "publishing.previews"


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.PREVIEW_LINK_DAYS)


def share_url(item) -> str:
    """A new link to the item's preview, valid for `max_age()` from now."""
    payload = [kind_of(type(item)).name, item.pk, item.preview_token]
    signed = signing.dumps(payload, salt=SALT, compress=True)
    return absolute_url(reverse("shared_preview", args=[signed]))


def revoke(item) -> None:
    """Every link shared so far stops working (the item gets a new preview token)."""
    item.preview_token = secrets.token_urlsafe(16)
    type(item)._default_manager.filter(pk=item.pk).update(preview_token=item.preview_token)


@require_safe
def shared_preview(request: HttpRequest, signed: str) -> HttpResponse:
    """The item's public page, as its own view renders it, for whoever has the link."""
    try:
        kind_name, pk, token = signing.loads(signed, salt=SALT, max_age=max_age())
        model = get_kind(kind_name).model
    except signing.SignatureExpired:
        return _gone(request)
    except (signing.BadSignature, LookupError, TypeError, ValueError):
        raise Http404("No such preview.") from None
    item = model._default_manager.filter(pk=pk, preview_token=token).first()
    if item is None:
        raise Http404("No such preview (its links may have been revoked).")
    match = resolve(item.get_absolute_url())
    request.shared_preview = item  # publishing.views.PreviewMixin shows it, whatever its state
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    return _private(response)


def _gone(request: HttpRequest) -> HttpResponse:
    response = TemplateResponse(request, "publishing/preview_expired.html", status=410)
    return _private(response.render())


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the link is the key: never pass it on
    return response


def expires_at() -> datetime.datetime:
    return timezone.now() + max_age()
