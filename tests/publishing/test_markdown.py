import re
from pathlib import Path

import pytest

from blog.models import Post
from publishing import models
from publishing.markdown import (
    _MD,
    _sanitize,
    absolute_urls,
    plain_text,
    render_excerpt,
    render_markdown,
    text_of_rendered,
)
from tests.factories import PostFactory

REPO_ROOT = Path(__file__).resolve().parents[2]


def count(html: str, fragment: str) -> int:
    return html.count(fragment)


# --- CommonMark structure -----------------------------------------------------------


def test_list_right_after_a_paragraph_is_a_list():
    html = render_markdown(
        "Catch the episode wherever you listen:\n"
        "- Spotify: https://open.spotify.com/show/abc\n"
        "- Overcast: https://overcast.fm/xyz (no account needed)\n"
    )
    assert "<p>Catch the episode wherever you listen:</p>" in html
    assert count(html, "<ul>") == 1
    assert count(html, "<li>") == 2
    # linkify is off, as on the source sites: bare URLs stay text.
    assert "<a " not in html


def test_two_space_indented_list_nests():
    html = render_markdown("- fruit\n  - apple\n  - pear\n- vegetables\n")
    assert re.search(r"<li>fruit\s*<ul>\s*<li>apple</li>\s*<li>pear</li>\s*</ul>", html)
    assert count(html, "<ul>") == 2


def test_heading_ids_are_github_style_slugs():
    html = render_markdown("## Identify the problem/s\n\n### Repository vs Registry\n")
    assert '<h2 id="identify-the-problems">Identify the problem/s</h2>' in html
    assert '<h3 id="repository-vs-registry">Repository vs Registry</h3>' in html


def test_duplicate_headings_get_numbered_ids():
    html = render_markdown("# Setup\n\n## Setup\n\n###### Setup\n")
    # (shown as h2, h3, h4: tests/blog/test_reading_long_posts.py)
    assert '<h2 id="setup">' in html
    assert '<h3 id="setup-1">' in html
    assert '<h4 id="setup-2">' in html


def test_heading_id_uses_text_of_inline_code_and_emphasis():
    html = render_markdown("## Using `uv` **fast**\n")
    assert '<h2 id="using-uv-fast">' in html


def test_tables_render_with_alignment_but_without_style_attributes():
    html = render_markdown("| Name | Count |\n|:-----|------:|\n| a | 1 |\n")
    assert "<table>" in html
    assert '<th align="left">Name</th>' in html
    assert '<td align="right">1</td>' in html
    assert "style" not in html


def test_strikethrough():
    assert "<s>old</s>" in render_markdown("~~old~~ new")


def test_footnotes_render_with_ids_and_back_links():
    html = render_markdown("Claim.[^src]\n\n[^src]: The source.\n")
    assert 'href="#fn1"' in html
    assert 'id="fnref1"' in html
    assert '<section class="footnotes">' in html
    assert '<li id="fn1" class="footnote-item">' in html
    assert 'href="#fnref1"' in html


def test_attrs_set_ids_and_classes():
    html = render_markdown("{#custom-id .note}\nA paragraph.\n\n![Diagram](./d.png){.wide}\n")
    assert '<p id="custom-id" class="note">A paragraph.</p>' in html
    assert '<img src="./d.png" alt="Diagram" class="wide">' in html


def test_attrs_block_sets_explicit_heading_id():
    html = render_markdown("{#start}\n## Getting started\n")
    assert '<h2 id="start">Getting started</h2>' in html


def test_attrs_cannot_add_event_handlers_or_styles():
    html = render_markdown('![x](./x.png){onerror="alert(1)" style="color:red"}\n')
    assert "onerror" not in html
    assert "style" not in html


# --- Code -----------------------------------------------------------------------------


def test_python_fence_is_highlighted_with_pygments_classes():
    html = render_markdown("```python\ndef greet(name):\n    return name\n```\n")
    assert (
        '<pre class="highlight" tabindex="0" role="group" aria-label="Code, python">'
        '<code class="language-python">'
    ) in html
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">greet</span>' in html


def test_unknown_language_renders_plain_escaped_code():
    html = render_markdown("```no-such-language\n<b>bold?</b>\n```\n")
    assert (
        '<pre tabindex="0" role="group" aria-label="Code, no-such-language">'
        '<code class="language-no-such-language">&lt;b&gt;bold?&lt;/b&gt;'
    ) in html
    assert "highlight" not in html


