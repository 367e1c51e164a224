"""An editor works in the admin with a real browser."""

import datetime

import pytest
from PIL import Image

from talks.models import Talk
from tests.browser.builders import ARTIFACTS, log_in
from tests.factories import PersonFactory, PostFactory, TalkFactory, TalkGuestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def header_png(tmp_path):
    image = Image.new("RGB", (1600, 900), (30, 90, 160))
    path = tmp_path / "stage.png"
    image.save(path)
    return path


def pick_person(page, row: int, name: str) -> None:
    """Choose a person in the guests inline's autocomplete (select2)."""
    page.locator(f"#guest_credits-{row} .field-person .select2-selection").click()
    page.locator(".select2-search__field").fill(name)
    page.locator(".select2-results__option", has_text=name).click()


def test_editor_creates_a_talk_with_two_guests_and_a_header_and_sees_it_published(
    page, live_server, editor_login, tmp_path, screenshot
):
    PersonFactory(name="Ada Brennan", slug="ada_brennan")
    PersonFactory(name="Bea Guest", slug="bea-guest")
    PersonFactory(name="Cleo Guest", slug="cleo-guest")
    username, password = editor_login

    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/talks/talk/add/")

    page.fill("#id_title", "Streams for editors")
    page.press("#id_title", "Tab")  # the admin fills the slug in when the title changes
    assert page.input_value("#id_slug") == "streams-for-editors"
    page.select_option("#id_status", "published")
    page.fill("#id_date_0", "2024-05-10")
    page.fill("#id_date_1", "18:00:00")
    page.fill("#id_body", "We talk about **streams**.")
    page.fill("#id_event_name", "Editors Conf")
    page.fill("#id_event_city", "Dublin, Ireland")
    page.set_input_files("#id_header_image", str(header_png(tmp_path)))
    page.fill("#id_header_image_alt", "A blue stage")
    page.click("#guest_credits-group .add-row a")
    page.click("#guest_credits-group .add-row a")
    pick_person(page, 0, "Cleo Guest")
    page.fill("#id_guest_credits-0-position", "0")
    pick_person(page, 1, "Bea Guest")
    page.fill("#id_guest_credits-1-position", "1")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    screenshot("admin-talk-saved")

    talk = Talk.objects.get(slug="streams-for-editors")
    assert talk.is_published
    assert [credit.person.name for credit in talk.guest_credits.all()] == [
        "Cleo Guest",
        "Bea Guest",
    ]
    assert talk.header_image.name.startswith("images/")

    page.goto(live_server.url + talk.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Streams for editors"
    guests = page.inner_text("main")
    assert guests.index("Cleo Guest") < guests.index("Bea Guest")
    header = page.locator("main picture img")
    assert header.get_attribute("alt") == "A blue stage"
    # Wait for the browser to finish with the picture (loaded or broken), then check it drew.
    page.wait_for_function("image => image.complete", arg=header.element_handle())
    assert header.evaluate("image => image.naturalWidth") > 0
    screenshot("talk-published-by-editor")
    page.goto(live_server.url + "/speaking/")
    assert "Streams for editors" in page.inner_text("main")


def test_editor_previews_markdown_in_the_admin(page, live_server, editor_login):
    log_in(page, live_server.url, editor_login)
    page.goto(live_server.url + "/admin/blog/post/add/")
    page.fill("#id_body", "## Hello\n\n- one\n- two\n\n<script>alert(1)</script>")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".markdown-preview")
    preview.locator("h2#hello").wait_for()
    assert preview.locator("li").count() == 2
    assert "alert" not in preview.inner_html()


