"""Code blocks in bodies: colours every reader can read, the language on top, a tab stop
for keyboard scrolling, and a copy button added by script."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from publishing.code_style import highlight_css
from publishing.management.commands import highlight_css as highlight_css_command

REPO_ROOT = Path(__file__).resolve().parents[2]
HIGHLIGHT_CSS = REPO_ROOT / "static" / "css" / "highlight.css"
SITE_CSS = REPO_ROOT / "static" / "css" / "site.css"
DARK = "@media (prefers-color-scheme: dark) {"
WCAG_AA_NORMAL_TEXT = 4.5


# --- Colours ------------------------------------------------------------------------------

_RULE_RE = re.compile(r"^\s*\.highlight(?: \.([\w-]+))? \{([^}]*)\}", re.MULTILINE)


def declarations(css: str) -> dict[str, dict[str, str]]:
    """{token class ("" for the block itself): {property: value}} of the .highlight rules."""
    rules = {}
    for token_class, body in _RULE_RE.findall(css):
        pairs = (part.split(":", 1) for part in body.split(";") if ":" in part)
        rules[token_class] = {name.strip(): value.strip() for name, value in pairs}
    return rules


def schemes(css: str) -> dict[str, dict[str, dict[str, str]]]:
    """The rules in effect in each scheme: the dark ones override the light ones property
    by property, as the cascade does, so a colour the dark style leaves out stays light."""
    light_css, dark_css = css.split(DARK)
    light = declarations(light_css)
    dark = {
        token_class: {**light.get(token_class, {}), **properties}
        for token_class, properties in declarations(dark_css).items()
    }
    return {"light": light, "dark": {**light, **dark}}


def site_variable(name: str) -> dict[str, str]:
    """A custom property of site.css in each scheme."""
    light_css, dark_css = SITE_CSS.read_text().split(DARK, 1)
    pattern = re.compile(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})")
    return {"light": pattern.search(light_css)[1], "dark": pattern.search(dark_css)[1]}


def relative_luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(digit * 2 for digit in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    darker, lighter = sorted([relative_luminance(foreground), relative_luminance(background)])
    return (lighter + 0.05) / (darker + 0.05)


def token_contrasts(scheme: str) -> dict[str, float]:
    """{token class: contrast of its colour against what it is drawn on} in one scheme."""
    rules = schemes(HIGHLIGHT_CSS.read_text())[scheme]
    block = rules[""]["background"]
    return {
        token_class: contrast_ratio(properties["color"], properties.get("background-color", block))
        for token_class, properties in rules.items()
        if "color" in properties
    }


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [("#000000", "#ffffff", 21.0), ("#777777", "#ffffff", 4.48), ("#aa22ff", "#f1f3f5", 4.31)],
)
def test_contrast_ratio_is_computed_as_wcag_defines_it(foreground, background, expected):
    assert contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_block_background_is_the_site_surface(scheme):
    # site.css draws .prose pre on --surface: the colours are measured against it.
    block = schemes(HIGHLIGHT_CSS.read_text())[scheme][""]
    assert block["background"].lower() == site_variable("surface")[scheme].lower()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_token_colour_passes_wcag_aa_in_each_scheme(scheme):
    contrasts = token_contrasts(scheme)
    assert len(contrasts) > 60  # every class Pygments writes, not a few
    failing = {name: round(ratio, 2) for name, ratio in contrasts.items() if ratio < 4.5}
    assert failing == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_plain_code_text_has_a_colour_of_its_own(scheme):
    assert "color" in schemes(HIGHLIGHT_CSS.read_text())[scheme][""]


def test_highlight_css_is_scoped_to_highlight_blocks_in_both_schemes():
    css = highlight_css()
    light, dark = css.split(DARK)
    assert ".highlight .k {" in light
    assert ".highlight .k {" in dark
    rules = [line.strip() for line in css.splitlines() if "{" in line and "@media" not in line]
    assert all(rule.startswith(".highlight") for rule in rules)
    assert ".hll" not in css  # the pipeline marks no lines


def test_committed_highlight_css_is_what_the_styles_generate():
    assert HIGHLIGHT_CSS.read_text() == highlight_css(), "run manage.py highlight_css"


def test_highlight_css_command_writes_the_stylesheet(monkeypatch, settings, tmp_path):
    target = tmp_path / "static" / "css" / "highlight.css"
    target.parent.mkdir(parents=True)
    target.write_text("/* stale */\n")
    monkeypatch.setattr(highlight_css_command, "STYLESHEET", target)
    settings.BASE_DIR = tmp_path

    out = io.StringIO()
    call_command("highlight_css", "--dry-run", stdout=out)
    assert "out of date" in out.getvalue()
    assert target.read_text() == "/* stale */\n"

    call_command("highlight_css", stdout=out)
    assert target.read_text() == highlight_css()
    call_command("highlight_css", stdout=out)
    assert out.getvalue().endswith("static/css/highlight.css: up to date\n")