def test_fence_without_language_renders_plain_code():
    html = render_markdown("```\nplain & simple\n```\n")
    assert (
        '<pre tabindex="0" role="group" aria-label="Code"><code>plain &amp; simple\n</code></pre>'
    ) in html


def test_hostile_language_name_is_escaped():
    html = render_markdown('```"><script>alert(1)</script>\ncode\n```\n')
    assert "<script" not in html
    assert "code" in html


def test_nunjucks_language_alias_is_highlighted():
    html = render_markdown("```njk\n{{ page.title }}\n```\n")
    assert '<pre class="highlight" tabindex="0" role="group" aria-label="Code, njk">' in html


@pytest.mark.parametrize(
    "marker_open, marker_close",
    [("{% raw %}", "{% endraw %}"), ("{%- raw -%}", "{%- endraw -%}"), ("{%raw%}", "{%endraw%}")],
)
def test_nunjucks_raw_markers_are_removed_but_code_inside_is_kept(marker_open, marker_close):
    source = f"Intro.\n\n{marker_open}\n```html\n<h1>{{{{ title }}}}</h1>\n```\n{marker_close}\n"
    html = render_markdown(source)
    assert "raw" not in html
    assert "{%" not in html
    assert '<code class="language-html">' in html
    assert "title" in html
    assert "{{" in html


def test_inline_nunjucks_raw_markers_are_removed():
    html = render_markdown("Write {% raw %}`{{ x }}`{% endraw %} in templates.")
    assert html == "<p>Write <code>{{ x }}</code> in templates.</p>\n"


# --- Raw HTML -----------------------------------------------------------------------------


def test_content_html_survives():
    source = (
        '<p class="tagline">A short tagline</p>\n\n'
        '<figure><img src="/assets/a.png" alt="A" width="600" loading="lazy">'
        "<figcaption>Caption</figcaption></figure>\n\n"
        "<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n\n"
        '<video controls src="/assets/demo.mp4"></video>\n\n'
        "Press <kbd>Ctrl</kbd> and <mark>look</mark>.\n"
    )
    html = render_markdown(source)
    assert '<p class="tagline">A short tagline</p>' in html
    assert '<img src="/assets/a.png" alt="A" width="600" loading="lazy">' in html
    assert "<figcaption>Caption</figcaption>" in html
    assert "<details><summary>More</summary>" in html
    assert "<em>text</em>" in html
    assert '<video controls="" src="/assets/demo.mp4"></video>' in html
    assert "<kbd>Ctrl</kbd>" in html
    assert "<mark>look</mark>" in html


def test_links_keep_relative_urls_and_get_rel():
    html = render_markdown("[a](./other-post) [b](/talks/x) [c](mailto:me@example.com)")
    assert '<a href="./other-post" rel="noopener noreferrer">a</a>' in html
    assert '<a href="/talks/x" rel="noopener noreferrer">b</a>' in html
    assert 'href="mailto:me@example.com"' in html


def test_break_marker_and_comments_are_not_shown():
    html = render_markdown("Intro.\n\n<!--break-->\n\nRest. <!-- note to self -->\n")
    assert "<!--" not in html
    assert "break" not in html
    assert "note to self" not in html
    assert "<p>Intro.</p>" in html


# --- iframes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube-nocookie.com/embed/abc123",
        "https://www.youtube.com/embed/abc123",
        "https://player.vimeo.com/video/123456",
        "https://slides.com/someone/deck/embed",
        "https://docs.google.com/presentation/d/e/2PACX-1/embed?start=false&amp;loop=false",
        "https://widget.spreaker.com/player?episode_id=42",
        "https://open.spotify.com/embed/episode/xyz",
        "https://speakerdeck.com/player/0123abcd",
    ],
)
def test_iframe_from_embed_host_becomes_a_click_to_load_player(src):
    source = (
        f'<iframe width="560" height="315" src="{src}" title="Talk" frameborder="0" '
        'allow="autoplay; picture-in-picture" allowfullscreen></iframe>\n'
    )
    sanitized = _sanitize(_MD.render(source))
    assert f'src="{src}"' in sanitized
    assert 'allow="autoplay; picture-in-picture"' in sanitized
    assert sanitized.count("<iframe") == 1 and sanitized.count("</iframe>") == 1

    html = render_markdown(source)
    # Nothing loads from the embed host until the reader asks (static/js/embeds.js).
    assert "<iframe" not in html
    assert f'data-embed-src="{src}"' in html
    assert f'<a class="embed-link" href="{src}" rel="noopener">Talk</a>' in html


