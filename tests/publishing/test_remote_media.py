"""Bodies never make a page load images, video or audio from another site: the element
becomes a local box that links to the URL (kept), as players become click-to-load boxes."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from publishing.markdown import render_markdown
from tests.factories import PostFactory

LOADING_ATTRIBUTES = {"src", "poster", "srcset", "data", "background"}


class LoadedURLs(HTMLParser):
    """Every URL an element of the HTML would load by itself (not links)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            return
        self.urls += [value or "" for name, value in attrs if name in LOADING_ATTRIBUTES]


def loaded_urls(html: str) -> list[str]:
    parser = LoadedURLs()
    parser.feed(html)
    return parser.urls


def leaves_the_site(url: str) -> bool:
    """As a browser reads it: tabs and newlines dropped, backslashes as slashes."""
    url = "".join(url.split("\t")).replace("\n", "").replace("\r", "").strip()
    url = url.replace("\\", "/")
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("//"))


HOSTILE = [
    pytest.param(
        "![A cat](https://cdn.example/cat.png)", "Image from cdn.example: A cat", id="md-img"
    ),
    pytest.param(
        '<img src="http://cdn.example/cat.png" alt="A cat">', "Image from cdn.example", id="img"
    ),
    pytest.param(
        '<img src="//cdn.example/cat.png">', "Image from cdn.example", id="scheme-relative"
    ),
    pytest.param('<img src="/\\cdn.example/cat.png">', "Image from cdn.example", id="backslash"),
    pytest.param(
        '<img src="HTTPS://CDN.example/cat.png">', "Image from cdn.example", id="upper-case"
    ),
    pytest.param(
        '<img src="ht&#9;tps://cdn.example/cat.png">', "Image from cdn.example", id="tab"
    ),
    pytest.param(
        '<video src="https://cdn.example/clip.mp4" title="Demo" controls></video>',
        "Video from cdn.example: Demo",
        id="video",
    ),
    pytest.param(
        '<video controls><source src="https://cdn.example/clip.webm" type="video/webm"></video>',
        "Video from cdn.example",
        id="video-source",
    ),
    pytest.param(
        '<audio src="https://pod.example/episode.mp3" controls></audio>',
        "Audio from pod.example",
        id="audio",
    ),
    pytest.param(
        "[![Chart](https://cdn.example/chart.png)](https://example.org/report)",
        "Image from cdn.example: Chart",
        id="image-in-a-link",
    ),
]


@pytest.mark.parametrize(("body", "placeholder"), HOSTILE)
def test_remote_media_becomes_a_local_box_linking_to_it(body, placeholder):
    html = render_markdown(body)

    assert not [url for url in loaded_urls(html) if leaves_the_site(url)], html
    assert placeholder in html
    assert 'class="remote-media"' in html
    assert "style=" not in html  # the site's CSP allows no inline styles


def test_the_remote_url_is_kept_as_the_link():
    html = render_markdown("![A cat](https://cdn.example/cat.png?size=large&v=2)")
    assert (
        '<a class="remote-media" href="https://cdn.example/cat.png?size=large&amp;v=2" '
        'rel="noopener noreferrer">Image from cdn.example: A cat</a>'
    ) in html


def test_a_placeholder_inside_a_link_is_no_second_link():
    html = render_markdown("[![Chart](https://cdn.example/chart.png)](https://example.org/report)")
    assert html.count("<a ") == 1
    assert '<span class="remote-media" title="https://cdn.example/chart.png">' in html


@pytest.mark.parametrize(
    "body",
    [
        '<video controls poster="https://cdn.example/p.jpg"><source src="./clip.mp4"></video>',
        '<video controls><source src="https://cdn.example/a.webm"><source src="./clip.mp4">'
        "</video>",
        '<source src="https://cdn.example/a.mp3">',
    ],
    ids=["remote-poster", "one-remote-source", "stray-source"],
)
def test_local_media_keeps_playing_without_its_remote_parts(body):
    html = render_markdown(body)
    assert not [url for url in loaded_urls(html) if leaves_the_site(url)], html
    if "clip.mp4" in body:
        assert '<source src="./clip.mp4">' in html


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("![Diagram](./diagram.png)", '<img src="./diagram.png" alt="Diagram">'),
        ('<img src="/assets/x.png" alt="x">', '<img src="/assets/x.png" alt="x">'),
        ('<video src="./clip.mp4" controls></video>', '<video src="./clip.mp4" controls="">'),
    ],
)
def test_local_media_is_left_alone(body, kept):
    assert kept in render_markdown(body)


@pytest.mark.django_db
def test_post_page_loads_nothing_from_another_site(client):
    post = PostFactory(
        body="Look:\n\n![Tracking pixel](https://tracker.example/p.gif)\n\n"
        '<audio src="https://pod.example/e.mp3" controls></audio>\n',
        header_image="",
    )

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Image from tracker.example: Tracking pixel" in page
    assert "Audio from pod.example" in page
    assert not [url for url in loaded_urls(page) if "example" in urlsplit(url).netloc]
