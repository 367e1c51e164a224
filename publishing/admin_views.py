from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST, require_safe
from taggit.models import Tag

from publishing.editors import editing_permissions
from publishing.markdown import MarkdownTooComplex, render_markdown


@require_POST
def markdown_preview(request):
    """Render the posted Markdown with the site's pipeline, for people who may edit content
    (admin_urls wraps this in the admin's staff login).

    Text the pipeline refuses (publishing.markdown's limits, the same as when saving) gets
    a 400 whose plain-text body says why; the page shows it in the preview box."""
    if not any(request.user.has_perm(perm) for perm in editing_permissions()):
        raise PermissionDenied
    source = request.POST.get("source", "")
    try:
        html = render_markdown(source)
    except MarkdownTooComplex as error:
        return HttpResponseBadRequest(
            f"This text cannot be previewed: {error}.", content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(html, content_type="text/html; charset=utf-8")


TAG_SUGGESTIONS = 10


@require_safe
def tag_suggestions(request):
    """Existing tags whose name starts with `q` (then those containing it), for the tag
    field's suggestions; for people who may edit content."""
    if not any(request.user.has_perm(perm) for perm in editing_permissions()):
        raise PermissionDenied
    query = " ".join(request.GET.get("q", "").split())[:100]
    if not query:
        return JsonResponse({"tags": []})
    tags = Tag.objects.order_by(Lower("name"), "name")
    names = list(
        tags.filter(name__istartswith=query).values_list("name", flat=True)[:TAG_SUGGESTIONS]
    )
    if len(names) < TAG_SUGGESTIONS:
        more = tags.filter(name__icontains=query).exclude(name__in=names)
        names += more.values_list("name", flat=True)[: TAG_SUGGESTIONS - len(names)]
    return JsonResponse({"tags": names})
