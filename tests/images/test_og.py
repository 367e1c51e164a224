"""Open Graph cards: 1200×630 JPEGs under 200 KB, text inside the margins, keyed by what they
show, served with an ETag at /og/<kind>/<slug>.jpg, drawn once and redrawn when they change."""

import re
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.utils.http import quote_etag
from PIL import Image, ImageChops, ImageStat

from images import og
from images.og import CardContent, card_file, card_for, draw_card, render_card
from tests.factories import PostFactory, TalkFactory, days_ago
from tests.images.builders import grainy_photo, image_bytes, store_bytes, stored_image

pytestmark = pytest.mark.django_db

MARGIN_BOX = (og.MARGIN, og.MARGIN, og.WIDTH - og.MARGIN, og.HEIGHT - og.FOOTER)
FOOTER_BAND = (og.MARGIN, og.HEIGHT - og.FOOTER, og.WIDTH - og.MARGIN, og.HEIGHT)
LONG_TITLE = " ".join(["Streams"] + ["and backpressure in Node.js"] * 15)[:400]
LONG_WORD = "Supercalifragilistic" * 10


def card_image(content: CardContent) -> Image.Image:
    image = Image.open(BytesIO(draw_card(content)))
    image.load()
    return image


def close_to(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 3) -> bool:
    """Whether a decoded JPEG's pixel is the colour drawn, give or take its rounding."""
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def card(title: str = "A title", **fields) -> CardContent:
    return CardContent(
        title=title, footer_left=fields.pop("footer_left", "Talks & Posts"), **fields
    )


def drawn_box(content: CardContent, blank: CardContent) -> tuple[int, int, int, int] | None:
    """Where `content` differs from the same card with less drawn on it (as drawn, before
    JPEG's 8×8 blocks blur the difference past the ink)."""
    return ImageChops.difference(render_card(content), render_card(blank)).getbbox()


def inside(box, frame) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


# --- Size -------------------------------------------------------------------------------------


HEADERS = {
    "no-header": lambda: "",
    "wide-header": lambda: stored_image(800, 150),
    "tall-header": lambda: stored_image(150, 800),
    "tiny-header": lambda: stored_image(40, 30),
    "png-header": lambda: stored_image(300, 400, "PNG"),
    "missing-header-file": lambda: "images/00/" + "0" * 64 + ".jpg",
}


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
def test_drawn_card_is_a_1200_by_630_jpeg_whatever_the_header(header):
    image = card_image(card("Lean NPM packages", image=header()))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1200, 630))


CARD_BYTES_LIMIT = 200_000  # PNG cards over photos weighed about 1 MB


@pytest.mark.parametrize("field", ["image", "social_image"])
def test_card_over_a_grainy_photo_is_a_jpeg_under_200_kb(field):
    data = draw_card(card(LONG_TITLE, **{field: store_bytes(grainy_photo())}))
    assert len(data) < CARD_BYTES_LIMIT
    image = Image.open(BytesIO(data))
    image.load()  # a truncated or broken file fails here
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1200, 630))


def test_card_of_a_typical_photo_keeps_the_best_quality():
    # Darkened under the title, even a grainy photo fits without lowering the quality.
    content = card(image=store_bytes(grainy_photo()))
    best = BytesIO()
    render_card(content).save(best, format="JPEG", quality=og.QUALITIES[0], **og.JPEG_OPTIONS)
    assert draw_card(content) == best.getvalue()


def test_card_keeps_the_look_of_the_drawn_card():
    # The title's edges survive compression: the JPEG is close to what was drawn, pixel for
    # pixel, and its text box is where the drawing's is.
    content = card("Lean NPM packages: keep what you publish small")
    drawn, encoded = render_card(content), card_image(content)
    difference = ImageChops.difference(drawn, encoded).convert("L")
    assert max(ImageStat.Stat(difference).mean) < 2
    assert difference.point(lambda value: 255 if value > 64 else 0).getbbox() is None


@pytest.mark.parametrize(
    "title", [LONG_TITLE, LONG_WORD, ""], ids=["400-characters", "200-character-word", "empty"]
)
def test_drawn_card_is_a_1200_by_630_jpeg_whatever_the_title(title):
    image = card_image(card(title, image=HEADERS["wide-header"]()))
    assert (image.format, image.size) == ("JPEG", (1200, 630))


@pytest.mark.parametrize("size", [(300, 300), (3000, 200), (20, 20), (630, 1200), (1200, 630)])
def test_card_from_an_uploaded_social_image_is_exactly_1200_by_630(size):
    image = card_image(card(social_image=stored_image(*size, "PNG", color="orange")))
    assert (image.format, image.size) == ("JPEG", (1200, 630))
    low, high = zip(*image.getextrema(), strict=True)
    assert close_to(low, (255, 165, 0)) and close_to(high, (255, 165, 0))