@pytest.mark.parametrize(
    "iframe",
    [
        '<iframe src="https://evil.example/"></iframe>',
        '<iframe src="https://youtube.com.evil.example/embed/x"></iframe>',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<iframe src="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        "<iframe></iframe>",
        "<IFRAME SRC=https://evil.example/>fallback</IFRAME>",
        '<iframe src="https://docs.google.com/forms/d/x/viewform"></iframe>',
        '<iframe src="ttps://www.youtube.com/embed/x"></iframe>',
    ],
)
def test_iframe_from_other_source_is_removed_entirely(iframe):
    html = render_markdown(f"Before.\n\n{iframe}\n\nAfter.\n")
    assert "iframe" not in html.lower()
    assert "<p>Before.</p>" in html
    assert "<p>After.</p>" in html


def test_allowed_iframe_loses_srcdoc_event_handlers_and_content():
    source = (
        '<iframe src="https://www.youtube.com/embed/x" srcdoc="<b>x</b>" onload="alert(1)">'
        "<script>alert(1)</script></iframe>\n"
    )
    assert _sanitize(_MD.render(source)).strip() == (
        '<iframe src="https://www.youtube.com/embed/x"></iframe>'
    )
    html = render_markdown(source)
    assert 'data-embed-src="https://www.youtube.com/embed/x"' in html
    assert "srcdoc" not in html and "onload" not in html and "<script" not in html


def test_iframe_title_with_angle_brackets_does_not_confuse_iframe_cleanup():
    html = render_markdown(
        '<iframe title="a > b" src="https://player.vimeo.com/video/1"></iframe>\n'
        '<iframe title="src=&quot;x&quot; >" src="https://evil.example/"></iframe>\n'
    )
    assert html.count('class="embed-facade"') == 1
    assert 'data-embed-src="https://player.vimeo.com/video/1"' in html
    assert "evil" not in html


# --- XSS ----------------------------------------------------------------------------------

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\" alt='x'>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![pic](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;vascript&#58;alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="java&#9;script:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body { display: none }</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<p onclick="alert(1)" onmouseover="alert(1)">hover</p>',
    '<body onload="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">toggle</details>',
    '<video><source onerror="alert(1)"></video>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<noembed><script>alert(1)</script></noembed>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
]

FORBIDDEN = ("<script", "onerror", "onload", "onclick", "javascript:", "<style", "style=")


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_is_neutralised(vector):
    html = render_markdown(f"Harmless text.\n\n{vector}\n")
    lowered = html.lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in lowered
    for tag in ("<object", "<embed", "<form", "<svg", "<math", "<meta", "<base", "<link"):
        assert tag not in lowered
    assert "<p>Harmless text.</p>" in html


@pytest.mark.parametrize(
    ("vector", "kept_text"),
    [
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ('<div style="background:url(javascript:alert(1))">styled</div>', "styled"),
        ('<p onclick="alert(1)">hover</p>', "hover"),
        ("[click](javascript:alert(1))", "click"),
        ('<form action="/x"><button>go</button></form>', "go"),
    ],
)
def test_xss_vector_keeps_its_harmless_text(vector, kept_text):
    assert kept_text in render_markdown(vector)


def test_code_showing_html_stays_escaped_text():
    html = render_markdown("Use `<script>` tags.\n\n```html\n<script>alert(1)</script>\n```\n")
    assert "<code>&lt;script&gt;</code>" in html
    assert "&lt;" in html


# --- Determinism --------------------------------------------------------------------------

RICH_SOURCE = """# Title

Intro with [a link](https://example.com) and a note.[^1]

- one
  - two

| a | b |
|---|:-:|
| 1 | 2 |

```python
print("hi")
```

<iframe src="https://www.youtube-nocookie.com/embed/x" allowfullscreen></iframe>

<iframe src="https://evil.example/"></iframe>

[^1]: The note.
"""


def test_rendering_is_deterministic():
    assert render_markdown(RICH_SOURCE) == render_markdown(RICH_SOURCE)


def test_sanitizing_rendered_output_again_changes_nothing():
    html = _sanitize(_MD.render(RICH_SOURCE))
    assert _sanitize(html) == html


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_empty_source_renders_empty(source):
    assert render_markdown(source).strip() == ""


