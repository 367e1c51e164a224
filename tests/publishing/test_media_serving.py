"""Stored files as the app serves them when MEDIA_URL is a path on the site (publishing.media)."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from images.models import Spec, make_rendition
from publishing.filetypes import FILE_TYPES
from publishing.media import media_headers, media_urlpatterns
from tests.images.builders import stored_image

pytestmark = pytest.mark.django_db

SANDBOX = "default-src 'none'; sandbox"


def store(data: bytes, folder: str, extension: str) -> str:
    """Store bytes under a content-hash name, as the importer and renditions do."""
    digest = hashlib.sha256(data).hexdigest()
    return default_storage.save(f"{folder}/{digest[:2]}/{digest}{extension}", ContentFile(data))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_rendition_is_served_inline_with_its_type_and_no_way_to_run(client):
    rendition = make_rendition(stored_image(64, 48, "PNG"), Spec(width=32, format="WEBP"))
    assert rendition.url.startswith("/media/renditions/")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert "Content-Disposition" not in response
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert body(response) == rendition.file.open("rb").read()


def test_an_attachment_is_a_download_never_shown_in_the_page(client):
    name = store(b"%PDF-1.4\n%%EOF\n", "files", ".pdf")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name.split("/")[-1]}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert body(response) == b"%PDF-1.4\n%%EOF\n"


@pytest.mark.parametrize("extension", [".html", ".svg", ".xml", ".js", ""])
def test_a_script_file_stored_before_the_allowlist_is_an_opaque_download(client, extension):
    script = b"<html><script>alert(document.cookie)</script></html>"
    name = store(script, "files", extension)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX


def test_an_original_image_is_never_served(client):
    original = stored_image()  # images/<hash>.jpg, kept byte for byte for export
    assert default_storage.exists(original)
    assert client.get(f"/media/{original}").status_code == 404


def test_social_card_files_are_not_served_as_media(client):
    name = store(b"\xff\xd8\xff card", "og", ".jpg")
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "files/../{original}",
        "renditions/%2e%2e/{original}",
        "files/ab/../../{original}",
        "files/..%2f..%2fsecret.txt",
        "../secret.txt",
        "%2e%2e/secret.txt",
        "/etc/passwd",
        "files//etc/passwd",
        "files/{pdf}/",
        "files/{pdf}%00.html",
        "files\\..\\secret.txt",
        "secret.txt",
        "files/",
        "",
    ],
)
def test_a_path_outside_the_served_folders_is_not_found(client, media_root, path):
    original = stored_image()
    pdf = store(b"%PDF-1.4 served-pdf", "files", ".pdf").removeprefix("files/")
    (media_root / "secret.txt").write_text("the-secret-content")
    url = "/media/" + path.format(original=original, pdf=pdf)
    response = client.get(url)
    assert response.status_code == 404
    assert b"the-secret-content" not in response.content
    assert b"served-pdf" not in response.content


def test_a_missing_file_is_not_found(client):
    digest = hashlib.sha256(b"never stored").hexdigest()
    assert client.get(f"/media/files/{digest[:2]}/{digest}.pdf").status_code == 404


def test_a_cached_copy_is_confirmed_without_sending_the_file_again(client):
    name = store(b"%PDF-1.4 cached", "files", ".pdf")
    first = client.get(f"/media/{name}")
    again = client.get(f"/media/{name}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"] == f'"{name.split("/")[-1].removesuffix(".pdf")}"'
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"
    assert again.content == b""


def test_media_answers_only_reading_methods(client):
    name = store(b"%PDF-1.4 post", "files", ".pdf")
    assert client.head(f"/media/{name}").status_code == 200
    assert client.post(f"/media/{name}").status_code == 405
    assert client.put(f"/media/{name}").status_code == 405


def test_media_on_another_origin_is_left_to_that_origin(settings):
    settings.MEDIA_URL = "https://media.example.org/"
    assert media_urlpatterns() == []


@pytest.mark.parametrize("file_type", FILE_TYPES, ids=lambda file_type: file_type.extension)
def test_every_kind_of_stored_file_gets_its_type_and_only_images_show_inline(file_type):
    name = f"files/ab/{'ab' * 32}{file_type.extension}"
    headers = media_headers(name)
    assert headers["Content-Type"] == file_type.media_type
    assert headers["X-Content-Type-Options"] == "nosniff"
    if file_type.inline:
        assert file_type.media_type.startswith("image/")
        assert "Content-Disposition" not in headers
    else:
        assert headers["Content-Disposition"].startswith("attachment;")