def test_uploaded_social_image_is_shown_as_it_is_without_title_or_footer():
    social = stored_image(1200, 630, "PNG", color="orange")
    assert draw_card(card("One", social_image=social)) == draw_card(
        card("Two", social_image=social)
    )


def test_card_from_a_transparent_social_image_is_opaque():
    transparent = store_bytes(image_bytes(60, 40, "PNG", mode="RGBA", color=(0, 0, 0, 0)), "PNG")
    assert card_image(card(social_image=transparent)).mode == "RGB"


def test_unreadable_social_image_falls_back_to_a_drawn_card():
    image = card_image(card(social_image="images/00/" + "0" * 64 + ".png"))
    assert image.size == (1200, 630)
    assert close_to(image.getpixel((600, 40)), og.BRAND)


def test_card_without_a_header_has_the_brand_background():
    assert close_to(card_image(card()).getpixel((600, 40)), og.BRAND)


def test_card_with_a_header_is_covered_and_darkened():
    image = card_image(card(image=stored_image(800, 420, "PNG", color="white")))
    red, green, blue = image.convert("RGB").getpixel((1190, 40))
    assert max(red, green, blue) < 128
    assert close_to((red, green), (blue, blue))  # the white photo, darkened, not the brand


def test_cards_are_drawn_in_the_font_shipped_with_the_project():
    for bold in (True, False):
        path = og.font(40, bold=bold).path
        assert path.startswith(str(og.FONTS))
        assert (og.FONTS / path.rsplit("/", 1)[1]).is_file()


# --- Text stays inside ------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["no-header", "wide-header"])
@pytest.mark.parametrize(
    "title",
    [
        "Lean NPM packages",
        LONG_TITLE,
        LONG_WORD,
        "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
        "Glyphs that reach out: gjpqy ÇÅ Ŵ ÿ fff",
        "A title\nwith a newline\tand a tab",
        "JavaScript streams, by example",
    ],
    ids=[
        "short",
        "400-characters",
        "200-character-word",
        "wide-letters",
        "accents",
        "breaks",
        "starts-with-J",
    ],
)
def test_title_stays_inside_the_margins(header, title):
    image = HEADERS[header]()
    box = drawn_box(card(title, image=image), card("", image=image))
    assert box is not None, "the title was not drawn"
    assert inside(box, MARGIN_BOX), box


def test_title_too_long_for_the_smallest_size_is_cut_with_an_ellipsis():
    width, height = MARGIN_BOX[2] - MARGIN_BOX[0], MARGIN_BOX[3] - MARGIN_BOX[1]
    face, lines = og._fit_title(LONG_TITLE * 3, width, height)
    assert lines[-1].endswith("…")
    assert len(lines) * face.size * 1.2 <= height


@pytest.mark.parametrize(
    ("footer_left", "footer_right"),
    [
        ("Talks & Posts", "Example Conf · March 8-9 2024"),
        ("A site name far too long to fit in the space given to it " * 2, ""),
        ("Talks & Posts", "A conference with a very long name indeed, in a city · 8 March " * 3),
        ("S" * 200, "E" * 200),
    ],
    ids=["talk", "long-site-name", "long-event", "both-long"],
)
def test_footer_text_stays_inside_the_footer_band(footer_left, footer_right):
    content = card(footer_left=footer_left, footer_right=footer_right)
    box = drawn_box(content, card(footer_left="", footer_right=""))
    assert box is not None
    assert inside(box, FOOTER_BAND), box


def test_footer_texts_do_not_overlap():
    left_only = drawn_box(card(footer_left="S" * 200), card(footer_left=""))
    right_only = drawn_box(
        card(footer_left="S" * 200, footer_right="E" * 200), card(footer_left="S" * 200)
    )
    assert left_only[2] < right_only[0]


# --- Keys -------------------------------------------------------------------------------------


