"""Imported images: real page bundles get renditions; a bad image fails its file with a
clear line, as the admin form would refuse it."""

import re
from pathlib import Path

import pytest

from blog.models import Post
from images.models import Rendition
from tests.images.builders import (
    HTML,
    SVG,
    huge_png,
    image_bytes,
    media_files,
    noisy_image,
    truncated,
    write_bundle,
)

pytestmark = pytest.mark.django_db

LEAN_NPM = Path("loige-2021/posts/2019-09-08_lean-npm-packages")


# --- A real page bundle -----------------------------------------------------------------------


@pytest.fixture
def lean_npm(corpus, run_import):
    report = run_import(corpus / LEAN_NPM)
    assert (report.created, report.errors) == (1, [])
    return Post.objects.get(slug="lean-npm-packages")


def test_imported_header_is_shown_as_a_picture_with_webp_renditions(client, lean_npm):
    content = client.get(lean_npm.get_absolute_url()).content.decode()
    picture = re.search(r"<picture><source ([^>]*)>\s*<img ([^>]*)></picture>", content)
    assert picture, "no header <picture> on the page"
    source, img = picture.groups()
    assert 'type="image/webp"' in source
    webp = re.findall(r"/media/renditions/[0-9a-f]{2}/[0-9a-f]{64}\.webp (\d+)w", source)
    assert webp == ["480", "960", "1024"]  # the header is 1024 pixels wide: never enlarged
    assert 'loading="eager"' in img  # the first picture of the page is not deferred
    assert 'width="1024" height="636"' in img


def test_imported_header_has_rendition_rows(client, media_root, lean_npm):
    client.get(lean_npm.get_absolute_url())
    renditions = Rendition.objects.filter(source=lean_npm.header_image.name)
    assert {r.spec for r in renditions} == {
        f"width-{width}.{image_format}"
        for width in (480, 960, 1024)
        for image_format in ("webp", "jpeg")
    }
    assert all((media_root / r.file.name).is_file() for r in renditions)


def test_imported_images_are_stored_under_content_hash_names(media_root, lean_npm):
    for field in ("header_image", "facebook_image", "twitter_image"):
        name = getattr(lean_npm, field).name
        assert re.fullmatch(r"images/[0-9a-f]{2}/[0-9a-f]{64}\.(jpg|png)", name), field
        assert (media_root / name).is_file()


def test_imported_post_has_a_social_card(client, lean_npm):
    response = client.get(f"/og/post/{lean_npm.slug}.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


# --- Bad images fail their file ---------------------------------------------------------------


def test_bundle_with_a_good_header_imports(tmp_path, run_import):
    site = write_bundle(
        tmp_path / "site", "./cover.png", {"cover.png": image_bytes(64, 48, "PNG")}
    )
    report = run_import(site)
    assert (report.created, report.errors) == (1, [])


BAD_HEADERS = [
    pytest.param("cover.jpg", lambda: SVG, {}, id="svg-renamed-jpg"),
    pytest.param("cover.jpg", lambda: HTML, {}, id="html-renamed-jpg"),
    pytest.param("cover.jpg", lambda: truncated(noisy_image()), {}, id="truncated"),
    pytest.param(
        "cover.jpg", lambda: image_bytes(64, 48), {"IMAGE_MAX_UPLOAD_BYTES": 100}, id="too-large"
    ),
    pytest.param(
        "cover.jpg", lambda: image_bytes(64, 48), {"IMAGE_MAX_PIXELS": 100}, id="too-many-pixels"
    ),
    pytest.param("cover.png", lambda: huge_png(20_000, 20_000), {}, id="decompression-bomb"),
]


@pytest.mark.parametrize(("name", "data", "limits"), BAD_HEADERS)
def test_bad_header_image_fails_its_file_with_one_clear_line(
    settings, tmp_path, media_root, run_import, name, data, limits
):
    for setting, value in limits.items():
        setattr(settings, setting, value)
    site = write_bundle(tmp_path / "site", f"./{name}", {name: data()})

    report = run_import(site)

    assert report.failed == 1, report
    assert len(report.errors) == 1
    assert f"header_img: ./{name}" in report.errors[0]
    assert not Post.objects.exists()
    assert media_files(media_root) == set()
