"""Code blocks in bodies: colours every reader can read, the language on top, a tab stop
for keyboard scrolling, and a copy button added by script."""

import io
import re
from pathlib import Path

import html5lib
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static

from publishing.code_style import highlight_css
from publishing.management.commands import highlight_css as highlight_css_command
from publishing.markdown import plain_text, render_excerpt, render_markdown, text_of_rendered
from tests.factories import PersonFactory, PostFactory, TalkFactory

REPO_ROOT = Path(__file__).resolve().parents[2]
HIGHLIGHT_CSS = REPO_ROOT / "static" / "css" / "highlight.css"
SITE_CSS = REPO_ROOT / "static" / "css" / "site.css"
DARK = "@media (prefers-color-scheme: dark) {"
WCAG_AA_NORMAL_TEXT = 4.5
CODE_COPY_JS = REPO_ROOT / "static" / "js" / "code-copy.js"


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def code_blocks(html: str) -> list:
    return parse(html).findall(".//div[@class='code-block']")


# --- The language label ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fence", "label"),
    [
        ("python", "python"),
        ("JavaScript", "JavaScript"),
        ("c++", "c++"),
        ("f#", "f#"),
        ("objective-c", "objective-c"),
        ("shell-session", "shell-session"),
        ("mermaid", "mermaid"),  # not highlighted, still labelled
        ("js title=app.js", "js"),  # the first word is the language
        ("py&#116;hon", "python"),  # as markdown-it reads it for the class
    ],
)
def test_fence_with_a_language_is_labelled_above_the_code(fence, label):
    html = render_markdown(f"```{fence}\nx = 1\n```\n")
    [block] = code_blocks(html)
    caption, pre = list(block)
    assert caption.tag == "div" and caption.get("class") == "code-language"
    assert caption.text == label
    assert pre.tag == "pre"
    assert f'<div class="code-language">{label}</div><pre' in html


@pytest.mark.parametrize(
    "source",
    ["```\nplain\n```\n", "~~~\nplain\n~~~\n", "    indented code\n", "``` \nplain\n```\n"],
)
def test_code_without_a_language_has_no_label(source):
    html = render_markdown(source)
    [block] = code_blocks(html)
    assert [child.tag for child in block] == ["pre"]
    assert "code-language" not in html


HOSTILE_INFO_STRINGS = [
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    'python" onmouseover="alert(1)',
    "python'onfocus='alert(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    '\\"><svg/onload=alert(1)>',
    "javascript:alert(1)",
    "{onclick=alert(1)}",
    "py\u202ethon",  # a right-to-left override
    "a" * 100,  # long enough to break the layout
]


@pytest.mark.parametrize("info", HOSTILE_INFO_STRINGS)
def test_hostile_info_string_gets_no_label_and_injects_nothing(info):
    html = render_markdown(f"Text.\n\n```{info}\nthe code\n```\n")
    assert "code-language" not in html
    assert 'aria-label="Code"' in html
    document = parse(html)
    assert document.findall(".//script") == []
    assert document.findall(".//img") == [] and document.findall(".//svg") == []
    for element in document.iter():
        assert not [name for name in element.attrib if name.startswith("on")], element.attrib
    [block] = code_blocks(html)
    assert "".join(block.itertext()) == "the code\n"


def test_label_is_written_escaped_and_sanitized_like_everything_else():
    # The name allowlist is the first guard; the label is still escaped, then sanitized.
    html = render_markdown("```c++\nint x;\n```\n")
    assert html.count("<div") == 2 and html.count("</div>") == 2


def test_raw_html_cannot_fake_the_markup_with_attributes():
    html = render_markdown(
        '<div class="code-block" data-x="1"><div class="code-language" onclick="alert(1)">'
        "py</div><pre>raw</pre></div>\n"
    )
    assert "data-x" not in html and "onclick" not in html


