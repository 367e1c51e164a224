#!/usr/bin/env python
"""Generate every image referenced by the demo content in this folder.

Usage (from the repository root):

    python demo/make_images.py

Only Pillow is needed. The output is deterministic (fixed seeds, no
timestamps or metadata), and files whose bytes would not change are left
untouched, so running the script twice is a no-op.
"""

from __future__ import annotations

import io
import itertools
import random
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DEMO = Path(__file__).resolve().parent
MM_POSTS = DEMO / "mainmatter" / "assets" / "images" / "posts"
LOIGE_POSTS = DEMO / "loige" / "posts"

# Palettes: (background start, background end, accent, text)
PALETTES = {
    "harbour": ((18, 52, 86), (34, 122, 140), (250, 196, 80), (255, 255, 255)),
    "teal": ((10, 110, 110), (40, 170, 150), (255, 255, 255), (255, 255, 255)),
    "plum": ((70, 30, 90), (170, 70, 110), (255, 210, 120), (255, 255, 255)),
    "sand": ((238, 226, 200), (214, 190, 150), (200, 60, 50), (40, 40, 48)),
    "slate": ((36, 40, 52), (70, 84, 110), (120, 220, 180), (240, 240, 240)),
    "dawn": ((250, 150, 100), (120, 80, 160), (255, 240, 200), (255, 255, 255)),
}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def seed_for(rel_path: str) -> int:
    # crc32 is stable across runs and Python versions (unlike hash()).
    return zlib.crc32(rel_path.encode("utf-8"))


def gradient(size, start, end, diagonal=True) -> Image.Image:
    """Linear gradient built from a 256-step ramp (fast, deterministic)."""
    w, h = size
    ramp = Image.linear_gradient("L")  # 256x256, black at top, white at bottom
    if diagonal:
        ramp = Image.blend(ramp, ramp.rotate(90), 0.5)  # dark top-left, light bottom-right
    mask = ramp.resize((w, h), Image.BICUBIC)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def wrap(draw, text, fnt, max_width):
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=fnt) <= max_width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def draw_text_block(draw, xy, text, size, fill, max_width, line_gap=1.2):
    fnt = font(size)
    x, y = xy
    for line in wrap(draw, text, fnt, max_width):
        draw.text((x, y), line, font=fnt, fill=fill)
        y += int(size * line_gap)
    return y