# --- Excerpts -----------------------------------------------------------------------------


def test_excerpt_is_everything_before_the_break_marker():
    source = "First paragraph.\n\nSecond *paragraph*.\n\n<!--break-->\n\nThe rest.\n"
    excerpt = render_excerpt(source)
    assert excerpt == "<p>First paragraph.</p>\n<p>Second <em>paragraph</em>.</p>\n"


def test_excerpt_without_marker_is_the_first_paragraph():
    source = "# Heading\n\nOpening paragraph\nover two lines.\n\nSecond paragraph.\n"
    assert render_excerpt(source) == "<p>Opening paragraph\nover two lines.</p>\n"


def test_excerpt_without_marker_skips_non_paragraph_blocks():
    source = "```python\nx = 1\n```\n\n> quoted\n\n- item\n\nReal text.\n"
    assert render_excerpt(source) == "<p>Real text.</p>\n"


def test_excerpt_keeps_reference_style_links_defined_later():
    source = (
        'See [the docs][docs].\n\n<!--break-->\n\nMore.\n\n[docs]: https://x.example/a "Docs"\n'
    )
    assert render_excerpt(source) == (
        '<p>See <a href="https://x.example/a" title="Docs" rel="noopener noreferrer">'
        "the docs</a>.</p>\n"
    )


def test_excerpt_with_marker_first_falls_back_to_first_paragraph():
    assert render_excerpt("<!--break-->\n\nOnly text.\n") == "<p>Only text.</p>\n"


@pytest.mark.parametrize("source", ["", "   \n", "# Just a heading\n", "```\ncode\n```\n"])
def test_excerpt_is_empty_without_paragraph_text(source):
    assert render_excerpt(source) == ""


def test_excerpt_is_sanitized_and_drops_raw_markers():
    source = "Hi {% raw %}{{ x }}{% endraw %} <script>alert(1)</script>\n\n<!--break-->\nrest"
    excerpt = render_excerpt(source)
    assert "<script" not in excerpt
    assert "raw" not in excerpt
    assert "{{ x }}" in excerpt


@pytest.mark.parametrize(
    "source",
    [
        "Plain *emphasis* and `code <b>` and a [link](https://example.com/?a=1&b=2).",
        '<a title="a>b" href="/x">quoted angle</a> after',
        "<!-- a comment --> text <div>block</div>",
        "Entities &amp; &lt;tags&gt; &#x27;quoted&#x27; and a < b > c",
        "```html\n<script>alert(1)</script>\n```",
        "| a | b |\n|---|---|\n| <em>x</em> | y |",
        "Footnote[^1].\n\n[^1]: The note <b>bold</b>.",
        "<<b>script>alert(1)<</b>/script>",
    ],
)
def test_text_of_rendered_html_is_its_plain_text(source):
    html = render_markdown(source)
    assert text_of_rendered(html) == plain_text(html)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/a">', '<a href="https://example.org/a">'),
        ('<a href="//cdn.example/x">', '<a href="//cdn.example/x">'),
        ('<a href="https://other.example/">', '<a href="https://other.example/">'),
        ('<video poster="/p.jpg">', '<video poster="https://example.org/p.jpg">'),
        (
            '<img src="/y" srcset="/a 480w, /b 960w">',
            '<img src="https://example.org/y" '
            'srcset="https://example.org/a 480w, https://example.org/b 960w">',
        ),
        ('<span class="/not-a-url">', '<span class="/not-a-url">'),
        ('<a xhref="/a">', '<a xhref="/a">'),
        # A value that holds an attribute name does not hide the next attribute.
        ('<a title="href=" href="/z">', '<a title="href=" href="https://example.org/z">'),
    ],
)
def test_absolute_urls_makes_site_relative_urls_absolute(html, expected):
    assert absolute_urls(html, "https://example.org") == expected


@pytest.mark.django_db
def test_save_renders_the_body_unless_it_was_just_rendered(monkeypatch):
    post = PostFactory(body="# First")
    calls = []
    real = models.render_document
    monkeypatch.setattr(models, "render_document", lambda text: calls.append(text) or real(text))

    post.render(real("# Given"))  # as the importer does, with the body rendered elsewhere
    post.save()
    assert calls == []
    assert "Given" in Post.objects.get(pk=post.pk).body_html

    post.body = "# Edited"
    post.save()
    post.save()
    assert calls == ["# Edited", "# Edited"]
