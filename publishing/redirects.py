"""Old addresses that lead only to what the public may see.

The importer keeps a redirect from every item's old URL to its new one, drafts and
scheduled posts included (they become public later, with no job to run). Answering such a
redirect before then would reveal the item's date and slug, so the redirect answers only
once the page it leads to would: the target is resolved through the URLconf and its
object looked up as the page's own view does for a visitor, through `published()`.
"""

from urllib.parse import unquote, urlsplit

from django.contrib.auth.models import AnonymousUser
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.views.generic.detail import SingleObjectMixin


class PublicRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """django.contrib.redirects, with redirects to items the public may not see answering
    404, as the item's own address does."""

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        if answer is response or not answer.has_header("Location"):
            return answer
        if leads_to_hidden_object(request, answer["Location"]):
            return response
        return answer


def leads_to_hidden_object(request: HttpRequest, location: str) -> bool:
    """Whether `location` is a page of this site showing one object (a post, a talk, a
    person) that a visitor would get a 404 for."""
    target = urlsplit(location)
    if target.netloc and target.netloc != request.get_host():
        return False  # another site's page: not ours to judge
    try:
        match = resolve(unquote(target.path))
    except Resolver404:
        return False
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, SingleObjectMixin):
        return False
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(_visitor_request(request), *match.args, **match.kwargs)
    try:
        view.get_object()
    except Http404:
        return True
    return False


def _visitor_request(request: HttpRequest) -> HttpRequest:
    """A GET for the same site by someone not logged in: an editor's preview rights must not
    make a redirect answer that visitors would then be told about."""
    visitor = HttpRequest()
    visitor.method = "GET"
    visitor.META = {key: value for key, value in request.META.items() if key in _SITE_KEYS}
    visitor.user = AnonymousUser()
    return visitor


_SITE_KEYS = {"HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme", "SCRIPT_NAME"}