def bubbles(img, rng, accent, count=7, alpha=60):
    """Translucent circles and rounded bars scattered with a seeded RNG."""
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    w, h = img.size
    for _ in range(count):
        r = rng.randint(h // 10, h // 3)
        cx, cy = rng.randint(0, w), rng.randint(0, h)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*accent, alpha))
    for _ in range(count // 2):
        x0, y0 = rng.randint(0, w), rng.randint(0, h)
        d.rounded_rectangle(
            (x0, y0, x0 + rng.randint(w // 8, w // 3), y0 + h // 40),
            radius=h // 80,
            fill=(255, 255, 255, alpha // 2),
        )
    return Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB")


def encode(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(buf, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        # A small palette keeps flat-colour artwork tiny as PNG.
        pal = img.convert("RGB").quantize(
            colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        pal.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------
# artwork
# --------------------------------------------------------------------------


def cover(size, palette, title, kicker, rng, motif=None):
    """Header / social card: gradient, shapes, optional motif, text."""
    bg0, bg1, accent, ink = PALETTES[palette]
    img = bubbles(gradient(size, bg0, bg1), rng, accent)
    d = ImageDraw.Draw(img)
    w, h = size
    if motif:
        motif(img, d, rng, accent, ink)
    pad = int(min(w, h) * 0.08)
    tsize = max(18, int(min(w * 0.065, h * 0.11)))
    d.text((pad, pad), kicker.upper(), font=font(max(12, tsize // 2)), fill=accent)
    if title:
        y = h - pad - int(tsize * 1.2) * len(wrap(d, title, font(tsize), w - 2 * pad))
        draw_text_block(d, (pad, y), title, tsize, ink, w - 2 * pad)
    return img


def motif_stopwatch(img, d, rng, accent, ink):
    w, h = img.size
    for i in range(9):  # blurred-looking table rows
        y = int(h * 0.18) + i * int(h * 0.07)
        d.rounded_rectangle(
            (int(w * 0.05), y, int(w * 0.55), y + int(h * 0.035)),
            radius=8,
            fill=(255, 255, 255) if i % 2 else (200, 225, 235),
        )
    cx, cy, r = int(w * 0.74), int(h * 0.45), int(h * 0.28)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=max(4, r // 12))
    d.rectangle((cx - r // 8, cy - r - r // 4, cx + r // 8, cy - r), fill=ink)
    d.line((cx, cy, cx + int(r * 0.55), cy - int(r * 0.45)), fill=accent, width=max(4, r // 14))


def motif_big_version(img, d, rng, accent, ink):
    w, h = img.size
    fnt = font(int(h * 0.42))
    text = "5.0"
    left, top, right, bottom = d.textbbox((0, 0), text, font=fnt)
    d.text(
        ((w - (right - left)) / 2 - left, (h - (bottom - top)) / 2 - top), text, font=fnt, fill=ink
    )


def motif_form_field(img, d, rng, accent, ink):
    w, h = img.size
    x0, y0, x1, y1 = int(w * 0.1), int(h * 0.45), int(w * 0.68), int(h * 0.6)
    d.rectangle((x0, y0, x1, y1), fill=(255, 255, 255), outline=accent, width=4)
    d.text((x0, y0 - 22), "Email", font=font(16), fill=ink)
    bx0, by0 = int(w * 0.62), int(h * 0.18)
    d.rounded_rectangle(
        (bx0, by0, bx0 + int(w * 0.32), by0 + int(h * 0.2)),
        radius=12,
        fill=(255, 255, 255),
        outline=ink,
        width=2,
    )
    d.polygon(
        [(bx0 + 20, by0 + int(h * 0.2)), (bx0 + 36, by0 + int(h * 0.2)), (x1 - 10, y0)],
        fill=(255, 255, 255),
        outline=ink,
    )
    d.text((bx0 + 12, by0 + 18), "Invalid!", font=font(18), fill=accent)


def motif_server(img, d, rng, accent, ink):
    w, h = img.size
    x0, y0 = int(w * 0.62), int(h * 0.15)
    for i in range(4):  # a rack with four units and blinking LEDs
        y = y0 + i * int(h * 0.12)
        d.rounded_rectangle(
            (x0, y, x0 + int(w * 0.28), y + int(h * 0.1)),
            radius=10,
            fill=(20, 30, 44),
            outline=ink,
            width=3,
        )
        for j in range(3):
            cx = x0 + 30 + j * 28
            colour = accent if rng.random() > 0.3 else (120, 200, 120)
            d.ellipse((cx - 7, y + int(h * 0.05) - 7, cx + 7, y + int(h * 0.05) + 7), fill=colour)


def motif_index_tree(img, d, rng, accent, ink):
    w, h = img.size
    levels = [
        [(0.5, 0.12)],
        [(0.3, 0.26), (0.7, 0.26)],
        [(0.15, 0.40), (0.4, 0.40), (0.6, 0.40), (0.85, 0.40)],
    ]
    r = int(w * 0.05)
    for upper, lower in itertools.pairwise(levels):
        for i, (lx, ly) in enumerate(lower):
            ux, uy = upper[i // 2]
            d.line((ux * w, uy * h, lx * w, ly * h), fill=ink, width=4)
    for level in levels:
        for x, y in level:
            d.ellipse(
                (x * w - r, y * h - r, x * w + r, y * h + r), fill=accent, outline=ink, width=4
            )


def motif_checklist(img, d, rng, accent, ink):
    w, h = img.size
    x0 = int(w * 0.58)
    for i in range(5):
        y = int(h * 0.16) + i * int(h * 0.1)
        d.rounded_rectangle((x0, y, x0 + 44, y + 44), radius=8, outline=ink, width=4)
        if i != 3:
            d.line((x0 + 9, y + 23, x0 + 19, y + 34, x0 + 36, y + 10), fill=accent, width=6)
        d.rounded_rectangle(
            (x0 + 70, y + 14, x0 + 70 + rng.randint(180, 420), y + 30),
            radius=8,
            fill=(255, 255, 255),
        )


def arrow(d, start, end, fill, width=4, head=14):
    d.line((start, end), fill=fill, width=width)
    (x0, y0), (x1, y1) = start, end
    length = max(1.0, ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    left = (x1 - head * ux + head * 0.5 * uy, y1 - head * uy - head * 0.5 * ux)
    right = (x1 - head * ux - head * 0.5 * uy, y1 - head * uy + head * 0.5 * ux)
    d.polygon([end, left, right], fill=fill)


def box(d, rect, label, fill, ink, size=18):
    d.rounded_rectangle(rect, radius=10, fill=fill, outline=ink, width=2)
    fnt = font(size)
    lines = label.split("\n")
    total = len(lines) * int(size * 1.25)
    y = (rect[1] + rect[3]) / 2 - total / 2
    for line in lines:
        tw = d.textlength(line, font=fnt)
        d.text(((rect[0] + rect[2]) / 2 - tw / 2, y), line, font=fnt, fill=ink)
        y += int(size * 1.25)


def diagram_deploy(size, rng):
    img = Image.new("RGB", size, (250, 250, 247))
    d = ImageDraw.Draw(img)
    ink, soft, accent = (30, 40, 55), (220, 236, 242), (240, 180, 60)
    d.text((24, 18), "One VPS, four moving parts", font=font(22), fill=ink)
    d.rounded_rectangle((190, 70, 780, 330), radius=16, outline=(120, 140, 160), width=3)
    d.text((206, 78), "VPS (2 vCPU, 4 GB)", font=font(15), fill=(120, 140, 160))
    box(d, (20, 170, 150, 240), "Browser", (255, 255, 255), ink)
    box(d, (215, 170, 365, 240), "Caddy\nTLS + static", soft, ink, 16)
    box(d, (415, 170, 585, 240), "Gunicorn\n+ Django", soft, ink, 16)
    box(d, (625, 170, 765, 240), "PostgreSQL", soft, ink, 16)
    box(d, (560, 365, 780, 430), "Object storage", (255, 244, 214), ink, 16)
    arrow(d, (150, 205), (213, 205), ink)
    arrow(d, (365, 205), (413, 205), ink)
    arrow(d, (585, 205), (623, 205), ink)
    arrow(d, (695, 240), (695, 363), accent, width=4)
    d.text((705, 290), "nightly dump", font=font(14), fill=(150, 110, 20))
    return img


def diagram_query_time(size, rng):
    img = Image.new("RGB", size, (252, 252, 252))
    d = ImageDraw.Draw(img)
    ink, bar, spike = (40, 44, 60), (120, 160, 200), (220, 90, 70)
    d.text((24, 16), "Total query time per day, four weeks", font=font(22), fill=ink)
    x0, y0, x1, y1 = 60, 70, 780, 400
    d.line((x0, y1, x1, y1), fill=ink, width=2)
    d.line((x0, y0, x0, y1), fill=ink, width=2)
    days, spikes = 28, {6: "A", 17: "B", 27: "C"}
    step = (x1 - x0 - 10) / days
    for i in range(days):
        value = rng.uniform(0.18, 0.38) if i not in spikes else rng.uniform(0.75, 0.95)
        top = y1 - value * (y1 - y0)
        left = x0 + 6 + i * step
        d.rectangle((left, top, left + step * 0.7, y1 - 1), fill=spike if i in spikes else bar)
        if i in spikes:
            d.text((left + 2, top - 26), spikes[i], font=font(20), fill=spike)
    for week in range(4):
        d.text(
            (x0 + 6 + week * 7 * step + step * 2.5, y1 + 10),
            f"W{week + 1}",
            font=font(16),
            fill=ink,
        )
    return img


def diagram_form_flow(size, rng):
    img = Image.new("RGB", size, (248, 246, 252))
    d = ImageDraw.Draw(img)
    ink, soft, warn = (45, 35, 70), (232, 224, 248), (255, 228, 222)
    d.text((24, 16), "The failure path of a form", font=font(22), fill=ink)
    steps = [
        ("Fill in", soft),
        ("Submit", soft),
        ("Error\nsummary", warn),
        ("Back to\nthe field", warn),
        ("Submit\nagain", soft),
    ]
    w = 124
    for i, (label, fill) in enumerate(steps):
        left = 24 + i * (w + 32)
        box(d, (left, 180, left + w, 260), label, fill, ink, 17)
        if i:
            arrow(d, (left - 30, 220), (left - 2, 220), ink)
    d.line(
        (24 + 4 * (w + 32) + w // 2, 262, 24 + 4 * (w + 32) + w // 2, 330),
        fill=(200, 80, 70),
        width=3,
    )
    d.line(
        (24 + 4 * (w + 32) + w // 2, 330, 24 + 2 * (w + 32) + w // 2, 330),
        fill=(200, 80, 70),
        width=3,
    )
    arrow(
        d,
        (24 + 2 * (w + 32) + w // 2, 330),
        (24 + 2 * (w + 32) + w // 2, 264),
        (200, 80, 70),
        width=3,
    )
    d.text((300, 342), "still invalid? try again", font=font(15), fill=(200, 80, 70))
    return img


# --------------------------------------------------------------------------
# what to generate: exactly the files the Markdown references
# --------------------------------------------------------------------------

HD, TALL, SMALL, SOCIAL, DIAGRAM = (1600, 900), (900, 1400), (400, 300), (1200, 630), (800, 450)


def mm(stem, name):
    return MM_POSTS / stem / name


def lg(folder, name):
    return LOIGE_POSTS / folder / name


MM1 = "2023-05-09-measuring-slow-django-admin-pages"
MM2 = "2024-02-14-Django-5.0-in-practice---what-changed"
MM3 = "2019-11-20-accessible-error-messages-in-django-forms"
LG1, LG1S = (
    "2022-06-21_one-vps-one-django-app-a-boring-deploy",
    "one-vps-one-django-app-a-boring-deploy",
)
LG2, LG2S = (
    "2024-09-03_the-postgres-indexes-we-actually-needed",
    "the-postgres-indexes-we-actually-needed",
)
LG3, LG3S = (
    "2027-03-15_what-five-years-of-form-audits-taught-us",
    "what-five-years-of-form-audits-taught-us",
)

# (path, format, builder(rng) -> Image)
SPECS = [
    # mainmatter posts: header.jpg + og-image.jpg
    (
        mm(MM1, "header.jpg"),
        "JPEG",
        lambda r: cover(HD, "harbour", "", "Measure before you fix", r, motif_stopwatch),
    ),
    (
        mm(MM1, "og-image.jpg"),
        "JPEG",
        lambda r: cover(
            SOCIAL, "harbour", "Why is the Django admin slow?", "Quayside Works blog", r
        ),
    ),
    (
        mm(MM2, "header.jpg"),
        "JPEG",
        lambda r: cover(HD, "teal", "", "Django in practice", r, motif_big_version),
    ),
    (
        mm(MM2, "og-image.jpg"),
        "JPEG",
        lambda r: cover(SOCIAL, "teal", "Django 5.0 in practice", "Quayside Works blog", r),
    ),
    (
        mm(MM3, "header.jpg"),
        "JPEG",
        lambda r: cover(SMALL, "sand", "", "Forms", r, motif_form_field),
    ),
    (
        mm(MM3, "og-image.jpg"),
        "JPEG",
        lambda r: cover(
            SOCIAL, "sand", "Accessible error messages in Django forms", "Quayside Works blog", r
        ),
    ),
    # loige post bundles: header, fb, tw, body diagram
    (
        lg(LG1, f"{LG1S}.jpg"),
        "JPEG",
        lambda r: cover(HD, "slate", "One VPS, one Django app", "Deployment", r, motif_server),
    ),
    (
        lg(LG1, f"{LG1S}-fb.png"),
        "PNG",
        lambda r: cover(
            SOCIAL, "slate", "One VPS, one Django app: a boring deploy", "ada brennan", r
        ),
    ),
    (
        lg(LG1, f"{LG1S}-tw.png"),
        "PNG",
        lambda r: cover(
            SOCIAL, "slate", "A boring deploy that works", "ada brennan", r, motif_server
        ),
    ),
    (lg(LG1, "deploy-diagram.png"), "PNG", lambda r: diagram_deploy(DIAGRAM, r)),
    (
        lg(LG2, f"{LG2S}.jpg"),
        "JPEG",
        lambda r: cover(
            TALL,
            "plum",
            "The Postgres indexes we actually needed",
            "PostgreSQL",
            r,
            motif_index_tree,
        ),
    ),
    (
        lg(LG2, f"{LG2S}-fb.png"),
        "PNG",
        lambda r: cover(
            SOCIAL, "plum", "The Postgres indexes we actually needed", "tomás reyes", r
        ),
    ),
    (
        lg(LG2, f"{LG2S}-tw.png"),
        "PNG",
        lambda r: cover(SOCIAL, "plum", "3 indexes out of 40", "tomás reyes", r, motif_index_tree),
    ),
    (lg(LG2, "query-time-by-week.png"), "PNG", lambda r: diagram_query_time(DIAGRAM, r)),
    (
        lg(LG3, f"{LG3S}.jpg"),
        "JPEG",
        lambda r: cover(
            HD,
            "dawn",
            "What five years of form audits taught us",
            "Accessibility",
            r,
            motif_checklist,
        ),
    ),
    (
        lg(LG3, f"{LG3S}-fb.png"),
        "PNG",
        lambda r: cover(
            SOCIAL, "dawn", "What five years of form audits taught us", "mei lin okafor", r
        ),
    ),
    (
        lg(LG3, f"{LG3S}-tw.png"),
        "PNG",
        lambda r: cover(
            SOCIAL, "dawn", "Five years of form audits", "mei lin okafor", r, motif_checklist
        ),
    ),
    (lg(LG3, "diagram.png"), "PNG", lambda r: diagram_form_flow(DIAGRAM, r)),
]


def main() -> int:
    written = unchanged = total = 0
    for path, fmt, build in SPECS:
        rel = path.relative_to(DEMO).as_posix()
        data = encode(build(random.Random(seed_for(rel))), fmt)
        total += len(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.read_bytes() == data:
            unchanged += 1
            continue
        path.write_bytes(data)
        written += 1
        print(f"wrote {rel} ({len(data) / 1024:.1f} KB)")
    print(
        f"{written} written, {unchanged} unchanged, {len(SPECS)} images, "
        f"{total / 1024:.0f} KB total"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
