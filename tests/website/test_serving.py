"""Production serving: static files through WhiteNoise with hashed names and compressed
variants, and HTML compressed for the clients that ask for it."""

import gzip
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings

from tests.factories import PostFactory

SOURCE = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


PRODUCTION_STATIC = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The site's static files collected as production collects them, once for the module
    (compressing is slow). The admin's files are left out: no page here needs them."""
    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--no-input", "--ignore", "admin", verbosity=0)
    return root


@pytest.fixture
def collected_static(settings, static_root) -> Path:
    """Production's static files: DEBUG off, served from the collected folder."""
    settings.DEBUG = False
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    return static_root


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_hashed_static_url_is_served_with_its_brotli_variant(client, collected_static):
    url = static("css/site.css")
    assert url != "/static/css/site.css"  # a content-hashed name
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert "immutable" in response["Cache-Control"]
    assert brotli.decompress(body_of(response)) == SOURCE.read_bytes()


def test_a_static_file_is_served_gzipped_or_plain_as_the_client_accepts(client, collected_static):
    url = static("css/site.css")
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(body_of(gzipped)) == SOURCE.read_bytes()

    plain = client.get(url)
    assert plain.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert body_of(plain) == SOURCE.read_bytes()


def test_a_page_links_its_stylesheet_by_the_hashed_name(client, collected_static, db):
    content = client.get("/").content.decode()
    assert f'href="{static("css/site.css")}"' in content


def test_an_html_page_is_gzipped_when_the_client_asks(client, db):
    PostFactory(title="Compressed")
    response = client.get("/blog/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Compressed" in gzip.decompress(response.content)


def test_an_html_page_is_not_compressed_when_the_client_does_not_ask(client, db):
    PostFactory(title="Plain")
    response = client.get("/blog/")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"Plain" in response.content
