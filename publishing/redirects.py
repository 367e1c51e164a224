"""Old addresses that lead only to what the public may see, and old addresses kept when
an editor changes a public item's slug or date.

The importer keeps a redirect from every item's old URL to its new one, drafts and
scheduled posts included (they become public later, with no job to run). Answering such a
redirect before then would reveal the item's date and slug, so the redirect answers only
once the page it leads to would: the target is resolved through the URLconf and its
object looked up as the page's own view does for a visitor, through `published()`.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.views.generic.detail import SingleObjectMixin

from publishing.signals import in_bulk_write
from publishing.slugs import SlugAddressed

REDIRECT_PATH_LENGTH = Redirect._meta.get_field("old_path").max_length


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


# --- Addresses that change ----------------------------------------------------------------


def remember_public_address(sender, instance, raw=False, **kwargs) -> None:
    """Before an item is saved: its address, if the public can see it there now."""
    if raw or instance.pk is None or in_bulk_write() or not issubclass(sender, SlugAddressed):
        return
    stored = sender._default_manager.filter(pk=instance.pk)
    old = stored.first()
    if old is not None and stored.published().exists():
        instance._public_address = old.get_absolute_url()


def redirect_old_address(sender, instance, raw=False, **kwargs) -> None:
    """After an item's slug or date changed its address: the old one leads to the new."""
    old = instance.__dict__.pop("_public_address", None)
    if raw or old is None:
        return
    new = instance.get_absolute_url()
    if old != new:
        keep_redirect(old, new)


def keep_redirect(old: str, new: str) -> None:
    """`old` answers 301 to `new`; redirects that led to `old` lead to `new` at once (no
    chains), and one from `new` (an item renamed back) goes, or it would loop."""
    if max(len(old), len(new)) > REDIRECT_PATH_LENGTH:
        return  # a redirect cannot hold it; the old address answers 404
    redirects = Redirect.objects.filter(site_id=settings.SITE_ID)
    redirects.filter(old_path=new).delete()
    redirects.filter(new_path=old).update(new_path=new)
    Redirect.objects.update_or_create(
        site_id=settings.SITE_ID, old_path=old, defaults={"new_path": new}
    )