# --- Reaching the code by keyboard ------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("```python\nx = 1\n```\n", "Code, python"),
        ("```mermaid\ngraph TD\n```\n", "Code, mermaid"),
        ("```\nplain\n```\n", "Code"),
        ("    indented\n", "Code"),
        ("<pre>raw HTML</pre>\n", "Code"),
        ('<pre><code class="language-rust">fn main() {}</code></pre>\n', "Code, rust"),
    ],
)
def test_every_pre_is_a_named_tab_stop(source, name):
    [pre] = parse(render_markdown(source)).findall(".//pre")
    assert pre.get("tabindex") == "0"
    assert pre.get("role") == "group"
    assert pre.get("aria-label") == name


@pytest.mark.parametrize(
    "raw",
    [
        '<pre tabindex="5">x</pre>',
        '<pre tabindex="-1" role="button" aria-label="Click me" aria-hidden="true">x</pre>',
        '<div tabindex="0" role="button">x</div><pre>y</pre>',
        '<pre class="highlight" title="a > b" tabindex="0">x</pre>',
    ],
)
def test_authors_cannot_set_tab_stops_or_roles(raw):
    html = render_markdown(f"{raw}\n")
    assert html.count("tabindex") == html.count("<pre") == 1
    assert html.count("role=") == html.count("aria-label=") == 1
    assert 'tabindex="0" role="group" aria-label="Code"' in html
    assert "aria-hidden" not in html and "Click me" not in html


def test_excerpt_code_gets_the_same_markup():
    excerpt = render_excerpt("Intro.\n\n```python\nx = 1\n```\n\n<!--break-->\n\nRest.\n")
    assert '<div class="code-language">python</div>' in excerpt
    assert 'tabindex="0" role="group" aria-label="Code, python"' in excerpt


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [PostFactory, TalkFactory, PersonFactory])
def test_the_markup_is_stored_when_an_item_is_saved(factory):
    field = "body"
    item = factory(**{field: "```python\nx = 1\n```\n"})
    stored = type(item).objects.get(pk=item.pk).body_html
    assert '<div class="code-block"><div class="code-language">python</div>' in stored
    assert 'tabindex="0"' in stored


# --- The copy button --------------------------------------------------------------------


def test_copy_script_is_a_static_file():
    assert finders.find("js/code-copy.js") == str(CODE_COPY_JS)


def test_copy_script_is_served(client, settings):
    # WhiteNoise serves the source file, as with DEBUG on (the tests run with it off).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get(static("js/code-copy.js"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CODE_COPY_JS.read_bytes()


@pytest.mark.django_db
def test_post_page_loads_the_copy_script_deferred_and_no_inline_script(client):
    post = PostFactory(body="```python\nprint('hi')\n```\n")
    html = client.get(post.get_absolute_url()).content.decode()
    document = parse(html)
    scripts = [s for s in document.iter("script") if s.get("type") != "application/ld+json"]
    copy = [s for s in scripts if s.get("src") == static("js/code-copy.js")]
    assert len(copy) == 1 and copy[0].get("defer") is not None
    for script in scripts:
        assert script.get("src", "").startswith("/static/")
        assert not (script.text or "").strip()
    assert 'aria-label="Code, python"' in html
    assert "<button" not in html  # made by the script: no dead button without it


def test_copy_script_makes_a_keyboard_button_with_a_live_confirmation():
    script = CODE_COPY_JS.read_text()
    assert 'querySelectorAll(".code-block")' in script
    assert 'createElement("button")' in script and 'button.type = "button"' in script
    assert "navigator.clipboard.writeText(" in script
    assert 'setAttribute("aria-live", "polite")' in script
    assert 'setAttribute("role", "status")' in script
    assert '"Copied"' in script
    # Without the clipboard API, no button at all.
    assert "if (!navigator.clipboard || !navigator.clipboard.writeText) return;" in script


@pytest.mark.parametrize("forbidden", ["eval(", "new Function", "innerHTML", ".style", "onclick"])
def test_copy_script_needs_nothing_the_content_security_policy_forbids(forbidden):
    assert forbidden not in CODE_COPY_JS.read_text()


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


# --- Text of the body -------------------------------------------------------------------


def test_label_is_not_text_of_the_body():
    # Descriptions, search snippets and the search index read the code, not its label.
    html = render_markdown("Intro.\n\n```html\n<div>&amp;</div>\n```\n")
    assert plain_text(html) == text_of_rendered(html) == "Intro. <div>&amp;</div>"
