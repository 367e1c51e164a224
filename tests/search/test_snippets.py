"""Search snippets are the text of the body, escaped once, with the matched words marked:
code that shows "<div>" reads "<div>", never "&lt;div&gt;"."""

import pytest

from search.engine import search, snippet
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_snippet_shows_markup_characters_of_the_body_as_text():
    post = PostFactory(
        description="",
        body='Wrap it in `<div class="card">` & style **it**: a < b > c "quoted".\n',
    )

    html = snippet(post, ["wrap"])

    assert html == (
        "<mark>Wrap</mark> it in &lt;div class=&quot;card&quot;&gt; &amp; style it: "
        "a &lt; b &gt; c &quot;quoted&quot;."
    )


def test_snippet_of_a_code_block_is_escaped_once():
    post = PostFactory(description="", body="```html\n<div>&amp;</div>\n```\n")

    html = snippet(post, ["div"])

    assert html == "<mark>&lt;div&gt;&amp;amp;&lt;/div&gt;</mark>"


def test_search_results_page_escapes_snippets_once(client, now):
    PostFactory(title="Cards", description="", body="A `<section>` & a **card**: cards.\n")

    content = client.get("/search/", {"q": "cards"}).content.decode()

    assert "A &lt;section&gt; &amp; a card: <mark>cards.</mark>" in content
    assert "&amp;lt;" not in content and "&amp;amp;" not in content


def test_a_description_is_escaped_once():
    post = PostFactory(description='Tips &amp; "tricks" for a < b', body="Body.\n")
    assert snippet(post, ["tips"]) == (
        "<mark>Tips</mark> &amp; &quot;tricks&quot; for a &lt; b Body."
    )


def test_search_still_finds_the_post(now):
    post = PostFactory(title="Cards", body="A `<section>` & a card.\n")
    assert [result.item for result in search("cards")] == [post]