CHANGES = {
    "title": {"title": "A new title"},
    "header-image": {"header_image": "images/ab/" + "b" * 64 + ".jpg"},
    "focal-x": {"focal_x": 0.8},
    "focal-y": {"focal_y": 0.2},
    "social-image": {"og_image": "images/cd/" + "d" * 64 + ".png"},
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_card_key_changes_with_what_the_card_shows(change):
    post = PostFactory(header_image="images/aa/" + "a" * 64 + ".jpg")
    before = card_for(post).key
    for field, value in change.items():
        setattr(post, field, value)
    assert card_for(post).key != before


@pytest.mark.parametrize("change", [{"event_name": "Other Conf"}, {"event_days": "May 1 2024"}])
def test_talk_card_key_changes_with_its_event(change):
    talk = TalkFactory()
    before = card_for(talk).key
    for field, value in change.items():
        setattr(talk, field, value)
    assert card_for(talk).key != before


@pytest.mark.parametrize(
    "change", [{"body": "Other text."}, {"description": "Other."}, {"status": "draft"}]
)
def test_card_key_stays_when_nothing_shown_changes(change):
    post = PostFactory()
    before = card_for(post).key
    for field, value in change.items():
        setattr(post, field, value)
    post.save()
    assert card_for(post).key == before


def test_talk_card_footer_shows_the_event_and_its_days():
    assert card_for(TalkFactory()).footer_right == "Example Conf · 8–9 March 2024"


def test_card_key_follows_the_site_name(settings):
    post = PostFactory()
    before = card_for(post).key
    settings.SITE_NAME = "Another site"
    assert card_for(post).key != before


def test_card_is_stored_under_a_jpeg_name():
    assert re.fullmatch(r"og/[0-9a-f]{2}/[0-9a-f]{32}\.jpg", card().storage_name)


def test_card_key_follows_the_format(monkeypatch):
    # The ETag and the ?v= of pages are the key: a PNG card a browser or CDN kept must not
    # pass for the JPEG one.
    before = card().key
    monkeypatch.setattr(og, "CARD_FORMAT", "PNG")
    assert card().key != before


def test_social_card_url_carries_the_card_key(settings):
    post = PostFactory(slug="lean-npm")
    assert post.social_card_url == (
        f"{settings.SITE_URL}/og/post/lean-npm.jpg?v={card_for(post).key[:12]}"
    )
    before = post.social_card_url
    post.title = "A new title"
    assert post.social_card_url != before


# --- Stored once ------------------------------------------------------------------------------


def test_card_is_drawn_once_then_read_from_storage(monkeypatch):
    drawn = []
    real_draw = og.draw_card
    monkeypatch.setattr(
        og, "draw_card", lambda content: drawn.append(content) or real_draw(content)
    )
    content = card()
    first = card_file(content)
    second = card_file(content)
    assert first == second == content.storage_name
    assert default_storage.exists(first)
    assert drawn == [content]


# --- The view ---------------------------------------------------------------------------------


def get_card(client, item, **headers):
    return client.get(f"/og/{item._meta.model_name}/{item.slug}.jpg", headers=headers)


@pytest.mark.parametrize("factory", [PostFactory, TalkFactory], ids=["post", "talk"])
def test_card_is_served_as_a_1200_by_630_jpeg_with_an_etag(client, factory):
    item = factory()
    response = get_card(client, item)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["ETag"] == quote_etag(card_for(item).key)
    assert Image.open(BytesIO(response.content)).size == (1200, 630)
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]


