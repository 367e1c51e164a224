"""A focal point drives every crop: the box numbers, the pixels kept, the rendition keys."""

from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from blog.models import Post
from images import og
from images.models import Rendition
from images.processing import fill, focal_crop, open_image
from images.responsive import THUMBNAIL_SIZES, fill_picture
from publishing.admin import ADMIN_THUMBNAIL_SIZES
from tests.factories import PostFactory
from tests.images.builders import halves, open_stored, store_bytes

RED, BLUE = (255, 0, 0), (0, 0, 255)


# --- The box ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "target", "focus", "box"),
    [
        # A wide image cropped square: the focal point picks the side.
        ((2000, 1000), (1000, 1000), (0.9, 0.5), (1000, 0, 2000, 1000)),
        ((2000, 1000), (1000, 1000), (0.1, 0.5), (0, 0, 1000, 1000)),
        ((2000, 1000), (1000, 1000), (0.5, 0.5), (500, 0, 1500, 1000)),
        ((2000, 1000), (1000, 1000), (0.6, 0.5), (700, 0, 1700, 1000)),
        # A tall image: the focal point picks the height.
        ((1000, 2000), (100, 100), (0.5, 0.9), (0, 1000, 1000, 2000)),
        ((1000, 2000), (100, 100), (0.5, 0.3), (0, 100, 1000, 1100)),
        # A 3:2 photo to a 1200 by 630 card: full width, the band around the focal point.
        ((3000, 2000), (1200, 630), (0.5, 0.5), (0, 212, 3000, 1787)),
        ((3000, 2000), (1200, 630), (0.5, 0.0), (0, 0, 3000, 1575)),
        # Same aspect ratio: nothing is cut whatever the focal point.
        ((2400, 1260), (1200, 630), (0.9, 0.1), (0, 0, 2400, 1260)),
        # A focal point outside 0..1 is held at the edge.
        ((2000, 1000), (1000, 1000), (1.5, 0.5), (1000, 0, 2000, 1000)),
        ((2000, 1000), (1000, 1000), (-0.2, 0.5), (0, 0, 1000, 1000)),
    ],
)
def test_focal_crop_box(image, target, focus, box):
    assert focal_crop(*image, *target, *focus) == box


CROP_TARGETS = [*THUMBNAIL_SIZES, *ADMIN_THUMBNAIL_SIZES, (og.WIDTH, og.HEIGHT)]


@given(
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
    target=st.sampled_from(CROP_TARGETS),
    focal_x=st.floats(0, 1),
    focal_y=st.floats(0, 1),
)
def test_focal_crop_box_lies_in_the_image_and_holds_the_focal_point(
    width, height, target, focal_x, focal_y
):
    left, top, right, bottom = focal_crop(width, height, *target, focal_x, focal_y)
    assert 0 <= left < right <= width
    assert 0 <= top < bottom <= height
    assert left - 1 <= focal_x * width <= right + 1
    assert top - 1 <= focal_y * height <= bottom + 1
    # As wide (or as tall) as the image allows.
    assert right - left == width or bottom - top == height


# --- The pixels kept --------------------------------------------------------------------------


@pytest.mark.parametrize(("focal_x", "color"), [(0.9, BLUE), (0.1, RED)])
def test_fill_keeps_the_side_of_the_focal_point(focal_x, color):
    image = open_image(halves(400, 100))
    cropped = fill(image, 100, 100, focal_x, 0.5)
    assert cropped.size == (100, 100)
    assert cropped.getcolors() == [(100 * 100, color)]


@pytest.mark.django_db
@pytest.mark.parametrize(("focal_x", "color"), [(0.9, BLUE), (0.1, RED)])
def test_thumbnail_keeps_the_side_of_the_focal_point(media_root, focal_x, color):
    post = PostFactory(header_image=store_bytes(halves(800, 180), "PNG"), focal_x=focal_x)
    picture = fill_picture(post, [(100, 100)])
    thumbnail = open_stored(media_root, picture.src.removeprefix("/media/")).convert("RGB")
    assert thumbnail.getpixel((50, 50)) == color


@pytest.mark.django_db
@pytest.mark.parametrize(("focal_x", "side"), [(0.9, "blue"), (0.1, "red")])
def test_drawn_card_background_keeps_the_side_of_the_focal_point(focal_x, side):
    header = store_bytes(halves(2400, 630), "PNG")
    content = og.CardContent(title="", footer_left="Site", image=header, focal_x=focal_x)
    card = Image.open(BytesIO(og.draw_card(content))).convert("RGB")
    red, _, blue = card.getpixel((600, 300))
    assert (blue > red) == (side == "blue")


@pytest.mark.django_db
@pytest.mark.parametrize(("focal_x", "color"), [(0.9, BLUE), (0.1, RED)])
def test_uploaded_social_image_keeps_the_side_of_the_focal_point(focal_x, color):
    social = store_bytes(halves(3000, 630), "PNG")
    content = og.CardContent(title="T", footer_left="Site", social_image=social, focal_x=focal_x)
    assert og.render_card(content).getpixel((600, 315)) == color  # as drawn, before JPEG


# --- Keys -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_thumbnails_change_key_and_file_when_the_focal_point_changes():
    post = PostFactory(header_image=store_bytes(halves(800, 180), "PNG"), focal_x=0.1)
    before = fill_picture(post, THUMBNAIL_SIZES)
    specs_before = set(Rendition.objects.values_list("spec", flat=True))

    post.focal_x = 0.9
    post.save()
    after = fill_picture(post, THUMBNAIL_SIZES)
    specs_after = set(Rendition.objects.values_list("spec", flat=True)) - specs_before

    assert before.src != after.src
    assert len(specs_after) == len(specs_before) == 2 * len(THUMBNAIL_SIZES)
    assert all("-focus-0.900-0.500" in spec for spec in specs_after)


@pytest.mark.django_db
def test_thumbnail_key_is_the_same_for_the_same_focal_point():
    post = PostFactory(header_image=store_bytes(halves(800, 180), "PNG"), focal_x=0.25)
    first = fill_picture(post, THUMBNAIL_SIZES)
    post.save()
    assert fill_picture(Post.objects.get(pk=post.pk), THUMBNAIL_SIZES) == first
    assert Rendition.objects.count() == 2 * len(THUMBNAIL_SIZES)
