"""The public pages and the admin work under the Content-Security-Policy: a real browser
reports no violation (no inline script or style, nothing from another site but a player
the visitor asks for)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PersonFactory, PostFactory, TalkFactory, TalkGuestFactory
from tests.images.builders import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any script of each page (an init script is not subject to the page's policy).
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""

BODY = """\
## Streams

| left | right |
|:-----|------:|
| a    | b     |

```js
stream.pipe(out);
```

<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="The recording"></iframe>
"""


@pytest.fixture
def watched(page):
    """The page, collecting every violation event and every console message about a policy."""
    page.add_init_script(WATCH_VIOLATIONS)
    page.policy_messages = []
    page.on(
        "console",
        lambda message: (
            page.policy_messages.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations") + page.policy_messages


@pytest.fixture
def site():
    ada = PersonFactory(name="Ada Brennan", slug="ada_brennan", bio="Speaks about streams.")
    post = PostFactory(
        title="Streams in depth",
        author=ada,
        body=BODY,
        tags=["streams"],
        header_image=SimpleUploadedFile("stage.png", image_bytes(800, 450, "PNG")),
        header_image_alt="A stage",
    )
    talk = TalkFactory(
        title="Streams live",
        slug="streams-live",
        author=ada,
        body=BODY,
        latitude=53.34,
        longitude=-6.26,
    )
    TalkGuestFactory(talk=talk, person=PersonFactory(name="Bea Guest"))
    return {"post": post, "talk": talk, "person": ada}


def test_the_watch_sees_a_violation(watched, live_server):
    watched.goto(live_server.url + "/")
    watched.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">styled</p>')"
    )
    watched.wait_for_function("window.cspViolations.length > 0")
    assert "style-src-attr" in violations(watched)[0]


def test_public_pages_report_no_violation(watched, live_server, site):
    pages = [
        "/",
        "/blog/",
        "/blog/tags/streams/",
        site["post"].get_absolute_url(),
        "/speaking/",
        site["talk"].get_absolute_url(),
        "/people/",
        site["person"].get_absolute_url(),
        "/search/?q=streams",
        "/no/such/page/",
    ]
    for path in pages:
        watched.goto(live_server.url + path)
        assert violations(watched) == [], path

    watched.goto(live_server.url + site["post"].get_absolute_url())
    header = watched.locator("main picture img").first
    watched.wait_for_function("image => image.complete", arg=header.element_handle())
    assert header.evaluate("image => image.naturalWidth") > 0  # the rendition, from /media/

    # A player the visitor asks for is a frame the policy allows.
    watched.goto(live_server.url + site["talk"].get_absolute_url())
    watched.get_by_role("button", name="Load the player here").first.click()
    assert watched.locator("main iframe").count() == 1
    assert violations(watched) == []


def test_the_admin_reports_no_violation(watched, live_server, site, editor_login):
    username, password = editor_login
    watched.goto(live_server.url + "/admin/login/")
    watched.fill("#id_username", username)
    watched.fill("#id_password", password)
    watched.click("input[type=submit]")
    watched.wait_for_url(live_server.url + "/admin/")
    assert violations(watched) == []

    watched.goto(live_server.url + "/admin/blog/post/")
    assert violations(watched) == []

    watched.goto(live_server.url + f"/admin/blog/post/{site['post'].pk}/change/")
    watched.click(".focal-preview img", position={"x": 20, "y": 20})  # focal-point.js
    watched.get_by_role("button", name="Preview").click()  # markdown-preview.js
    watched.locator(".markdown-preview h2#streams").wait_for()
    watched.click("#calendarlink0")  # the admin's date widget
    watched.locator("#calendarbox0").wait_for()
    watched.keyboard.press("Escape")
    watched.locator(".field-author .select2-selection").click()  # autocomplete (select2)
    watched.locator(".select2-results__option", has_text="Ada Brennan").wait_for()
    watched.keyboard.press("Escape")
    assert violations(watched) == []

    watched.goto(live_server.url + "/admin/talks/talk/add/")
    watched.fill("#id_title", "A new talk")
    watched.press("#id_title", "Tab")  # prepopulated slug
    assert watched.input_value("#id_slug") == "a-new-talk"
    watched.click("#guest_credits-group .add-row a")  # inlines: add another
    watched.locator("#guest_credits-0 .field-person .select2-selection").click()
    watched.locator(".select2-search__field").fill("Bea")
    watched.locator(".select2-results__option", has_text="Bea Guest").click()
    assert violations(watched) == []

    watched.goto(live_server.url + f"/admin/people/person/{site['person'].pk}/change/")
    assert violations(watched) == []
