"""Content-Security-Policy and Permissions-Policy on every page, and pages that need nothing
the policy forbids (no inline script, style attribute or event handler)."""

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from publishing.links import EMBED_HOSTS
from tests.factories import PersonFactory, PostFactory, TalkFactory, TalkGuestFactory
from tests.images.builders import image_bytes

pytestmark = pytest.mark.django_db

BODY = """\
## A table, code and a player

| left | right |
|:-----|------:|
| a    | b     |

```python
print("hi")
```

<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="The recording"></iframe>

<div style="color: red" onclick="alert(1)">styled by its author</div>
"""


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def site(now):
    ada = PersonFactory(name="Ada Brennan", slug="ada_brennan")  # no picture: her initial
    post = PostFactory(
        title="Streams",
        author=ada,
        body=BODY,
        tags=["streams"],
        header_image=SimpleUploadedFile("stage.png", image_bytes(640, 360, "PNG")),
        header_image_alt="A stage",
    )
    talk = TalkFactory(title="Streams live", author=ada, body=BODY, latitude=53.3, longitude=-6.2)
    TalkGuestFactory(talk=talk, person=PersonFactory(name="Cleo"))
    return {
        "home": "/",
        "blog": "/blog/",
        "tag": "/blog/tags/streams/",
        "post": post.get_absolute_url(),
        "speaking": "/speaking/",
        "talk": talk.get_absolute_url(),
        "people": "/people/",
        "person": ada.get_absolute_url(),
        "search": "/search/?q=streams",
        "not found": "/no/such/page/",
    }


def test_pages_run_only_the_sites_own_scripts_and_styles(client, site):
    response = client.get(site["post"])
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_only_the_embed_hosts_may_be_framed(client, site):
    frame_sources = policy(client.get(site["talk"]))["frame-src"]
    for host, path_prefix in EMBED_HOSTS.items():
        assert f"https://{host}{path_prefix}" in frame_sources
        assert f"https://*.{host}{path_prefix}" in frame_sources
    assert len(frame_sources) == 2 * len(EMBED_HOSTS)
    assert all(source.startswith("https://") for source in frame_sources)


@pytest.mark.parametrize("page", ["home", "post", "talk", "person", "search", "not found"])
def test_every_page_carries_both_policies(client, site, page):
    response = client.get(site[page])
    assert response.status_code in (200, 404)
    assert policy(response)["script-src"] == ["'self'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions


def test_feeds_and_machine_readable_pages_carry_the_policy_too(client, site):
    for url in (
        "/blog/feed/",
        "/blog/atom/",
        "/robots.txt",
        "/speaking/talks.ics",
        "/sitemap.xml",
    ):
        assert policy(client.get(url))["default-src"] == ["'self'"], url


def test_the_admin_works_under_the_same_policy(editor_client, site):
    public = policy(editor_client.get(site["post"]))
    for url in ("/admin/", "/admin/blog/post/", "/admin/blog/post/add/", "/admin/talks/talk/add/"):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == public, url


@pytest.mark.parametrize(
    "page",
    ["home", "blog", "tag", "post", "speaking", "talk", "people", "person", "search",
     "not found"],
)  # fmt: skip
def test_public_pages_have_no_inline_script_style_or_event_handler(client, site, page):
    response = client.get(site[page])
    document = html5lib.parse(response.content, namespaceHTMLElements=False)
    assert document.findall(".//style") == []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        assert "style" not in element.attrib, (element.tag, element.attrib)
        assert not [name for name in element.attrib if name.startswith("on")], element.attrib
        for name in ("href", "src", "action", "formaction"):
            assert not element.attrib.get(name, "").lower().startswith("javascript:")
    for script in document.iter("script"):
        if script.get("type") == "application/ld+json":
            continue  # a data block: the browser never runs it
        assert script.get("src", "").startswith("/static/"), script.attrib
        assert not (script.text or "").strip()