def test_editor_is_asked_before_leaving_unsaved_changes_and_gets_them_back(
    page, live_server, editor_login
):
    post = PostFactory(title="As saved")
    log_in(page, live_server.url, editor_login)
    change = f"{live_server.url}/admin/blog/post/{post.pk}/change/"
    page.goto(change)
    page.locator("#id_title").click()
    page.keyboard.press("End")
    page.keyboard.type(", then edited")
    key = f"unsaved-form:/admin/blog/post/{post.pk}/change/"
    page.wait_for_function("(key) => localStorage.getItem(key) !== null", arg=key)

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator(".breadcrumbs a").first.click(no_wait_after=True)
    assert asked == ["beforeunload"]
    assert page.url == change  # staying was chosen

    # The tab is closed without saving; the form opened again offers the changes back.
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(change)
    assert again.locator("#id_title").input_value() == "As saved"
    again.get_by_role("button", name="Restore them").click()
    assert again.locator("#id_title").input_value() == "As saved, then edited"
    again.locator("input[name=_save]").first.click()
    again.locator(".messagelist .success").wait_for()
    post.refresh_from_db()
    assert post.title == "As saved, then edited"
    assert again.evaluate("(key) => localStorage.getItem(key)", key) is None


def test_editor_illustrates_a_draft_previews_it_and_shares_it_with_someone_logged_out(
    page, browser, live_server, editor_login, tmp_path, screenshot
):
    post = PostFactory(title="Caching at the edge", status="draft", body="Before the picture.")
    log_in(page, live_server.url, editor_login)
    page.goto(f"{live_server.url}/admin/blog/post/{post.pk}/change/")

    # Upload an image for the body and insert it where the cursor is.
    page.locator("#id_body").click()
    page.keyboard.press("Control+End")
    page.set_input_files(".body-image-file", str(header_png(tmp_path)))
    page.fill(".body-image-alt", "The request path through the cache")
    page.click(".body-image-insert")
    page.locator(".body-image-status", has_text="Inserted").wait_for()
    body = page.input_value("#id_body")
    assert body == "Before the picture.\n\n![The request path through the cache](./stage.png)"
    screenshot("admin-body-image-inserted")

    # The page as the form would make it, before saving, in a new tab.
    with page.expect_popup() as opened:
        page.click("input.preview-page")
    preview = opened.value
    preview.wait_for_load_state()
    assert "Preview of unsaved changes" in preview.inner_text("main")
    unsaved = preview.locator("main picture img").last
    assert unsaved.get_attribute("alt") == "The request path through the cache"
    preview.wait_for_function("image => image.complete", arg=unsaved.element_handle())
    assert unsaved.evaluate("image => image.naturalWidth") > 0
    preview.screenshot(path=str(ARTIFACTS / "page-preview-unsaved.png"), full_page=True)
    preview.close()
    post.refresh_from_db()
    assert post.body == "Before the picture."  # previewing saved nothing

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".body-images code", has_text="./stage.png").count() == 1

    # The editor previews the draft on the site: the picture is there.
    page.goto(live_server.url + post.get_absolute_url())
    assert "Preview — not published" in page.inner_text("main")
    picture = page.locator("main picture img").last
    page.wait_for_function("image => image.complete", arg=picture.element_handle())
    assert picture.evaluate("image => image.naturalWidth") > 0

    # A share link, opened by someone who is not logged in.
    page.goto(f"{live_server.url}/admin/blog/post/{post.pk}/share-preview/")
    link = page.input_value("#preview-link")
    screenshot("admin-share-preview")
    stranger = browser.new_context(viewport={"width": 1280, "height": 900})
    visitor = stranger.new_page()
    assert visitor.goto(live_server.url + post.get_absolute_url()).status == 404
    response = visitor.goto(link)
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert "Shared preview — not published" in visitor.inner_text("main")
    image = visitor.locator("main picture img").last
    assert image.get_attribute("alt") == "The request path through the cache"
    visitor.wait_for_function("image => image.complete", arg=image.element_handle())
    assert image.evaluate("image => image.naturalWidth") > 0
    visitor.screenshot(path=str(ARTIFACTS / "shared-preview.png"), full_page=True)
    stranger.close()


