"""Renditions: the configured widths an image can fill (never enlarged), in WebP and the
original format, made once and then read from the database."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from images.models import Rendition, Spec, make_rendition, responsive_specs
from images.responsive import (
    THUMBNAIL_SIZES,
    fill_picture,
    header_picture,
    prefetch_renditions,
    width_picture,
)
from tests.factories import PostFactory
from tests.images.builders import (
    camera_exif,
    image_bytes,
    media_files,
    open_stored,
    store_bytes,
    stored_image,
)

# Counted queries are the views' own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def rendition_sizes(name: str) -> set[tuple[str, int, int]]:
    return {
        (rendition.spec, rendition.width, rendition.height)
        for rendition in Rendition.objects.filter(source=name)
    }


def expected_sizes(widths, width, height, original_format="jpeg"):
    return {
        (f"width-{w}.{image_format}", w, round(height * w / width))
        for w in widths
        for image_format in ("webp", original_format)
    }


def render(template: str, **context) -> str:
    return Template("{% load images %}" + template).render(Context(context))


# --- Widths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "widths"),
    [
        (3000, 500, [480, 960, 1440, 1920]),
        (1920, 360, [480, 960, 1440, 1920]),
        (1600, 300, [480, 960, 1440, 1600]),
        (500, 300, [480, 500]),
        (480, 270, [480]),
        (300, 200, [300]),
    ],
)
def test_renditions_fill_the_widths_the_image_has_and_never_enlarge(width, height, widths):
    post = PostFactory(header_image=stored_image(width, height))
    header_picture(post)
    assert rendition_sizes(post.header_image.name) == expected_sizes(widths, width, height)


def test_rendition_files_are_webp_and_jpeg_of_their_recorded_size(media_root):
    post = PostFactory(header_image=stored_image(1600, 300))
    header_picture(post)
    formats = set()
    for rendition in Rendition.objects.filter(source=post.header_image.name):
        image = open_stored(media_root, rendition.file.name)
        assert image.size == (rendition.width, rendition.height)
        formats.add(image.format)
    assert formats == {"WEBP", "JPEG"}


@pytest.mark.parametrize(("image_format", "kept"), [("PNG", "png"), ("GIF", "png")])
def test_renditions_of_other_formats_are_webp_and_png(image_format, kept):
    post = PostFactory(header_image=stored_image(600, 300, image_format))
    header_picture(post)
    assert rendition_sizes(post.header_image.name) == expected_sizes([480, 600], 600, 300, kept)


def test_widths_come_from_settings(settings):
    settings.IMAGE_RENDITION_WIDTHS = (100, 200)
    assert [(spec.width, spec.format) for spec in responsive_specs(300, "JPEG")] == [
        (100, "WEBP"),
        (100, "JPEG"),
        (200, "WEBP"),
        (200, "JPEG"),
    ]


def test_thumbnails_of_a_small_image_are_cropped_but_not_enlarged():
    post = PostFactory(header_image=stored_image(200, 150))
    fill_picture(post, THUMBNAIL_SIZES)
    renditions = Rendition.objects.filter(source=post.header_image.name)
    assert renditions.count() == 2 * len(THUMBNAIL_SIZES)
    for rendition in renditions:
        assert rendition.width <= 200, rendition.spec
        assert rendition.height <= 150, rendition.spec
        assert rendition.width / rendition.height == pytest.approx(16 / 9, rel=0.02)


def test_width_rendition_is_never_enlarged_even_when_asked():
    name = stored_image(300, 200)
    rendition = make_rendition(name, Spec(1920, format="JPEG"))
    assert (rendition.width, rendition.height) == (300, 200)


def test_renditions_of_a_stored_camera_photo_are_upright_and_without_metadata(media_root):
    # Imported files keep their bytes, EXIF included: renditions must still be upright and
    # carry no EXIF (no GPS position).
    post = PostFactory(header_image=store_bytes(image_bytes(400, 200, exif=camera_exif(6))))
    picture = width_picture(post.header_image.name, {})
    assert (picture.width, picture.height) == (200, 400)
    for rendition in Rendition.objects.all():
        image = open_stored(media_root, rendition.file.name)
        assert image.size == (200, 400)
        assert dict(image.getexif()) == {}


def test_a_portrait_header_is_shown_as_a_banner_around_its_focal_point(media_root):
    post = PostFactory(header_image=stored_image(900, 1600), focal_x=0.5, focal_y=0.2)
    picture = header_picture(post)
    assert (picture.width, picture.height) == (900, 450)


def test_a_landscape_header_is_shown_whole(media_root):
    post = PostFactory(header_image=stored_image(1600, 1000))
    picture = header_picture(post)
    assert (picture.width, picture.height) == (1600, 1000)


# --- Made once --------------------------------------------------------------------------------


def test_renditions_are_made_once_then_read_back(media_root):
    post = PostFactory(header_image=stored_image(1600, 300))
    first = header_picture(post)
    rows = set(Rendition.objects.values_list("pk", "spec"))
    files = media_files(media_root)

    again = Post.objects.get(pk=post.pk)
    with CaptureQueriesContext(connection) as queries:
        second = header_picture(again)

    assert second == first
    assert set(Rendition.objects.values_list("pk", "spec")) == rows
    assert media_files(media_root) == files
    assert len(queries) == 1  # the renditions of this source, in one query


def test_make_rendition_twice_returns_the_same_row():
    name = stored_image(600, 300)
    spec = Spec(480, format="WEBP")
    assert make_rendition(name, spec).pk == make_rendition(name, spec).pk
    assert Rendition.objects.count() == 1


def test_renditions_of_a_list_are_loaded_in_one_query():
    posts = [
        PostFactory(header_image=stored_image(600, 300, color=color))
        for color in ("red", "green", "blue")
    ]
    for post in posts:
        header_picture(post)
    fresh = list(Post.objects.filter(pk__in=[post.pk for post in posts]))
    with CaptureQueriesContext(connection) as queries:
        prefetch_renditions(fresh)
        pictures = [header_picture(post) for post in fresh]
    assert all(pictures)
    assert len(queries) == 1


def test_blog_list_query_count_does_not_grow_with_posts_with_images(client):
    def queries_for_list() -> int:
        client.get("/blog/")  # makes the renditions of new posts
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/blog/").status_code == 200
        return len(queries)

    for color in ("red", "green"):
        PostFactory(header_image=stored_image(400, 300, color=color))
    with_2 = queries_for_list()
    for color in ("blue", "navy", "olive", "teal", "gray", "pink"):
        PostFactory(header_image=stored_image(400, 300, color=color))
    with_8 = queries_for_list()
    assert with_2 == with_8


def test_missing_or_unreadable_file_shows_no_picture_rather_than_an_error():
    post = PostFactory(header_image="images/00/" + "0" * 64 + ".jpg")
    assert header_picture(post) is None
    assert render("{% header_image post %}", post=post) == ""


def test_item_without_image_shows_nothing():
    assert render("{% header_image post %}", post=PostFactory()) == ""


# --- Markup -----------------------------------------------------------------------------------


@pytest.fixture
def header_html():
    post = PostFactory(
        header_image=stored_image(1600, 300), header_image_alt='A "quoted" <b>cat</b> & dog'
    )
    return render("{% header_image post %}", post=post)


def attribute(html: str, tag: str, name: str) -> str:
    match = re.search(rf'<{tag}\b[^>]*\s{name}="([^"]*)"', html)
    assert match, f"no {name} on <{tag}> in {html}"
    return match.group(1)


def test_header_image_is_a_picture_with_a_webp_source(header_html):
    assert header_html.startswith("<picture><source ")
    assert attribute(header_html, "source", "type") == "image/webp"
    assert header_html.endswith("</picture>")


@pytest.mark.parametrize(
    ("tag", "extension"), [("source", "webp"), ("img", "jpg")], ids=["webp", "jpeg"]
)
def test_header_image_srcset_lists_every_width(header_html, tag, extension):
    srcset = attribute(header_html, tag, "srcset")
    candidates = [candidate.rsplit(" ", 1) for candidate in srcset.split(", ")]
    assert [width for _, width in candidates] == ["480w", "960w", "1440w", "1600w"]
    assert all(
        re.fullmatch(rf"/media/renditions/[0-9a-f]{{2}}/[0-9a-f]{{64}}\.{extension}", url)
        for url, _ in candidates
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sizes", "(max-width: 46rem) 100vw, 46rem"),
        ("width", "1600"),
        ("height", "300"),
        ("alt", "A &quot;quoted&quot; &lt;b&gt;cat&lt;/b&gt; &amp; dog"),
        ("loading", "eager"),
        ("fetchpriority", "high"),
        ("decoding", "async"),
    ],
)
def test_header_image_img_has(header_html, name, value):
    assert attribute(header_html, "img", name) == value


def test_header_image_src_is_the_largest_fallback(header_html):
    src = attribute(header_html, "img", "src")
    assert f"{src} 1600w" in attribute(header_html, "img", "srcset")


def test_post_page_shows_the_header_picture(client):
    post = PostFactory(header_image=stored_image(600, 300), header_image_alt="A harbour")
    content = client.get(post.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="/media/renditions/' in content
    assert 'alt="A harbour"' in content
