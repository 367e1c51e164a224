from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from publishing.markdown import render_markdown

MAX_PREVIEW_CHARS = 1_000_000
EDITING_PERMISSIONS = ("blog.change_post", "blog.add_post", "talks.change_talk", "talks.add_talk")


@require_POST
def markdown_preview(request):
    """Render the posted Markdown with the site's pipeline, for people who may edit content
    (admin_urls wraps this in the admin's staff login)."""
    if not any(request.user.has_perm(perm) for perm in EDITING_PERMISSIONS):
        raise PermissionDenied
    source = request.POST.get("source", "")
    if len(source) > MAX_PREVIEW_CHARS:
        return HttpResponseBadRequest("The text is too long to preview.")
    return HttpResponse(render_markdown(source), content_type="text/html; charset=utf-8")
