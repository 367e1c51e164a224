"""Stored files as visitors get them, when MEDIA_URL is a path on this site.

Only the folders pages link to are served: ``renditions/`` (the re-encoded images pages
show) and ``files/`` (attachments of imported bodies). Originals under ``images/`` are kept
for export and never served; social cards under ``og/`` have their own view (images.views).
Every response says what it is and no more: its type from :mod:`publishing.filetypes`,
``nosniff``, a download for anything that is not an image, and a policy under which
nothing runs even if a browser rendered it.

In production MEDIA_URL is an origin of its own (``https://media.example.org/``), served by
the web server or object storage with the same headers (deploy/README.md; objects in a
bucket get them when written, `publishing.bucket`), and this app serves no media at all.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, re_path
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, quote_etag
from django.views.decorators.http import require_safe

from publishing.filetypes import type_of_stored

SERVED_FOLDERS: tuple[str, ...] = ("renditions", "files")

# Stored names are content hashes (images.processing.content_name): folder/ab/<sha256>.ext.
# Nothing but such a name is looked up, so no request can reach outside these folders.
STORED_NAME_RE = re.compile(
    rf"(?:{'|'.join(SERVED_FOLDERS)})/[0-9a-f]{{2}}/(?P<digest>[0-9a-f]{{64}})(?:\.[a-z0-9]{{1,10}})?"
)

# Should a browser ever render a stored file as a document, it runs nothing, loads nothing
# and is a unique origin without the site's cookies.
MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"
# A content-hash name always has the same bytes.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


def media_headers(name: str) -> dict[str, str]:
    """The headers a stored file is served with, here or by the web server in front."""
    file_type = type_of_stored(name)
    headers = {
        "Content-Type": file_type.media_type,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": MEDIA_CONTENT_SECURITY_POLICY,
        "Cache-Control": MEDIA_CACHE_CONTROL,
    }
    if not file_type.inline:
        headers["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=PurePosixPath(name).name
        )
    return headers


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    match = STORED_NAME_RE.fullmatch(path)
    if match is None:
        raise Http404("No such file.")
    headers = media_headers(path)
    # The name is the digest of the bytes: it is the ETag, known before opening anything.
    validators = HttpResponse(
        headers={"ETag": quote_etag(match["digest"]), "Cache-Control": headers["Cache-Control"]}
    )
    conditional = get_conditional_response(request, etag=validators["ETag"], response=validators)
    if conditional is not validators:  # 304 Not Modified (or 412 for a failed If-Match)
        return conditional
    try:
        handle = default_storage.open(path, "rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(handle)
    # FileResponse guesses a type and an inline disposition from the name; the table decides.
    response.headers.pop("Content-Disposition", None)
    for header, value in {**headers, "ETag": validators["ETag"]}.items():
        response[header] = value
    return response


def media_urlpatterns() -> list[URLPattern]:
    """The media route when MEDIA_URL is a path on this site; none when it is another origin
    (that origin's server serves the files)."""
    if urlsplit(settings.MEDIA_URL).netloc:
        return []
    prefix = settings.MEDIA_URL.strip("/")
    if not prefix:
        raise ImproperlyConfigured("MEDIA_URL must not be the site's root: set DJANGO_MEDIA_URL.")
    return [re_path(rf"^{re.escape(prefix)}/(?P<path>.*)\Z", serve_media, name="media")]
