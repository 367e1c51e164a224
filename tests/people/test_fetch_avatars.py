"""fetch_avatars: each person's remote picture downloaded into their stored avatar, as an
upload would be, against a real HTTP server; every bad answer is one line in the report
and the others are still fetched."""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from images.responsive import fill_picture
from people import avatars
from people.avatars import fetch_avatars
from people.models import Person
from tests.factories import PersonFactory, PostFactory
from tests.images.builders import HTML, SVG, image_bytes, media_files, stored_image
from tests.people.builders import PictureServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

PNG = image_bytes(64, 64, "PNG", color="red")


@pytest.fixture
def server():
    picture_server = PictureServer()
    yield picture_server
    picture_server.close()


def fetch(**options):
    """fetch_avatars as the tests run it: the picture server is on 127.0.0.1."""
    return fetch_avatars(**{"allow_private": True, "timeout": 5, **options})


# --- Fetched ------------------------------------------------------------------------------


def test_a_remote_picture_becomes_the_stored_avatar_and_renditions_work(server, media_root):
    person = PersonFactory(name="Ada", avatar_url=server.serve("/ada.png", PNG))

    report = fetch()

    assert (report.fetched, report.skipped, report.failed) == (
        [f"Ada ({person.avatar_url})"],
        [],
        [],
    )
    person.refresh_from_db()
    assert person.avatar.name.startswith("images/") and person.avatar.name.endswith(".png")
    assert person.avatar.name in media_files(media_root)
    assert fill_picture(person, ((48, 48),), field="avatar").width == 48


def test_a_jpeg_served_without_a_type_is_named_by_its_address(server):
    person = PersonFactory(
        avatar_url=server.serve("/me.JPG", image_bytes(40, 40, "JPEG"), content_type="")
    )

    assert fetch().ok
    person.refresh_from_db()
    assert person.avatar.name.endswith(".jpg")


def test_the_person_page_shows_the_fetched_picture_instead_of_the_initial(server, client):
    person = PersonFactory(name="Ada", avatar_url=server.serve("/ada.png", PNG))
    PostFactory(author=person)
    before = client.get(person.get_absolute_url()).content.decode()
    assert "avatar-initial" in before

    fetch()

    content = client.get(person.get_absolute_url()).content.decode()
    assert 'class="avatar avatar-large"' in content
    assert "<img " in content
    assert "avatar-initial" not in content
    assert server.url("/ada.png") not in content


def test_a_redirect_to_another_http_address_is_followed(server):
    target = server.serve("/real.png", PNG)
    person = PersonFactory(avatar_url=server.redirect("/moved.png", target))

    assert fetch().ok
    person.refresh_from_db()
    assert person.avatar


# --- Skipped ------------------------------------------------------------------------------


def test_people_with_an_uploaded_avatar_are_skipped_unless_forced(server):
    uploaded = stored_image()
    person = PersonFactory(name="Ada", avatar=uploaded, avatar_url=server.serve("/a.png", PNG))

    report = fetch()

    assert report.skipped == ["Ada: has an uploaded avatar (--force replaces it)"]
    assert server.requests == []
    person.refresh_from_db()
    assert person.avatar.name == uploaded

    assert fetch(force=True).fetched
    person.refresh_from_db()
    assert person.avatar.name != uploaded


def test_people_without_an_avatar_url_are_not_asked_about(server):
    PersonFactory(avatar_url="")
    report = fetch()
    assert (report.fetched, report.skipped, report.failed) == ([], [], [])


def test_a_dry_run_downloads_and_checks_but_stores_nothing(server, media_root):
    person = PersonFactory(avatar_url=server.serve("/a.png", PNG))
    PersonFactory(name="Bob", avatar_url=server.serve("/b.html", HTML, content_type="image/png"))

    report = fetch(dry_run=True)

    assert report.summary() == "checked 1, skipped 0, failed 1"
    person.refresh_from_db()
    assert not person.avatar
    assert media_files(media_root) == set()


# --- Failed -------------------------------------------------------------------------------


def assert_one_failure(report, person, reason: str) -> None:
    assert report.fetched == [] and len(report.failed) == 1, report
    assert report.failed[0].startswith(f"{person.name} ({person.avatar_url}): ")
    assert reason in report.failed[0]
    person.refresh_from_db()
    assert not person.avatar