def test_card_request_with_the_current_etag_gets_304(client):
    post = PostFactory()
    etag = get_card(client, post)["ETag"]
    response = get_card(client, post, if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_changed_title_changes_key_page_url_and_etag_and_the_old_etag_gets_the_new_card(
    client, django_capture_on_commit_callbacks
):
    post = PostFactory(title="Old title")
    old_key, old_url = card_for(post).key, post.social_card_url
    old = get_card(client, post)

    with django_capture_on_commit_callbacks(execute=True):
        post.title = "New title"
        post.save()

    new = get_card(client, post, if_none_match=old["ETag"])
    assert card_for(post).key != old_key
    assert post.social_card_url != old_url
    assert f"?v={card_for(post).key[:12]}" in client.get(post.get_absolute_url()).content.decode()
    assert new.status_code == 200
    assert new["ETag"] != old["ETag"]
    assert new.content != old.content


def test_unchanged_item_keeps_its_key_and_etag(client, django_capture_on_commit_callbacks):
    post = PostFactory()
    first = get_card(client, post)
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    assert get_card(client, post)["ETag"] == first["ETag"]
    assert default_storage.exists(card_for(post).storage_name)


CARD_CHANGES = {
    "title": lambda post: setattr(post, "title", "A new title"),
    "focal-point": lambda post: setattr(post, "focal_x", 0.9),
    "header-image": lambda post: setattr(post, "header_image", stored_image(64, 48, color="red")),
}


@pytest.mark.parametrize("change", CARD_CHANGES.values(), ids=CARD_CHANGES.keys())
def test_old_card_file_is_deleted_on_commit_after_a_change(
    client, django_capture_on_commit_callbacks, change
):
    post = PostFactory(header_image=stored_image(64, 48))
    get_card(client, post)
    old_card = card_for(post).storage_name
    assert default_storage.exists(old_card)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change(post)
        post.save()
        assert default_storage.exists(old_card)  # not before the commit

    assert callbacks
    assert not default_storage.exists(old_card)
    assert get_card(client, post).status_code == 200
    assert default_storage.exists(card_for(post).storage_name)


def test_deleting_an_item_deletes_its_card_on_commit(client, django_capture_on_commit_callbacks):
    post = PostFactory()
    get_card(client, post)
    name = card_for(post).storage_name
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()
    assert not default_storage.exists(name)


def test_card_shared_by_two_items_is_still_served_after_one_changes(
    client, django_capture_on_commit_callbacks
):
    # Same title and no header: one card file. Cards are derived, so deleting the shared
    # file is harmless as long as the other item's card is drawn again.
    first, second = PostFactory(title="Same title"), PostFactory(title="Same title")
    assert card_for(first).storage_name == card_for(second).storage_name
    get_card(client, second)
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "Another title"
        first.save()
    response = get_card(client, second)
    assert response.status_code == 200
    assert Image.open(BytesIO(response.content)).size == (1200, 630)


@pytest.mark.parametrize(
    ("factory", "fields"),
    [
        (PostFactory, {"status": "draft"}),
        (PostFactory, {"date": days_ago(-3)}),  # scheduled
        (TalkFactory, {"status": "draft"}),
    ],
    ids=["draft-post", "scheduled-post", "draft-talk"],
)
def test_card_of_an_unpublished_item_is_404_for_visitors(client, factory, fields):
    assert get_card(client, factory(**fields)).status_code == 404


@pytest.mark.parametrize("factory", [PostFactory, TalkFactory], ids=["post", "talk"])
def test_card_of_a_draft_is_shown_to_editors_and_not_cached(editor_client, factory):
    response = get_card(editor_client, factory(status="draft"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url", ["/og/page/post-number-0.jpg", "/og/person/x.jpg", "/og/post/no-such-post.jpg"]
)
def test_unknown_kind_or_slug_is_404(client, url):
    PostFactory(slug="post-number-0")
    assert client.get(url).status_code == 404


def test_card_url_refuses_post(client):
    post = PostFactory()
    assert client.post(f"/og/post/{post.slug}.jpg").status_code == 405


# --- Pages ------------------------------------------------------------------------------------


def meta(content: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', content)
    assert match, f"no {name} meta tag"
    return match.group(1)


@pytest.mark.parametrize("factory", [PostFactory, TalkFactory], ids=["post", "talk"])
def test_detail_page_points_og_image_at_the_card(client, settings, factory):
    item = factory()
    content = client.get(item.get_absolute_url()).content.decode()
    url = meta(content, "property", "og:image")
    kind = item._meta.model_name
    assert url == f"{settings.SITE_URL}/og/{kind}/{item.slug}.jpg?v={card_for(item).key[:12]}"
    assert url.startswith(("http://", "https://"))
    assert meta(content, "property", "og:image:type") == "image/jpeg"
    assert meta(content, "property", "og:image:width") == "1200"
    assert meta(content, "property", "og:image:height") == "630"
    assert meta(content, "name", "twitter:card") == "summary_large_image"
    assert meta(content, "name", "twitter:image") == url


def test_pages_without_an_item_point_og_image_at_the_site_card_with_its_type(client, settings):
    content = client.get("/blog/").content.decode()
    url = meta(content, "property", "og:image")
    assert url.startswith(f"{settings.SITE_URL}/og/site.jpg?v=")
    assert meta(content, "property", "og:image:type") == "image/jpeg"
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(BytesIO(response.content)).format == "JPEG"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/og/post/lean-npm.png?v=0123456789ab", "/og/post/lean-npm.jpg?v=0123456789ab"),
        ("/og/talk/lean-npm.png", "/og/talk/lean-npm.jpg"),
        ("/og/site.png?v=0123456789ab", "/og/site.jpg?v=0123456789ab"),
    ],
)
def test_png_card_addresses_of_pages_cached_before_redirect_to_the_jpeg(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


@pytest.mark.parametrize("factory", [PostFactory, TalkFactory], ids=["post", "talk"])
def test_og_image_of_a_page_is_served(client, settings, factory):
    item = factory()
    content = client.get(item.get_absolute_url()).content.decode()
    path = meta(content, "property", "og:image").removeprefix(settings.SITE_URL)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == meta(content, "property", "og:image:type")
    image = Image.open(BytesIO(response.content))
    assert (image.format, image.size) == ("JPEG", (1200, 630))
