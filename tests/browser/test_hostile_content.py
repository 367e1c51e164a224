"""A visitor opens an imported post whose files and HTML were written to run script on the
site, and follows everything it links to: nothing runs, in a real browser."""

import io
from urllib.parse import urljoin

import pytest
from django.core.management import call_command

from blog.models import Post
from publishing.models import Attachment
from tests.publishing import builders

pytestmark = pytest.mark.django_db(transaction=True)

# Every way the body tries to run script: files beside it that a browser would run, and
# raw HTML the sanitizer must defuse.
HOSTILE_BODY = """\
A post with a [page](./page.html), a ![drawing](./drawing.svg), a [shouted page](./loud.htm),
a [note](./notes.txt), a ![photo](./photo.jpg), a [paper](./paper.pdf), a
[polyglot](./polyglot.pdf) and a ![chart](./chart.png).

<a href="./page.html" onclick="alert('onclick')">click</a>
<img src="./chart.png" onerror="alert('onerror')" alt="chart again">
<a href="javascript:alert('javascript-url')">js link</a>
<iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>
<svg><script>alert('inline-svg')</script></svg>
<math><mi xlink:href="javascript:alert('math')">m</mi></math>
<object data="./drawing.svg"></object>
<embed src="./page.html">
<form action="javascript:alert('form')"><button>go</button></form>
<details open ontoggle="alert('ontoggle')"><summary>s</summary></details>
<video src="./page.html" poster="./drawing.svg"></video>
"""

FILES = {
    "page.html": builders.HTML_PAGE,
    "loud.htm": builders.SHOUTED_HTML,
    "drawing.svg": builders.SVG_DRAWING,
    "notes.txt": builders.TEXT_WITH_A_SCRIPT,
    "photo.jpg": builders.HTML_PAGE,  # a page named like a photo
    "paper.pdf": builders.pdf_bytes(),
    "polyglot.pdf": builders.polyglot_pdf(),
    "chart.png": builders.png_bytes((64, 48)),
}


@pytest.fixture
def hostile_post(tmp_path, media_root):
    site = tmp_path / "site"
    builders.write_post_bundle(site, HOSTILE_BODY, FILES)
    builders.write_good_talk(site)
    call_command("import_markdown", str(site), stdout=io.StringIO(), stderr=io.StringIO())
    return Post.objects.get(slug="hostile")


def test_no_script_runs_on_a_post_with_hostile_files_and_html_or_anything_it_links(
    page, live_server, hostile_post, media_root
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    post_url = live_server.url + hostile_post.get_absolute_url()
    page.goto(post_url)
    assert page.get_by_role("heading", level=1).inner_text() == "A post"
    # Everything in the article a visitor could open: links, pictures, players, frames.
    urls = page.eval_on_selector_all(
        "article a[href], article img[src], article source[srcset], article video[src],"
        " article video[poster], article iframe[src], article object[data], article embed[src]",
        """elements => elements.flatMap(element => [
            element.href, element.src, element.poster, element.data,
            ...(element.srcset || "").split(",").map(part => part.trim().split(" ")[0]),
        ]).filter(Boolean)""",
    )
    # And every file the import stored, whether the page links it or not.
    stored = [attachment.file.url for attachment in Attachment.objects.exclude(file="")]
    same_origin = sorted(
        {url for url in urls if url.startswith(live_server.url)}
        | {urljoin(live_server.url, url) for url in stored}
    )
    assert same_origin, "the post links nothing on the site"
    for url in same_origin:
        headers = page.request.get(url).headers
        if headers.get("content-disposition", "").startswith("attachment"):
            # A download is never shown in the page: the browser saves it.
            assert headers["x-content-type-options"] == "nosniff", url
            continue
        page.goto(url)
        page.wait_for_load_state("load")
    page.goto(post_url)
    # Its onclick was dropped; the page it leads to was not imported.
    page.get_by_role("link", name="click", exact=True).click()
    page.wait_for_load_state("load")

    assert dialogs == []
    # The files a browser would run were never stored, whatever their names said.
    stored_names = [name for name in map(str, media_root.rglob("*")) if "." in name]
    assert not [
        name for name in stored_names if name.endswith((".html", ".htm", ".svg", ".xml", ".js"))
    ]
    assert Attachment.objects.get(reference="./photo.jpg").file.name == ""
