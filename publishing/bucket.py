"""Media in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2), through django-storages.

Visitors get files straight from the bucket's origin (MEDIA_URL), so each object is written
with the headers this app would serve it with (`publishing.media.media_headers`): its type
from `publishing.filetypes`, a download for anything that is not an image, and a year of
immutable caching (a name is the hash of its bytes). Object storage cannot send
``nosniff`` or a Content-Security-Policy per object: the CDN in front adds them
(deploy/README.md).
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from publishing.media import media_headers

# The headers an object keeps, as S3 names its parameters.
OBJECT_PARAMETERS = {
    "Content-Type": "ContentType",
    "Content-Disposition": "ContentDisposition",
    "Cache-Control": "CacheControl",
}


class MediaBucketStorage(S3Storage):
    """The media storage when AWS_STORAGE_BUCKET_NAME is set (config/settings.py)."""

    def get_object_parameters(self, name: str) -> dict[str, str]:
        parameters = super().get_object_parameters(name)
        headers = media_headers(name)
        for header, parameter in OBJECT_PARAMETERS.items():
            if header in headers:
                parameters[parameter] = headers[header]
        return parameters
