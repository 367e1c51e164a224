"""A reader on a phone and on a desktop: the contents of a long post, and copying code."""

import pytest

from tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

LONG_BODY = (
    "\n\n".join(f"## Part {n}\n\n{'Words to read. ' * 40}" for n in range(1, 5))
    + '\n\n```python\nprint("hello")\n```\n'
)


@pytest.mark.parametrize(("width", "is_open"), [(1280, True), (375, False)])
def test_contents_are_open_on_a_desktop_and_folded_on_a_phone(
    browser, live_server, width, is_open
):
    post = PostFactory(title="A long read", body=LONG_BODY)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()

    page.goto(live_server.url + post.get_absolute_url())

    contents = page.locator("details.toc")
    page.wait_for_load_state("load")  # deferred scripts have run
    assert contents.evaluate("element => element.open") is is_open
    page.get_by_text("Contents", exact=True).click()
    assert contents.evaluate("element => element.open") is not is_open
    context.close()


def test_a_reader_copies_a_code_block_with_its_button(browser, live_server):
    post = PostFactory(title="Code to copy", body=LONG_BODY)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_server.url + post.get_absolute_url())
    # What the live region says, kept: its "Copied" is shown for a moment only.
    page.evaluate(
        """() => {
            window.said = [];
            const status = document.querySelector(".code-copy-status");
            new MutationObserver(() => window.said.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )

    page.get_by_role("button", name="Copy python code").click()

    page.wait_for_function("() => window.said.includes('Copied')")
    assert page.evaluate("() => navigator.clipboard.readText()") == 'print("hello")'
    context.close()
