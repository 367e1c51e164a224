"""Media in an S3-compatible bucket (moto in server mode): uploads, renditions, social cards,
imported files and their export go through the bucket; objects carry the headers the app's
media view sends; visitors read renditions and attachments, never originals; a deleted
image takes its objects with it."""

import hashlib
import json
import os
import re
import subprocess
import sys

import pytest
import requests
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from blog.models import Post
from frontmatter.exporter import export_items
from images.models import Rendition
from images.og import card_for
from images.responsive import THUMBNAIL_SIZES, fill_picture, header_picture
from publishing.bucket import MediaBucketStorage
from publishing.filetypes import FILE_TYPES, UNKNOWN
from publishing.media import media_headers
from publishing.models import Attachment
from tests.factories import PostFactory
from tests.images.builders import image_bytes, stored_image, upload
from tests.publishing.builders import (
    example_environment,
    manage_py_with,
    pdf_bytes,
    write_post_bundle,
)

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"


def digest_name(folder: str, data: bytes, extension: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return f"{folder}/{digest[:2]}/{digest}{extension}"


# --- Object headers ----------------------------------------------------------------------------


@pytest.mark.parametrize("file_type", [*FILE_TYPES, UNKNOWN], ids=lambda t: t.extension or "none")
def test_every_kind_of_object_is_written_with_the_headers_the_media_view_sends(file_type):
    name = f"files/ab/{'ab' * 32}{file_type.extension}"
    parameters = MediaBucketStorage(bucket_name="media").get_object_parameters(name)
    served = media_headers(name)
    assert parameters["ContentType"] == served["Content-Type"] == file_type.media_type
    assert parameters["CacheControl"] == served["Cache-Control"] == IMMUTABLE
    assert parameters.get("ContentDisposition") == served.get("Content-Disposition")
    assert ("ContentDisposition" in parameters) is not file_type.inline


# --- Uploads ------------------------------------------------------------------------------------


def test_an_image_uploaded_in_the_admin_is_an_object_in_the_bucket(media_bucket, change_post):
    post = PostFactory()
    response = change_post(post, header_image=upload("photo.png", image_bytes(image_format="PNG")))
    assert response.status_code == 302

    post.refresh_from_db()
    name = post.header_image.name
    assert name.startswith("images/")
    assert media_bucket.names("images/") == {name}
    head = media_bucket.head(name)
    assert head["ContentType"] == "image/png"
    assert head["CacheControl"] == IMMUTABLE
    assert "ContentDisposition" not in head


def test_an_original_is_not_readable_from_the_bucket_origin(media_bucket):
    name = stored_image()
    original = requests.get(default_storage.url(name), timeout=10)
    assert media_bucket.names("images/") == {name}
    assert original.status_code == 403


# --- Renditions ---------------------------------------------------------------------------------


def test_renditions_are_written_to_the_bucket_and_visitors_read_them(media_bucket):
    post = PostFactory(header_image=stored_image(1200, 800))
    picture = header_picture(post)

    renditions = list(Rendition.objects.filter(source=post.header_image.name))
    assert renditions
    assert media_bucket.names("renditions/") == {r.file.name for r in renditions}
    for rendition in renditions:
        assert rendition.url.startswith(settings.MEDIA_URL), rendition.url
        served = requests.get(rendition.url, timeout=10)
        assert served.status_code == 200, rendition.url
        expected_type = "image/webp" if rendition.spec.endswith(".webp") else "image/jpeg"
        assert served.headers["Content-Type"] == expected_type
        assert served.headers["Cache-Control"] == IMMUTABLE
        assert "Content-Disposition" not in served.headers
        assert served.content == media_bucket.read(rendition.file.name)
    assert picture.src in {r.url for r in renditions}


def test_renditions_in_the_bucket_are_reused_not_written_again(media_bucket):
    post = PostFactory(header_image=stored_image(1200, 800))
    first = header_picture(post), fill_picture(post, THUMBNAIL_SIZES)
    written = media_bucket.writes("renditions/")

    again = Post.objects.get(pk=post.pk)
    second = header_picture(again), fill_picture(again, THUMBNAIL_SIZES)

    assert second == first
    assert media_bucket.writes("renditions/") == written
    assert set(written.values()) == {1}


def test_a_page_whose_renditions_exist_asks_nothing_of_the_bucket(
    client, media_bucket, monkeypatch
):
    post = PostFactory(header_image=stored_image(1200, 800))
    assert client.get(post.get_absolute_url()).status_code == 200  # makes the renditions

    def no_round_trip(*args, **kwargs):
        raise AssertionError("the page asked the bucket")

    for method in ("_open", "_save", "exists", "size", "delete"):
        monkeypatch.setattr(MediaBucketStorage, method, no_round_trip)
    page = client.get(post.get_absolute_url())

    assert page.status_code == 200
    urls = re.findall(r'src="([^"]+)"', page.content.decode())
    assert any(url.startswith(f"{settings.MEDIA_URL}renditions/") for url in urls)


# --- Social cards -------------------------------------------------------------------------------


def test_the_social_card_is_drawn_into_the_bucket_once_and_served_by_the_app(client, media_bucket):
    post = PostFactory(header_image=stored_image(1200, 800))
    url = reverse("images:og_card", kwargs={"kind": "post", "slug": post.slug})

    first = client.get(url)
    second = client.get(url)

    card = card_for(post).storage_name
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "image/jpeg"
    assert first.content == second.content == media_bucket.read(card)
    assert media_bucket.writes("og/") == {card: 1}


# --- Import and export --------------------------------------------------------------------------


def test_an_imported_tree_stores_its_images_and_files_in_the_bucket(
    tmp_path, media_bucket, run_import
):
    header, pdf = image_bytes(640, 480), pdf_bytes()
    write_post_bundle(
        tmp_path,
        "See [the slides](slides.pdf).",
        {"cover.jpg": header, "slides.pdf": pdf},
        header_img="./cover.jpg",
    )
    report = run_import(tmp_path)
    assert (report.created, report.errors) == (1, [])

    image, attachment = digest_name("images", header, ".jpg"), digest_name("files", pdf, ".pdf")
    assert media_bucket.names("images/") == {image}
    assert media_bucket.names("files/") == {attachment}
    assert media_bucket.read(image) == header  # originals are kept byte for byte
    head = media_bucket.head(attachment)
    assert head["ContentType"] == "application/pdf"
    assert head["ContentDisposition"] == f'attachment; filename="{attachment.split("/")[-1]}"'
    assert head["CacheControl"] == IMMUTABLE

    served = requests.get(Attachment.objects.get(file=attachment).file.url, timeout=10)
    assert served.status_code == 200
    assert served.content == pdf
    assert served.headers["Content-Disposition"].startswith("attachment;")


def test_export_reads_the_stored_files_back_from_the_bucket(tmp_path, media_bucket, run_import):
    header, pdf = image_bytes(640, 480), pdf_bytes()
    write_post_bundle(
        tmp_path / "site",
        "See [the slides](slides.pdf).",
        {"cover.jpg": header, "slides.pdf": pdf},
        header_img="./cover.jpg",
    )
    assert run_import(tmp_path / "site").errors == []

    report = export_items(tmp_path / "out")

    assert (report.items, report.files, report.errors, report.warnings) == (1, 2, [], [])
    exported = {path.name: path.read_bytes() for path in (tmp_path / "out").rglob("*.*")}
    assert header in exported.values()
    assert pdf in exported.values()


# --- Clean-up -----------------------------------------------------------------------------------


def test_deleting_an_item_deletes_its_image_renditions_and_card_from_the_bucket(
    client, media_bucket, django_capture_on_commit_callbacks
):
    post = PostFactory(header_image=stored_image(1200, 800))
    header_picture(post)
    client.get(reverse("images:og_card", kwargs={"kind": "post", "slug": post.slug}))
    assert media_bucket.names("images/")
    assert media_bucket.names("renditions/")
    assert media_bucket.names("og/")

    with django_capture_on_commit_callbacks(execute=True):
        post.delete()

    assert media_bucket.names() == set()


# --- Settings from the environment ---------------------------------------------------------

SETTINGS_DUMP = """
import json
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.storage import default_storage, storages
from django.urls import Resolver404, resolve
try:
    resolve("/media/files/ab/" + "ab" * 32 + ".pdf")
    media_served_here = True
except Resolver404:
    media_served_here = False
print(json.dumps({
    "media_url": settings.MEDIA_URL,
    "storage": type(storages["default"]).__name__,
    "file_url": default_storage.url("files/ab/x.pdf"),
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "media_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"],
    "media_served_here": media_served_here,
}))
"""


def settings_with(**environment: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DJANGO_ENV_FILE": os.devnull,
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SETTINGS_DUMP],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


BUCKET_ORIGINS = [
    pytest.param(
        {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
        "http://127.0.0.1:9000/media/",
        "http://127.0.0.1:9000",
        id="endpoint-path-style",
    ),
    pytest.param(
        {"AWS_S3_ENDPOINT_URL": "https://s3.example.net", "AWS_S3_ADDRESSING_STYLE": "virtual"},
        "https://media.s3.example.net/",
        "https://media.s3.example.net",
        id="endpoint-virtual-hosted",
    ),
    pytest.param(
        {"AWS_S3_REGION_NAME": "eu-west-1"},
        "https://media.s3.eu-west-1.amazonaws.com/",
        "https://media.s3.eu-west-1.amazonaws.com",
        id="aws",
    ),
    pytest.param(
        {
            "AWS_S3_ENDPOINT_URL": "https://account.r2.cloudflarestorage.com",
            "DJANGO_MEDIA_URL": "https://media.example.org",
        },
        "https://media.example.org/",
        "https://media.example.org",
        id="custom-domain",
    ),
]


@pytest.mark.parametrize(("environment", "media_url", "origin"), BUCKET_ORIGINS)
def test_a_bucket_in_the_environment_is_the_media_storage_and_origin(
    environment, media_url, origin
):
    result = settings_with(AWS_STORAGE_BUCKET_NAME="media", **environment)
    assert result.returncode == 0, result.stderr
    dumped = json.loads(result.stdout)
    assert dumped["storage"] == "MediaBucketStorage"
    assert dumped["media_url"] == media_url
    assert dumped["file_url"] == f"{media_url}files/ab/x.pdf"  # unsigned: links never expire
    assert dumped["img_src"] == ["'self'", "data:", origin]
    assert dumped["media_src"] == ["'self'", origin]
    assert dumped["media_served_here"] is False


def test_without_a_bucket_media_are_local_files_served_by_the_app():
    result = settings_with()
    assert result.returncode == 0, result.stderr
    dumped = json.loads(result.stdout)
    assert dumped["storage"] == "FileSystemStorage"
    assert dumped["media_url"] == "/media/"
    assert dumped["media_served_here"] is True


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DJANGO_MEDIA_URL": "/media/"},
            "With AWS_STORAGE_BUCKET_NAME, DJANGO_MEDIA_URL must be the media origin, "
            "such as https://media.example.org/.",
        ),
        (
            {"AWS_S3_ADDRESSING_STYLE": "sideways"},
            "AWS_S3_ADDRESSING_STYLE must be path, virtual or auto.",
        ),
    ],
    ids=["media-url-a-path", "unknown-addressing-style"],
)
def test_a_bucket_setting_that_cannot_work_stops_with_one_line(environment, message):
    result = settings_with(AWS_STORAGE_BUCKET_NAME="media", **environment)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [f"manage.py: {message}"]


def test_the_production_example_with_a_bucket_passes_the_deployment_checklist():
    environment = {
        **example_environment(),
        "AWS_STORAGE_BUCKET_NAME": "cms-media",
        "AWS_S3_REGION_NAME": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    result = manage_py_with(environment, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout

    production = json.loads(
        manage_py_with(environment, "shell", "--no-imports", "-c", SETTINGS_DUMP).stdout
    )
    assert production["storage"] == "MediaBucketStorage"
    assert production["media_url"] == environment["DJANGO_MEDIA_URL"]
    assert production["img_src"] == ["'self'", "data:", "https://media.example.org"]
