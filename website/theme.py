"""The site's identity from settings: its accent colour (SITE_ACCENT) and logo (SITE_LOGO).

The accent colours links, the hero and the focus ring. Pages allow no inline style (CSP),
so it reaches them as a small stylesheet of its own (`theme_stylesheet`), linked only when
an accent is set. Dark mode gets a lighter shade of it, worked out here, so that links keep
WCAG AA contrast (4.5:1) on both backgrounds."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
# The page backgrounds of static/css/site.css (--bg, light and dark).
LIGHT_BACKGROUND = "#fdfdfc"
DARK_BACKGROUND = "#15171a"
# WCAG 2 AA for normal text.
AA_CONTRAST = 4.5


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a #rrggbb colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def _mix(colour: str, other: str, share: float) -> str:
    mixed = (
        round(a + (b - a) * share)
        for a, b in zip(_channels(colour), _channels(other), strict=True)
    )
    return "#" + "".join(f"{c:02x}" for c in mixed)


def dark_shade(accent: str) -> str:
    """The accent lightened just enough to read at AA contrast on the dark background."""
    for step in range(21):
        shade = _mix(accent, "#ffffff", step / 20)
        if contrast(shade, DARK_BACKGROUND) >= AA_CONTRAST:
            return shade
    return "#ffffff"


def accent_problem(accent: str) -> str | None:
    """Why the accent cannot be used, in one line; None when it can."""
    if not HEX_COLOUR.match(accent):
        return f"SITE_ACCENT must be a colour like #0b5cad, not {accent!r}."
    ratio = contrast(accent, LIGHT_BACKGROUND)
    if ratio < AA_CONTRAST:
        return (
            f"SITE_ACCENT {accent} has a contrast of {ratio:.1f}:1 on the page background; "
            f"links need {AA_CONTRAST}:1. Choose a darker colour."
        )
    return None


def logo_problem(logo: str) -> str | None:
    """SITE_LOGO is an address on this site (pages load nothing from elsewhere)."""
    if logo and (not logo.startswith("/") or logo.startswith("//") or "\\" in logo):
        return f"SITE_LOGO must be a path on this site like /static/logo.svg, not {logo!r}."
    return None


@lru_cache(maxsize=4)
def theme_stylesheet(accent: str) -> str:
    """The stylesheet that gives the site its accent, light and dark."""
    accent = accent.lower()
    dark = dark_shade(accent)
    return (
        f":root {{ --accent: {accent}; --accent-visited: {accent}; }}\n"
        "@media (prefers-color-scheme: dark) {\n"
        f"  :root {{ --accent: {dark}; --accent-visited: {dark}; }}\n"
        "}\n"
    )


def theme_version(accent: str) -> str:
    """A digest of the stylesheet, for its address: browsers may keep it for good."""
    return hashlib.sha256(theme_stylesheet(accent).encode()).hexdigest()[:12]