def test_a_missing_picture_fails_with_the_servers_answer(server):
    person = PersonFactory(avatar_url=server.url("/gone.png"))
    assert_one_failure(fetch(), person, "the server answered 404 Not Found")


def test_a_web_page_instead_of_a_picture_fails_before_its_body_is_read(server):
    person = PersonFactory(avatar_url=server.serve("/me", HTML, content_type="text/html"))
    assert_one_failure(fetch(), person, "the server sent text/html, not an image")


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (HTML, "image/png", "This file is not an image"),
        (SVG, "image/svg+xml", "is not a supported image type"),
        (PNG[: len(PNG) // 2], "image/png", "truncated or corrupt"),
    ],
)
def test_what_the_upload_checks_refuse_fails_with_their_message(
    server, body, content_type, reason
):
    person = PersonFactory(avatar_url=server.serve("/me", body, content_type=content_type))
    assert_one_failure(fetch(), person, reason)


def test_a_picture_over_the_size_limit_fails(server, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1000
    person = PersonFactory(avatar_url=server.serve("/big.png", image_bytes(10, 10) + bytes(2000)))
    assert_one_failure(fetch(), person, "larger than 1000")


def test_an_endless_body_is_read_only_up_to_the_size_limit(server, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 100_000
    person = PersonFactory(avatar_url=server.serve("/endless.png", PNG, endless=True))
    started = time.monotonic()

    report = fetch(timeout=5)

    assert_one_failure(report, person, "larger than 97.7")
    assert time.monotonic() - started < 4


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"body": PNG, "hold": True}, id="a server that does not answer"),
        pytest.param({"body": b"x", "endless": True, "drip": 0.1}, id="a body that trickles"),
        # Each header line comes well within the time-out: only the whole download's
        # deadline stops it.
        pytest.param({"header_drip": 0.1}, id="headers that trickle"),
    ],
)
def test_a_slow_answer_fails_after_the_timeout(server, answer):
    person = PersonFactory(avatar_url=server.serve("/slow.png", **answer))
    started = time.monotonic()

    report = fetch(timeout=0.5)

    assert_one_failure(report, person, "no complete answer within 0.5 s")
    assert time.monotonic() - started < 3


def test_a_storage_failure_is_one_line_and_the_others_are_still_fetched(server, monkeypatch):
    failing = PersonFactory(name="Ann", avatar_url=server.serve("/a.png", PNG))
    fine = PersonFactory(name="Bob", avatar_url=server.serve("/b.png", PNG))
    real_store = avatars.store_avatar

    def store(person, upload):
        if person.pk == failing.pk:
            raise OSError(28, "No space left on device")
        real_store(person, upload)

    monkeypatch.setattr(avatars, "store_avatar", store)

    report = fetch()

    assert report.failed == [
        f"Ann ({failing.avatar_url}): not stored: [Errno 28] No space left on device"
    ]
    assert report.fetched == [f"Bob ({fine.avatar_url})"]


def test_what_a_server_says_is_printed_without_control_characters(server):
    person = PersonFactory(
        avatar_url=server.serve("/page.png", b"<html>", content_type="text/\x1b[2Jhtml")
    )

    report = fetch()

    assert "\x1b" not in report.failed[0]
    assert_one_failure(report, person, "the server sent text/?[2jhtml, not an image")


@pytest.mark.parametrize("value", ["ftp://example.com/a.png", "/images/a.png", "javascript:x"])
def test_an_address_that_is_not_http_fails_without_a_request(server, value):
    person = PersonFactory(name="Ada", avatar_url=value)
    assert fetch().failed == [f"Ada: {value!r} is not an http(s) address"]
    assert server.requests == []
    person.refresh_from_db()
    assert not person.avatar


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/a.png"])
def test_a_redirect_to_another_scheme_is_refused(server, location):
    person = PersonFactory(avatar_url=server.redirect("/moved.png", location))
    assert_one_failure(fetch(), person, location)


def test_private_addresses_are_refused_unless_allowed(server):
    person = PersonFactory(avatar_url=server.serve("/a.png", PNG))

    report = fetch_avatars(timeout=5)

    assert_one_failure(report, person, "127.0.0.1 is at 127.0.0.1, not a public address")
    assert server.requests == []