def test_editor_drags_a_guest_into_place_and_the_order_is_kept(page, live_server, editor_login):
    talk = TalkFactory(title="Ordered talk")
    for position, name in enumerate(["Ada", "Bea", "Cleo"]):
        TalkGuestFactory(talk=talk, person=PersonFactory(name=name), position=position)
    log_in(page, live_server.url, editor_login)
    page.goto(f"{live_server.url}/admin/talks/talk/{talk.pk}/change/")

    rows = page.locator("#guest_credits-group tbody tr.credit-row")
    rows.nth(2).drag_to(rows.nth(0), target_position={"x": 20, "y": 2})
    assert [rows.nth(i).locator("input[name$='-position']").input_value() for i in range(3)] == [
        "0",
        "1",
        "2",
    ]
    # A guest added now comes last, not at position 0.
    page.click("#guest_credits-group .add-row a")
    assert page.input_value("#id_guest_credits-3-position") == "3"
    page.click("#guest_credits-group tbody tr.dynamic-guest_credits .inline-deletelink")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    talk.refresh_from_db()
    assert [guest.name for guest in talk.ordered_guests()] == ["Cleo", "Ada", "Bea"]


def test_editor_picks_an_existing_tag_from_the_suggestions(page, live_server, editor_login):
    PostFactory(tags=["python", "performance"])
    log_in(page, live_server.url, editor_login)
    page.goto(live_server.url + "/admin/blog/post/add/")

    page.locator("#id_tags").click()
    page.keyboard.type("django, pyt")
    page.locator("#tag-suggestions li", has_text="python").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    assert page.input_value("#id_tags") == "django, python, "
    assert page.locator("#tag-suggestions").is_hidden()


def test_editor_undoes_a_mistake_from_the_history_and_renames_without_breaking_the_link(
    page, live_server, editor_login, screenshot
):
    post = PostFactory(title="Edge caching, measured", slug="edge-caching", body="Good text.")
    old_address = post.get_absolute_url()
    log_in(page, live_server.url, editor_login)
    change = f"{live_server.url}/admin/blog/post/{post.pk}/change/"

    page.goto(change)
    page.click("input[name=_continue]")  # a first revision, as the post was
    page.wait_for_selector(".messagelist .success")
    page.fill("#id_body", "Oops, pasted over the whole text.")  # the mistake
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name="What changed").first.click()
    changes = page.inner_text(".revision-changes table")
    assert "Good text." in changes and "Oops, pasted over the whole text." in changes
    screenshot("admin-revision-changes")
    page.get_by_role("link", name="Undo: restore the revision before it…").click()
    assert page.input_value("#id_body") == "Good text."
    screenshot("admin-revision-restore")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    post.refresh_from_db()
    assert post.body == "Good text."

    page.goto(change)
    page.fill("#id_slug", "edge-caching-measured")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    post.refresh_from_db()
    response = page.goto(live_server.url + old_address)
    assert response.url == live_server.url + post.get_absolute_url()
    assert page.get_by_role("heading", level=1).inner_text() == "Edge caching, measured"
    assert "Good text." in page.inner_text("main")
    screenshot("renamed-post-reached-from-its-old-address")


def test_the_post_list_fits_1280_pixels_with_readable_titles(page, live_server, editor_login):
    author = PersonFactory(name="Mei Lin Okafor-Brennan")
    for number in range(5):
        PostFactory(
            title=f"A fairly long post title about caching at the edge, number {number}",
            author=author,
            date=datetime.datetime(2026, 12, 28, 23, 59, tzinfo=datetime.UTC),
            tags=["python", "performance", "caching", "content-delivery-networks"],
        )
    log_in(page, live_server.url, editor_login)
    page.goto(live_server.url + "/admin/blog/post/")

    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth + 1")  # no scrolling
    assert page.locator("#result_list .field-title").first.bounding_box()["width"] >= 150
