from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from publishing.markdown import render_markdown

MAX_PREVIEW_CHARS = 1_000_000


@require_POST
def markdown_preview(request):
    """Render the posted Markdown with the site's pipeline (staff only, see admin_urls)."""
    source = request.POST.get("source", "")
    if len(source) > MAX_PREVIEW_CHARS:
        return HttpResponseBadRequest("The text is too long to preview.")
    return HttpResponse(render_markdown(source), content_type="text/html; charset=utf-8")
