"""Benchmark drawing Open Graph cards: milliseconds and bytes per 1200×630 card, and a cached hit.

    .venv/bin/python bench/og_card.py [--runs 20] [--photo PATH] [--keep]

Stores generated, photo-like images in a temporary MEDIA_ROOT (no database is needed:
cards are drawn from stored files), then times ``images.og.draw_card()`` for each case:
no header (solid background), a 1600×900 JPEG header, a 4000×3000 JPEG header, a
1200×1600 PNG header, an uploaded 2400×1600 social image, a grainy 1600×900 photo (the
hardest to compress) as header and as social image, and a real photo given with
--photo. Prints the median and p95 milliseconds and the JPEG's bytes per case, beside the
bytes of the same card as the PNG cards were (zlib level 1), then the time of a
``card_file()`` call whose card is already stored (what every request but the first
costs). The targets from the issues are under 200 ms and under 200 KB per card; exits 1
when a case's median or bytes miss them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
TARGET_MS = 200.0
TARGET_BYTES = 200_000


def setup_django(media_root: Path) -> None:
    """Local settings and a throwaway media folder, before Django reads its settings."""
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["DJANGO_MEDIA_ROOT"] = str(media_root)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()


def photo(width: int, height: int, image_format: str) -> bytes:
    """A photo-like image: smooth random shapes in colour with a little grain, as a camera
    JPEG has them (a flat colour would make decoding and encoding unrealistically cheap)."""
    from PIL import Image, ImageChops

    size = (width, height)
    shapes = [
        Image.effect_noise((width // 16 + 1, height // 16 + 1), 80).resize(
            size, Image.Resampling.BICUBIC
        )
        for _ in range(3)
    ]
    grain = Image.effect_noise(size, 3)
    grainy = Image.merge("RGB", [grain] * 3)
    image = ImageChops.add(Image.merge("RGB", shapes), grainy, offset=-128)
    camera = BytesIO()
    image.save(camera, format="JPEG", quality=85)
    if image_format == "JPEG":
        return camera.getvalue()
    output = BytesIO()
    Image.open(camera).save(output, format=image_format)
    return output.getvalue()


def grainy_photo(width: int, height: int) -> bytes:
    """A gradient under strong grain in every channel, as a high-ISO photo has it: the
    worst case for the card's JPEG."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((width, height))
    channels = [Image.blend(gradient, Image.effect_noise((width, height), 60), 0.6) for _ in "RGB"]
    output = BytesIO()
    Image.merge("RGB", channels).save(output, format="JPEG", quality=92)
    return output.getvalue()


def stored(width: int, height: int, image_format: str, grainy: bool = False) -> str:
    from images import processing

    data = grainy_photo(width, height) if grainy else photo(width, height, image_format)
    extension = {"JPEG": ".jpg", "PNG": ".png"}[image_format]
    return processing.store(data, processing.content_name(data, extension))


def cases(real_photo: Path | None = None) -> dict[str, object]:
    """The cards to draw, by name (CardContent instances)."""
    from images import processing
    from images.og import CardContent

    title = "Lean NPM packages: how to keep what you publish small, and why it matters"
    common = {"title": title, "footer_left": "Talks & Posts"}
    found = {
        "no header": CardContent(**common),
        "1600×900 JPEG header": CardContent(**common, image=stored(1600, 900, "JPEG")),
        "4000×3000 JPEG header": CardContent(
            **common, image=stored(4000, 3000, "JPEG"), focal_x=0.7, focal_y=0.3
        ),
        "1200×1600 PNG header": CardContent(**common, image=stored(1200, 1600, "PNG")),
        "uploaded social image": CardContent(
            **common, social_image=stored(2400, 1600, "PNG"), focal_x=0.3
        ),
        "grainy photo header": CardContent(**common, image=stored(1600, 900, "JPEG", True)),
        "grainy social image": CardContent(**common, social_image=stored(1600, 900, "JPEG", True)),
    }
    if real_photo is not None:
        data = real_photo.read_bytes()
        name = processing.store(data, processing.content_name(data, real_photo.suffix))
        found[f"photo {real_photo.name[:18]}"] = CardContent(**common, image=name)
    return found


def time_ms(function: Callable[[], object], runs: int) -> list[float]:
    function()  # warm up: fonts loaded, caches filled
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per case")
    parser.add_argument(
        "--photo", type=Path, help="also time a card over this real photo (JPEG or PNG)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary media folder")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="og-card-bench-"))
    try:
        setup_django(workdir / "media")
        from images import processing
        from images.og import card_file, draw_card, image_size, render_card

        print(
            f"{args.runs} runs per case; targets: under {TARGET_MS:.0f} ms and "
            f"{TARGET_BYTES // 1000} KB per card\n"
        )
        print(f"| {'case':<24} | median ms | p95 ms | JPEG bytes | as PNG bytes |")
        print(f"|{'-' * 26}|-----------|--------|------------|--------------|")
        missed = []
        last = None
        for name, content in cases(args.photo).items():
            data = draw_card(content)
            assert image_size(data) == (1200, 630), name
            as_png = len(processing.encode(render_card(content), "PNG"))
            timings = time_ms(lambda content=content: draw_card(content), args.runs)
            median = statistics.median(timings)
            if median >= TARGET_MS or len(data) >= TARGET_BYTES:
                missed.append(name)
            print(
                f"| {name:<24} | {median:9.1f} | {p95(timings):6.1f} | {len(data):10} "
                f"| {as_png:12} |"
            )
            last = content

        card_file(last)  # drawn and stored once
        hits = time_ms(lambda: card_file(last), args.runs * 10)
        print(
            f"\ncached card_file() hit: median {statistics.median(hits):.3f} ms, "
            f"p95 {p95(hits):.3f} ms"
        )
        if missed:
            print(f"over {TARGET_MS:.0f} ms or {TARGET_BYTES // 1000} KB: {', '.join(missed)}")
            return 1
        print(f"every case under {TARGET_MS:.0f} ms and {TARGET_BYTES // 1000} KB")
        return 0
    finally:
        if args.keep:
            print(f"media kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
