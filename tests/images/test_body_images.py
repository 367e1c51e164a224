"""Images of bodies: a visitor gets stripped renditions in a <picture>, never the stored
original (which keeps its camera metadata, for export); links and posters to an image go
to its largest rendition; feeds and the admin link renditions too."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Post
from images.models import Rendition
from tests.images.builders import camera_exif, image_bytes, open_stored

pytestmark = pytest.mark.django_db

BUNDLE = "posts/2021-04-01_holiday-photos"


def photo(width: int = 1200, height: int = 900, color: str = "teal") -> bytes:
    """A phone photo: EXIF with a camera model and a GPS position (upright, orientation 1)."""
    return image_bytes(width, height, color=color, exif=camera_exif(orientation=1))


def write_post(root: Path, body: str, files: dict[str, bytes], header: str | None = None) -> Path:
    folder = root / BUNDLE
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    header_line = f"header_img: {header}\n" if header else ""
    (folder / "index.md").write_text(
        "---\nuuid: 5b1f0c2e-3d4a-4b5c-8d6e-7f8091a2b3c4\nlayout: post\ntitle: Holiday photos\n"
        "slug: holiday-photos\ndate: 2021-04-01T10:00:00.000Z\nstatus: published\n"
        f"{header_line}---\n\n{body}"
    )
    return root


@pytest.fixture
def import_post(tmp_path, run_import):
    """Import one post bundle like the command does (deferred file writes run)."""

    def run(body: str, files: dict[str, bytes], header: str | None = None) -> Post:
        site = write_post(tmp_path / "site", body, files, header)
        report = run_import(site)
        assert (report.created, report.errors, report.warnings) == (1, [], [])
        return Post.objects.get()

    return run


def page_of(client, post: Post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored_original(post: Post, reference: str) -> str:
    return post.attachments.get(reference=reference).file.name


PICTURE_RE = re.compile(r"<picture><source ([^>]*)><img ([^>]*)></picture>")
RENDITION_URL = r"/media/renditions/[0-9a-f]{2}/[0-9a-f]{64}\.(?:webp|jpg|png)"


def test_body_image_is_a_picture_of_renditions_never_the_original(client, media_root, import_post):
    post = import_post("![The beach at noon](./beach.jpg)\n", {"beach.jpg": photo()})

    page = page_of(client, post)

    original = stored_original(post, "./beach.jpg")
    assert f"/media/{original}" not in page
    assert "stored-image:" not in page
    [(source, img)] = PICTURE_RE.findall(page)
    assert 'type="image/webp"' in source
    webp = re.findall(rf"{RENDITION_URL} (\d+)w", source)
    jpeg = re.findall(rf"{RENDITION_URL} (\d+)w", img)
    assert webp == jpeg == ["480", "960", "1200"]  # never enlarged
    assert re.findall(r"\.(\w+) \d+w", source) == ["webp"] * 3
    assert re.findall(r"\.(\w+) \d+w", img) == ["jpg"] * 3
    assert re.search(rf'src="{RENDITION_URL}"', img)
    assert 'width="1200" height="900"' in img
    assert 'alt="The beach at noon"' in img
    assert 'sizes="(max-width: 46rem) 100vw, 46rem"' in img
    assert 'decoding="async"' in img
    # The original stays stored as it came (export writes it back), metadata and all.
    assert (media_root / original).read_bytes() == photo()


def test_body_image_renditions_carry_no_camera_metadata(client, media_root, import_post):
    post = import_post("![The beach](./beach.jpg)\n", {"beach.jpg": photo()})
    original = stored_original(post, "./beach.jpg")
    assert dict(open_stored(media_root, original).getexif())  # the original has its GPS

    page_of(client, post)

    renditions = Rendition.objects.filter(source=original)
    assert {r.spec.rsplit(".", 1)[1] for r in renditions} == {"webp", "jpeg"}
    for rendition in renditions:
        image = open_stored(media_root, rendition.file.name)
        assert dict(image.getexif()) == {}, rendition.spec
        assert "exif" not in image.info and "xmp" not in image.info, rendition.spec


def test_without_a_header_only_the_first_body_picture_loads_eagerly(client, import_post):
    post = import_post(
        "![First](./one.jpg)\n\nText.\n\n![Second](./two.jpg)\n",
        {"one.jpg": photo(color="red"), "two.jpg": photo(color="blue")},
    )

    pictures = PICTURE_RE.findall(page_of(client, post))

    assert [('loading="eager"' in img, 'fetchpriority="high"' in img) for _, img in pictures] == [
        (True, True),
        (False, False),
    ]
    assert 'loading="lazy"' in pictures[1][1]


def test_with_a_header_every_body_picture_loads_lazily(client, import_post):
    post = import_post(
        "![First](./one.jpg)\n\n![Second](./two.jpg)\n",
        {"cover.jpg": photo(color="gray"), "one.jpg": photo(color="red"), "two.jpg": photo()},
        header="./cover.jpg",
    )

    header, *body = PICTURE_RE.findall(page_of(client, post))

    assert 'loading="eager"' in header[1] and 'class="header-image"' in header[1]
    assert len(body) == 2
    assert all('loading="lazy"' in img and "fetchpriority" not in img for _, img in body)


def test_links_and_posters_to_an_image_go_to_its_largest_rendition(client, import_post):
    post = import_post(
        '[Full size](./beach.jpg)\n\n<video controls poster="./beach.jpg"></video>\n',
        {"beach.jpg": photo()},
    )

    page = page_of(client, post)

    largest = Rendition.objects.get(
        source=stored_original(post, "./beach.jpg"), spec="width-1200.jpeg"
    )
    assert f'<a href="{largest.url}"' in page
    assert f'poster="{largest.url}"' in page
    assert f"/media/{stored_original(post, './beach.jpg')}" not in page


def test_a_width_given_in_the_body_is_kept_with_the_aspect_ratio(client, import_post):
    post = import_post(
        '<img src="./beach.jpg" width="300" alt="Small" class="left" title="Noon">\n',
        {"beach.jpg": photo()},
    )

    [(_, img)] = PICTURE_RE.findall(page_of(client, post))

    assert 'width="300" height="225"' in img
    assert 'sizes="(max-width: 300px) 100vw, 300px"' in img
    assert 'class="left"' in img and 'title="Noon"' in img and 'alt="Small"' in img


def test_alt_text_is_escaped_once(client, import_post):
    post = import_post('![Fish & chips <b>"hot"</b>](./beach.jpg)\n', {"beach.jpg": photo()})

    [(_, img)] = PICTURE_RE.findall(page_of(client, post))

    assert 'alt="Fish &amp; chips &lt;b&gt;&quot;hot&quot;&lt;/b&gt;"' in img


def test_an_image_whose_file_is_gone_shows_its_alt_text(client, media_root, import_post):
    post = import_post("Before ![The beach](./beach.jpg) after.\n", {"beach.jpg": photo()})
    (media_root / stored_original(post, "./beach.jpg")).unlink()

    page = page_of(client, post)

    assert "<p>Before The beach after.</p>" in page
    assert "stored-image:" not in page


@pytest.mark.parametrize(
    "body",
    [
        '<img src="stored-image:images/00/secret.png" alt="x">',
        "![x](stored-image:images/00/secret.png)",
        '<a href="stored-image:images/00/secret.png">x</a>',
    ],
)
def test_a_body_cannot_name_a_stored_image_itself(body):
    post = Post.objects.create(title="Sneaky", slug="sneaky", body=body)
    assert "stored-image:" not in post.body_html
    assert "secret" not in post.body_html


def test_feeds_give_absolute_rendition_urls(client, settings, import_post):
    post = import_post("![The beach](./beach.jpg)\n", {"beach.jpg": photo()})
    page_of(client, post)  # the renditions exist from here on

    for feed in ("/blog/feed/", "/blog/atom/"):
        content = unescape(client.get(feed).content.decode())  # the item's HTML, as text
        assert f"/media/{stored_original(post, './beach.jpg')}" not in content, feed
        srcsets = re.findall(r'srcset="([^"]*)"', content)
        assert len(srcsets) == 2, feed  # the WebP <source> and the <img>
        for srcset in srcsets:
            for candidate in srcset.split(", "):
                assert candidate.startswith(f"{settings.SITE_URL}/media/renditions/"), candidate


def test_admin_change_form_does_not_link_an_imported_original(editor_client, import_post):
    post = import_post(
        "![The beach](./beach.jpg)\n",
        {"cover.jpg": photo(), "beach.jpg": photo(color="red")},
        header="./cover.jpg",
    )

    url = reverse("admin:blog_post_change", args=[post.pk])
    content = editor_client.get(url).content.decode()

    assert f"/media/{post.header_image.name}" not in content
    assert f"/media/{stored_original(post, './beach.jpg')}" not in content
    assert f'<span class="stored-image-name">{post.header_image.name}</span>' in content


@pytest.mark.usefixtures("no_page_cache")
def test_body_renditions_are_loaded_in_one_query(client, import_post):
    colors = ["red", "green", "blue", "navy"]
    post = import_post(
        "".join(f"![{color}](./{color}.jpg)\n\n" for color in colors),
        {f"{color}.jpg": photo(200, 100, color) for color in colors},
    )
    page_of(client, post)  # makes the renditions

    with CaptureQueriesContext(connection) as queries:
        page = page_of(client, post)

    assert len(PICTURE_RE.findall(page)) == 4
    rendition_queries = [q for q in queries if "images_rendition" in q["sql"]]
    assert len(rendition_queries) == 1


@pytest.mark.usefixtures("no_page_cache")
def test_header_and_body_renditions_are_loaded_in_one_query(client, import_post):
    post = import_post(
        "![red](./red.jpg)\n\n![blue](./blue.jpg)\n",
        {
            name: photo(200, 100, name.split(".")[0])
            for name in ("red.jpg", "blue.jpg", "navy.jpg")
        },
        header="navy.jpg",
    )
    page_of(client, post)  # makes the renditions

    with CaptureQueriesContext(connection) as queries:
        page = page_of(client, post)

    assert len(PICTURE_RE.findall(page)) == 3  # the header and the body's two
    rendition_queries = [q for q in queries if "images_rendition" in q["sql"]]
    assert len(rendition_queries) == 1
