"""Every main page: valid HTML, landmarks, alt text, metadata, and a flat query count."""

import json
import re

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    PersonFactory,
    PostCoAuthorFactory,
    PostFactory,
    TalkFactory,
    TalkGuestFactory,
)

# Counted queries are the views' own: no request is answered by the page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def site(now):
    ada = PersonFactory(name="Ada Brennan", slug="ada_brennan")
    post = PostFactory(
        title="Streams & <backpressure>", author=ada, tags=["node", "streams"],
        description="All about streams.",
    )  # fmt: skip
    PostCoAuthorFactory(post=post, person=PersonFactory(name="Bea"))
    talk = TalkFactory(title="Streams live", author=ada, latitude=53.3, longitude=-6.2)
    TalkGuestFactory(talk=talk, person=PersonFactory(name="Cleo"))
    return {"post": post, "talk": talk, "person": ada}


def main_pages(site) -> dict[str, str]:
    return {
        "home": "/",
        "blog": "/blog/",
        "tag": "/blog/tags/node/",
        "year": f"/blog/{site['post'].date.year}/",
        "post": site["post"].get_absolute_url(),
        "speaking": "/speaking/",
        "talk": site["talk"].get_absolute_url(),
        "people": "/people/",
        "person": site["person"].get_absolute_url(),
        "search": "/search/?q=streams",
        "not found": "/no/such/page/",
    }


def parse_strictly(html: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(html)


@pytest.mark.parametrize(
    "page",
    ["home", "blog", "tag", "year", "post", "speaking", "talk", "people", "person", "search",
     "not found"],
)  # fmt: skip
def test_main_pages_are_valid_accessible_html_with_metadata(client, site, settings, page):
    response = client.get(main_pages(site)[page])
    html = response.content.decode()
    document = parse_strictly(html)  # raises on any parse error

    assert document.get("lang")
    assert document.find(".//title").text.strip()
    assert html.count("<main") == 1 and "<header" in html and "<footer" in html
    assert 'class="skip-link" href="#main"' in html
    assert document.find(".//nav[@aria-label='Main']") is not None
    for image in document.iter("img"):
        assert image.get("alt") is not None, image.attrib
    assert len(document.findall(".//h1")) == 1
    if page == "not found":
        assert response.status_code == 404
        return
    meta = {
        element.get("property") or element.get("name"): element.get("content")
        for element in document.iter("meta")
    }
    assert meta["description"]
    assert meta["og:title"] and meta["og:url"].startswith(settings.SITE_URL)
    assert meta["og:image"].startswith(settings.SITE_URL)
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:type"] == ("article" if page in {"post", "talk"} else "website")
    assert meta["twitter:card"] == "summary_large_image"
    canonical = document.find(".//link[@rel='canonical']").get("href")
    assert canonical.startswith(settings.SITE_URL)


def test_no_page_asks_for_anything_from_another_site(client, site, settings):
    for url in main_pages(site).values():
        html = client.get(url).content.decode()
        for tag in re.findall(r"<(?:script|link|img|source|iframe)\b[^>]*>", html):
            for value in re.findall(r'(?:src|href|srcset)="([^"]*)"', tag):
                if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
                    continue
                assert not value.startswith(("http://", "https://", "//")) or value.startswith(
                    settings.SITE_URL
                ), (url, tag)


def test_post_page_has_blog_posting_json_ld(client, site, settings):
    html = client.get(site["post"].get_absolute_url()).content.decode()
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(script)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Streams & <backpressure>"
    assert [author["name"] for author in data["author"]] == ["Ada Brennan", "Bea"]
    assert data["datePublished"] == site["post"].date.isoformat()
    assert data["image"]["url"].startswith(settings.SITE_URL + "/og/post/")
    assert "<backpressure>" not in script  # escaped inside the script element


def test_post_page_shows_reading_time_and_neighbours(client, site, now):
    from tests.factories import days_ago

    older = PostFactory(title="Older one", date=days_ago(30))
    newer = PostFactory(title="Newer one", date=days_ago(1))
    html = client.get(site["post"].get_absolute_url()).content.decode()
    assert "1 min read" in html
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html


@pytest.mark.parametrize("path", ["/", "/blog/", "/blog/tags/node/", "/people/", "/search/?q=x"])
def test_list_pages_run_at_most_8_queries_whatever_the_number_of_items(client, now, path):
    def queries(count: int) -> int:
        for number in range(count):
            person = PersonFactory()
            post = PostFactory(author=person, title=f"x {number}", tags=["node", f"t{number}"])
            PostCoAuthorFactory(post=post, person=PersonFactory())
            TalkGuestFactory(talk=TalkFactory(author=person, title=f"x talk {number}"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    few = queries(5)
    many = queries(45)
    assert few == many, (few, many)
    assert many <= 8


def test_year_archive_lists_that_years_posts(client, site, now):
    from tests.factories import days_ago

    old = PostFactory(title="From long ago", date=days_ago(800))
    html = client.get(f"/blog/{old.date.year}/").content.decode()
    assert "From long ago" in html and site["post"].title not in html
    assert client.get("/blog/1999/").status_code == 404


def test_tag_page_lists_the_tags_posts_and_links_its_feed(client, site):
    PostFactory(title="Rusty", tags=["rust"])
    html = client.get("/blog/tags/node/").content.decode()
    assert "Streams &amp; &lt;backpressure&gt;" in html and "Rusty" not in html
    assert 'href="/blog/tags/node/feed/"' in html
    assert client.get("/blog/tags/nope/").status_code == 404
