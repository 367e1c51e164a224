"""Open Graph cards: the 1200×630 image social networks show for a shared page.

An uploaded social image is cropped to 1200×630 around the focal point. Without one, a
card is drawn: the header image covered and darkened (or a solid branded background),
the title wrapped over it, and the site name (for talks also the event and its date) in
a footer band, in a font shipped with the project.

Cards are JPEGs. Every crawler that unfurls a link reads JPEG (Facebook, LinkedIn, X,
Slack, Mastodon, iMessage), while WebP is still refused or shown blank by some of them,
and a PNG card over a photo weighed about 1 MB, more than some crawlers fetch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from images import processing

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FOOTER = 96
BRAND = (11, 54, 97)
ACCENT = (253, 186, 116)
FONTS = Path(__file__).resolve().parent / "fonts"
CARD_FORMAT = "JPEG"
CARD_CONTENT_TYPE = "image/jpeg"
CARD_EXTENSION = ".jpg"
# 4:2:0 chroma: text edges are in the luma channel, which JPEG keeps at full resolution, so
# titles stay crisp; full-resolution chroma (4:4:4) made a card over a grainy photo 30%
# heavier for a difference not visible at the card's size.
JPEG_OPTIONS = {"subsampling": "4:2:0", "optimize": True}
# Quality 85, lowered step by step only for the rare picture that would weigh more than
# MAX_BYTES at it (an uploaded social image of a grainy photo, which is not darkened):
# crawlers fetch large images slowly or not at all.
QUALITIES = (85, 80, 75, 70, 60, 50)
MAX_BYTES = 200_000
# Part of every card's key: a change to this module (how cards are drawn) or to the fonts
# it draws with gives every card a new key, so stored cards are drawn again.
CARD_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in [Path(__file__), *sorted(FONTS.glob("*.ttf"))])
).hexdigest()[:12]


@cache
def font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


@dataclass(frozen=True)
class CardContent:
    """Everything a card shows; its hash names the cached file."""

    title: str
    footer_left: str
    footer_right: str = ""
    image: str = ""  # stored name of the header image
    social_image: str = ""  # stored name of an uploaded social image
    focal_x: float = 0.5
    focal_y: float = 0.5

    @property
    def key(self) -> str:
        text = "\x1f".join(
            [
                CARD_VERSION,
                CARD_FORMAT,
                self.title,
                self.footer_left,
                self.footer_right,
                self.image,
                self.social_image,
                f"{self.focal_x:.3f}",
                f"{self.focal_y:.3f}",
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def storage_name(self) -> str:
        return f"og/{self.key[:2]}/{self.key}{CARD_EXTENSION}"


def card_for(item) -> CardContent:
    """The card of a post or talk."""
    footer_right = ""
    if hasattr(item, "event_name"):
        footer_right = " · ".join(part for part in (item.event_name, item.when) if part)
    return CardContent(
        title=item.title,
        footer_left=settings.SITE_NAME,
        footer_right=footer_right,
        image=item.header_image.name if item.header_image else "",
        social_image=item.og_image.name if item.og_image else "",
        focal_x=item.focal_x,
        focal_y=item.focal_y,
    )


def _load(name: str) -> Image.Image | None:
    try:
        with default_storage.open(name, "rb") as handle:
            return processing.open_image(handle.read(), want=(WIDTH, HEIGHT))
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _ink_width(face: ImageFont.FreeTypeFont, text: str) -> float:
    """Width from the start of the line to the end of its ink or advance, whichever is
    wider, counting glyphs that reach left of their origin."""
    left, _, right, _ = face.getbbox(text)
    return max(face.getlength(text), right) - min(0, left)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break `text` into lines no wider than `width`; a word too long for a line is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if _ink_width(face, candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while _ink_width(face, word) > width:  # one very long word
            cut = len(word)
            while cut > 1 and _ink_width(face, word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _fit_title(title: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font size at which the title fits; past the smallest, an ellipsis."""
    for size in (72, 64, 56, 48, 42, 36):
        face = font(size)
        lines = wrap(title, face, width)
        if len(lines) * size * 1.2 <= height:
            return face, lines
    face = font(36)
    lines = wrap(title, face, width)
    keep = max(1, int(height // (36 * 1.2)))
    if len(lines) > keep:
        last = lines[keep - 1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: keep - 1], last.rstrip() + "…"]
    return face, lines


def _truncate(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw_card(content: CardContent) -> bytes:
    """The JPEG bytes of a 1200×630 card, at the best quality that fits MAX_BYTES."""
    card = render_card(content)
    for quality in QUALITIES:
        output = BytesIO()
        card.save(output, format=CARD_FORMAT, quality=quality, **JPEG_OPTIONS)
        if output.tell() <= MAX_BYTES:
            break
    return output.getvalue()


def render_card(content: CardContent) -> Image.Image:
    """The 1200×630 card as an RGB image, before it is encoded."""
    if content.social_image:
        uploaded = _load(content.social_image)
        if uploaded is not None:
            return processing.fill(
                uploaded, WIDTH, HEIGHT, content.focal_x, content.focal_y, upscale=True
            ).convert("RGB")

    header = _load(content.image) if content.image else None
    if header is not None:
        background = processing.fill(
            header, WIDTH, HEIGHT, content.focal_x, content.focal_y, upscale=True
        )
        background = background.convert("RGB")
        # Darken so that white text reads on any photo.
        card = Image.blend(background, Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 0)), 0.58)
    else:
        card = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(card)

    # Footer band: site name left; for talks, event and date right.
    draw.rectangle((0, HEIGHT - FOOTER, WIDTH, HEIGHT), fill=(0, 0, 0))
    draw.rectangle((0, HEIGHT - FOOTER, 12, HEIGHT), fill=ACCENT)
    small = font(30)
    regular = font(28, bold=False)
    baseline = HEIGHT - FOOTER / 2
    right_width = WIDTH - 2 * MARGIN - min(small.getlength(content.footer_left), 420) - 40
    draw.text(
        (MARGIN, baseline),
        _truncate(content.footer_left, small, 420),
        font=small,
        fill=ACCENT,
        anchor="lm",
    )
    if content.footer_right:
        draw.text(
            (WIDTH - MARGIN, baseline),
            _truncate(content.footer_right, regular, right_width),
            font=regular,
            fill=(235, 235, 235),
            anchor="rm",
        )

    area_height = HEIGHT - FOOTER - 2 * MARGIN
    face, lines = _fit_title(content.title, WIDTH - 2 * MARGIN, area_height)
    line_height = face.size * 1.2
    top = MARGIN + (area_height - line_height * len(lines)) / 2
    for number, line in enumerate(lines):
        # Some glyphs ("J") reach left of their origin: start the ink at the margin.
        left = MARGIN - min(0, face.getbbox(line)[0])
        draw.text((left, top + number * line_height), line, font=face, fill=(255, 255, 255))
    return card


def card_file(content: CardContent) -> str:
    """The stored name of the card, drawn on first use."""
    name = content.storage_name
    if not default_storage.exists(name):
        processing.store(draw_card(content), name)
    return name


def card_bytes(content: CardContent) -> bytes:
    """The card's bytes: read from storage when stored (opened at once, without asking first
    whether it exists: on object storage that is one round trip fewer), else drawn and
    stored."""
    try:
        with default_storage.open(content.storage_name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        data = draw_card(content)
        processing.store(data, content.storage_name)
        return data


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(BytesIO(data)) as image:
        return image.size
