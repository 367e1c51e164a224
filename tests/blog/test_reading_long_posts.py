"""Long posts: a table of contents from three section headings on, and a link on each
section heading to itself."""

import re

import pytest

from publishing.markdown import render_markdown
from tests.factories import PostFactory, TalkFactory

pytestmark = pytest.mark.django_db

LONG = "\n\n".join(
    [
        "Intro.",
        "## Why caches fail",
        "Text.",
        '### Cold starts & "thundering herds"',
        "Text.",
        "## What we measured",
        "Text.",
        "## What we changed",
        "Text.",
    ]
)


def test_a_post_with_three_or_more_sections_has_contents_linking_to_each(client):
    page = client.get(PostFactory(body=LONG).get_absolute_url()).content.decode()

    toc = re.search(r'<details class="toc" open>.*?</details>', page, re.DOTALL)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert links == [
        ("why-caches-fail", "Why caches fail"),
        ("cold-starts--thundering-herds", "Cold starts &amp; &quot;thundering herds&quot;"),
        ("what-we-measured", "What we measured"),
        ("what-we-changed", "What we changed"),
    ]
    # a subsection is listed under its section
    assert '<a href="#why-caches-fail">Why caches fail</a><ol><li><a href="#cold-starts' in toc
    for anchor, _ in links:  # each link leads to a heading of the page
        assert re.search(rf'<h[23][^>]* id="{anchor}"', page)


@pytest.mark.parametrize("headings", [0, 1, 2])
def test_a_post_with_fewer_sections_has_no_contents(client, headings):
    body = "\n\n".join(f"## Part {n}\n\nText." for n in range(headings)) or "Just text."
    page = client.get(PostFactory(body=body).get_absolute_url()).content.decode()
    assert 'class="toc"' not in page


def test_each_section_heading_links_to_itself(client):
    page = client.get(PostFactory(body=LONG).get_absolute_url()).content.decode()
    assert (
        '<h2 id="why-caches-fail">Why caches fail <a class="heading-anchor" '
        'href="#why-caches-fail" aria-label="Link to this section">#</a></h2>'
    ) in page
    assert page.count('class="heading-anchor"') == 4


def test_talks_get_contents_too(client, now):
    page = client.get(TalkFactory(body=LONG).get_absolute_url()).content.decode()
    assert 'class="toc"' in page


@pytest.mark.parametrize(
    ("source", "levels"),
    [
        ("# a\n\n## b\n\n### c", [2, 3, 4]),  # a body's h1 sits under the page's title
        ("### a\n\n### b\n\n## c", [2, 2, 2]),  # siblings stay siblings
        ("## a\n\n#### b\n\n#### c\n\n## d", [2, 3, 3, 2]),  # no level skipped
        ("### a\n\n## b\n\n### c", [2, 2, 3]),
        ("## a\n\n### b\n\n###### c", [2, 3, 4]),
    ],
)
def test_body_headings_follow_the_page_outline_without_skipping_levels(source, levels):
    html = render_markdown(source)

    assert [int(level) for level in re.findall(r"<h(\d)", html)] == levels
