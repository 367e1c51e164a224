"""The pipeline on real sites' files: what their authors saw must be what visitors see."""

import re

from frontmatter.sourcefiles import split_source
from publishing.markdown import plain_text, render_markdown, text_of_rendered


def body_of(path) -> str:
    return split_source(path.read_text(encoding="utf-8"), path.name)[2]


def test_seed_talk_platform_list_after_a_paragraph_line_is_a_list(corpus):
    html = render_markdown(body_of(corpus / "seeds" / "loige-talk-example.md"))
    platforms = re.search(r"<ul>(.*?)</ul>", html, re.DOTALL)
    assert platforms is not None
    items = re.findall(r"<li>(.*?)</li>", platforms.group(1))
    assert [item.split(":")[0] for item in items] == [
        "Spotify",
        "Anchor",
        "RadioPublic",
        "Breaker",
    ]


def test_in_page_links_of_a_real_post_point_at_heading_ids(corpus):
    path = (
        corpus / "mainmatter" / "posts" / "2022-05-11-what-to-do-if-you-dont-feel-heard-at-work.md"
    )
    html = render_markdown(body_of(path))
    ids = set(re.findall(r'<h[1-6] id="([^"]+)"', html))
    anchors = set(re.findall(r'href="/blog/2022/05/11/[^"#]+/#([^"]+)"', html))
    assert "identify-the-problems" in ids
    assert anchors
    assert anchors <= ids


def test_nunjucks_raw_markers_of_real_posts_never_reach_the_page(corpus):
    for path in sorted((corpus / "mainmatter" / "posts").glob("*.md")):
        html = render_markdown(body_of(path))
        assert "{% raw %}" not in html and "{% endraw %}" not in html, path.name


def test_text_of_rendered_bodies_is_their_plain_text(corpus):
    # The search index and snippets read rendered bodies without an HTML parser.
    paths = sorted(path for path in corpus.rglob("*.md") if path.parent != corpus)
    assert paths
    for path in paths:
        html = render_markdown(body_of(path))
        assert text_of_rendered(html) == plain_text(html), path
