import pytest

from publishing.links import EMBED_HOSTS, embeddable_url, http_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.com/talk", "https://example.com/talk"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://Example.com/Path?q=1#frag", "HTTPS://Example.com/Path?q=1#frag"),
        ("  https://a.b  ", "https://a.b"),
        ("\thttps://a.b/x\n", "https://a.b/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
    ],
)
def test_http_url_accepts_absolute_http_urls_and_strips_them(value, expected):
    assert http_url(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "ttps://docs.google.com/presentation/d/x",
        "htps://example.com",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "mailto:someone@example.com",
        "//example.com/protocol-relative",
        "/relative/path",
        "example.com",
        "https://",
        "https:///path-only",
        "https://exa mple.com/",
        "https://example.com/a b",
        "https://evil.example\\@youtube.com/",
        "https://example.com:99999/",
        "http://[::1",
    ],
)
def test_http_url_rejects_everything_else(value):
    assert http_url(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "https://www.youtube.com/embed/abc123",
        "https://youtube.com/embed/abc123",
        "https://www.youtube-nocookie.com/embed/abc123?start=30",
        "https://player.vimeo.com/video/123456",
        "https://slides.com/someone/deck/embed",
        "https://docs.google.com/presentation/d/e/2PACX/embed?start=false",
        "https://speakerdeck.com/player/0123abcd",
        "https://www.slideshare.net/slideshow/embed_code/key/abc",
        "https://open.spotify.com/embed/episode/xyz",
        "https://anchor.fm/show/embed/episodes/ep-1",
        "https://podcasters.spotify.com/pod/show/show/embed/episodes/ep-1",
        "https://widget.spreaker.com/player?episode_id=1",
        "https://WWW.YouTube.com./embed/abc123",
        "  https://player.vimeo.com/video/1  ",
    ],
)
def test_embeddable_url_accepts_allowlisted_hosts(value):
    assert embeddable_url(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "https://youtube.com.evil.com/embed/x",
        "https://evilyoutube.com/embed/x",
        "https://youtube.com@evil.com/embed/x",
        "https://evil.com\\@www.youtube.com/embed/x",
        "https://evil.com/?https://www.youtube.com/embed/x",
        "https://evil.com/www.youtube.com/embed/x",
        "javascript:alert('youtube.com')",
        "ttps://www.youtube.com/embed/x",
        "ftp://www.youtube.com/embed/x",
        # Only Google Slides may be framed, not Docs, Sheets or Forms.
        "https://docs.google.com/document/d/x/edit",
        "https://docs.google.com/forms/d/x/viewform",
        "https://spotify.com/embed/x",
        "https://example.com/embed",
    ],
)
def test_embeddable_url_rejects_other_hosts_and_non_urls(value):
    assert embeddable_url(value) is None


def test_embed_hosts_are_bare_lowercase_domains():
    for host, path_prefix in EMBED_HOSTS.items():
        assert host == host.lower().strip(".")
        assert "/" not in host
        assert path_prefix == "" or path_prefix.startswith("/")


@pytest.mark.parametrize(
    "value",
    [
        # Only Google Slides may be framed; each of these is a Form once the path is read.
        "https://docs.google.com/presentation/../forms/d/x/viewform",
        "https://docs.google.com/presentation/./../forms/d/x/viewform",
        "https://docs.google.com/presentation/d/../../forms/d/x/viewform",
        "https://docs.google.com/presentation/%2e%2e/forms/d/x/viewform",
        "https://docs.google.com/presentation/%2E%2E/forms/d/x/viewform",
        "https://docs.google.com/presentation/.%2e/forms/d/x/viewform",
        "https://docs.google.com/presentation/..%2fforms/d/x/viewform",
        "https://docs.google.com/presentation/..%2Fforms/d/x/viewform",
        "https://docs.google.com/presentation/..%5cforms/d/x/viewform",
        "https://docs.google.com/presentation/x/..%252f..%252fforms/d/x/viewform",
        "https://docs.google.com/presentation/%252e%252e/forms/d/x/viewform",
        "https://docs.google.com/presentation//../forms/d/x/viewform",
        "https://docs.google.com/forms/..%2fpresentation/d/x/viewform",
        "https://docs.google.com/forms/d/x/viewform?/presentation/",
        "https://docs.google.com//forms/d/x/viewform",
        "https://docs.google.com/presentation%2f/../forms/d/x",
    ],
)
def test_embeddable_url_reads_the_path_as_browsers_and_servers_do(value):
    assert embeddable_url(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "https://docs.google.com/presentation/d/e/2PACX-1vQ/embed?start=false&loop=false",
        "https://docs.google.com/presentation/d/1AbC/embed#slide=id.p",
        "https://docs.google.com/presentation/d/x/../y/embed",
    ],
)
def test_embeddable_url_keeps_slides_whose_path_stays_under_the_prefix(value):
    assert embeddable_url(value) == value