def test_a_name_that_resolves_to_a_private_address_is_refused(server):
    server.serve("/a.png", PNG)
    person = PersonFactory(avatar_url=server.url("/a.png").replace("127.0.0.1", "localhost"))

    assert_one_failure(fetch_avatars(timeout=5), person, "localhost is at ")
    assert server.requests == []


# --- Several people -----------------------------------------------------------------------


def test_a_failure_does_not_stop_the_others(server):
    first = PersonFactory(name="A", avatar_url=server.serve("/a.png", PNG))
    PersonFactory(name="B", avatar_url=server.url("/missing.png"))
    last = PersonFactory(name="C", avatar_url=server.serve("/c.png", image_bytes(20, 20, "GIF")))

    report = fetch()

    assert report.summary() == "fetched 2, skipped 0, failed 1"
    assert report.failed[0].startswith("B (")
    first.refresh_from_db()
    last.refresh_from_db()
    assert first.avatar and last.avatar.name.endswith(".gif")


def test_people_who_are_skipped_cost_no_query_each(server):
    def queries_with_uploaded_avatars(count: int) -> int:
        PersonFactory.create_batch(count, avatar=stored_image(), avatar_url=server.url("/a.png"))
        with CaptureQueriesContext(connection) as context:
            assert len(fetch().skipped) >= count
        return len(context)

    assert queries_with_uploaded_avatars(2) == queries_with_uploaded_avatars(6)


def test_each_fetched_person_costs_the_same_queries(server):
    """One query finds the people, then each picture stored costs the same few (its save
    and what saves trigger), however many there are."""
    url = server.serve("/a.png", PNG)

    def queries_for_everyone(count: int) -> int:
        PersonFactory.create_batch(count - Person.objects.count(), avatar_url=url)
        with CaptureQueriesContext(connection) as context:
            report = fetch(force=True)
        assert report.ok and len(report.fetched) == count
        return len(context)

    with_2 = queries_for_everyone(2)
    with_6 = queries_for_everyone(6)
    per_person = (with_6 - with_2) / 4
    assert with_2 == 1 + 2 * per_person


# --- The command --------------------------------------------------------------------------


def run(*args) -> tuple[str, str, int]:
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command(
            "fetch_avatars", "--allow-private-addresses", *args, stdout=stdout, stderr=stderr
        )
        status = 0
    except SystemExit as exit:
        status = exit.code
    return stdout.getvalue(), stderr.getvalue(), status


def test_the_command_reports_each_person_when_verbose(server):
    PersonFactory(name="Ada", avatar_url=server.serve("/ada.png", PNG))
    PersonFactory(name="Bob", avatar_url=server.url("/bob.png"))
    PersonFactory(name="Cy", avatar=stored_image(), avatar_url=server.url("/cy.png"))

    stdout, stderr, status = run("-v", "2", "--timeout", "5")

    assert f"fetched: Ada ({server.url('/ada.png')})" in stdout
    assert "skipped: Cy: has an uploaded avatar (--force replaces it)" in stdout
    assert "fetched 1, skipped 1, failed 1" in stdout
    assert stderr.strip() == (
        f"failed: Bob ({server.url('/bob.png')}): the server answered 404 Not Found"
    )
    assert "Traceback" not in stdout + stderr
    assert status == 1


def test_the_command_says_only_the_summary_by_default_and_exits_0(server):
    PersonFactory(name="Ada", avatar_url=server.serve("/ada.png", PNG))

    stdout, stderr, status = run()

    assert (stdout.strip(), stderr, status) == ("fetched 1, skipped 0, failed 0", "", 0)


def test_the_command_dry_run_says_nothing_was_stored(server):
    person = PersonFactory(avatar_url=server.serve("/ada.png", PNG))

    stdout, _, status = run("--dry-run")

    assert "Nothing was stored (dry run)." in stdout
    assert "checked 1, skipped 0, failed 0" in stdout
    person.refresh_from_db()
    assert not person.avatar and status == 0


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_the_command_refuses_a_timeout_that_is_not_positive(value):
    with pytest.raises(CommandError, match="expected a number of seconds above 0"):
        call_command("fetch_avatars", "--timeout", value)
