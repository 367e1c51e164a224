"""Extreme dates: import and admin accept 1900-01-01 to 2200-12-31 only, with a clear error
otherwise, and a row dated outside that range anyway (written before the check or by a bulk
update) cannot make any page, feed, calendar, sitemap, search or admin page fail, whatever
the site's time zone."""

import datetime
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.urls import reverse

from blog.models import Post
from publishing import dates
from talks.calendar import calendar_response
from talks.models import Talk
from talks.stats import TalkCounts, YearHistogram
from tests.factories import PersonFactory, PostFactory, TalkFactory
from tests.publishing.builders import (
    GOOD_TALK_SLUG,
    assert_only_the_bad_file_failed,
    field_errors,
    line_of,
    mainmatter_post_text,
    post_bundle_text,
    post_change_form,
    post_form,
    talk_form,
    talk_text,
    write_file,
    write_good_talk,
)

pytestmark = pytest.mark.django_db


UTC = datetime.UTC
OUTSIDE = f"is outside the dates the site accepts ({dates.FIRST_DAY} to {dates.LAST_DAY}, UTC)"
YEAR_ONE = datetime.datetime(1, 1, 1, tzinfo=UTC)
LAST_MOMENT = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# Where year 1 begins before UTC does, and year 9999 ends after it: local time overflows.
FAR_TIME_ZONES = ["UTC", "Pacific/Kiritimati", "America/Adak"]

TALK = "speaking/2024-03-01_streams-without-tears.md"
POST_BUNDLE = "posts/2020-05-04_reading-a-png-header/index.md"


# --- Import -------------------------------------------------------------------------------


def refused(case_id, relpath, text, fragment, key):
    line = line_of(text, key) if key else None
    return pytest.param(relpath, text, fragment, line, id=case_id)


REFUSED = [
    refused(
        "year-one",
        TALK,
        talk_text(date="0001-01-01T00:00:00Z"),
        f"date: 0001-01-01T00:00:00+00:00 {OUTSIDE}",
        "date",
    ),
    refused(
        "last-day-python-knows",
        TALK,
        talk_text(date="9999-12-31"),
        f"date: 9999-12-31 {OUTSIDE}",
        "date",
    ),
    refused(
        "day-before-the-range",
        TALK,
        talk_text(date="1899-12-31T23:59:59Z"),
        f"date: 1899-12-31T23:59:59+00:00 {OUTSIDE}",
        "date",
    ),
    refused(
        "day-after-the-range",
        TALK,
        talk_text(date="2201-01-01"),
        f"date: 2201-01-01 {OUTSIDE}",
        "date",
    ),
    refused(
        "quoted-text-date",
        TALK,
        talk_text(date="'0001-01-01 00:00'"),
        f"date: '0001-01-01 00:00' {OUTSIDE}",
        "date",
    ),
    refused(
        "updated",
        POST_BUNDLE,
        post_bundle_text(
            updated="9999-12-31T23:59:59.000Z", header_img="null", fb_img="null", tw_img="null"
        ),
        f"updated: 9999-12-31T23:59:59+00:00 {OUTSIDE}",
        "updated",
    ),
    refused(
        "mainmatter-file-name",
        "posts/0001-01-01-why-we-pin-our-toolchains.md",
        mainmatter_post_text(),
        f"file name: '0001-01-01' {OUTSIDE}",
        None,
    ),
    refused(
        "folder-name-without-date-key",
        "speaking/9999-12-31_streams-without-tears.md",
        talk_text(date=None),
        f"file name: '9999-12-31' {OUTSIDE}",
        None,
    ),
]


@pytest.mark.parametrize(("relpath", "text", "fragment", "line"), REFUSED)
def test_import_refuses_a_date_outside_the_range_with_one_line_naming_the_key(
    site, media_root, run_import, relpath, text, fragment, line
):
    write_good_talk(site)
    write_file(site, relpath, text)

    report = run_import(site)

    assert_only_the_bad_file_failed(report, relpath, fragment, line, media_root)


@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31T23:59:59Z"])
def test_import_accepts_the_first_and_last_day_of_the_range(site, run_import, day):
    write_file(site, TALK, talk_text(date=day))

    report = run_import(site)

    assert (report.created, report.failed) == (1, 0), report.errors
    assert dates.in_range(Talk.objects.get().date)


# --- Admin --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "day"),
    [
        ("date", "0001-01-01"),
        ("date", "9999-12-31"),
        ("date", "1899-12-30"),
        ("date", "2201-01-02"),
        ("updated", "9999-12-31"),
        ("updated", "0001-01-01"),
    ],
)
def test_post_form_refuses_a_date_outside_the_range_on_the_field(editor_client, field, day):
    data = post_form(**{f"{field}_0": day, f"{field}_1": "23:59:59"})

    response = editor_client.post(reverse("admin:blog_post_add"), data)

    assert field_errors(response, field) == [dates.OUT_OF_RANGE]
    assert not Post.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_talk_form_refuses_a_date_outside_the_range_on_the_field(editor_client, day):
    response = editor_client.post(reverse("admin:talks_talk_add"), talk_form(date_0=day))

    assert field_errors(response, "date") == [dates.OUT_OF_RANGE]
    assert not Talk.objects.exists()


@pytest.mark.parametrize(
    ("day", "time"),
    [("1900-01-01", "00:00:00"), ("2200-12-31", "23:59:59")],
    ids=["first", "last"],
)
def test_post_form_accepts_the_first_and_last_moment_of_the_range(editor_client, day, time):
    data = post_form(date_0=day, date_1=time, updated_0=day, updated_1=time)

    response = editor_client.post(reverse("admin:blog_post_add"), data)

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.date == post.updated == datetime.datetime.fromisoformat(f"{day}T{time}+00:00")


# --- Rows already outside the range ---------------------------------------------------------


@pytest.fixture
def dated_outside(now):
    """A published post, a published talk and their author, plus a good post and talk; the
    first two then get a date no check would let through, as a bulk update could write."""

    def make(moment: datetime.datetime) -> tuple[Post, Talk]:
        author = PersonFactory(name="Ada Example", slug="ada-example")
        post = PostFactory(title="Outlier post", slug="outlier-post", author=author, tags=["t"])
        talk = TalkFactory(title="Outlier talk", slug="outlier-talk", author=author, tags=["t"])
        PostFactory(title="Good post", slug="good-post", tags=["t"])
        TalkFactory(title="Good talk", slug=GOOD_TALK_SLUG, tags=["t"])
        Post.objects.filter(pk=post.pk).update(date=moment, updated=moment)
        Talk.objects.filter(pk=talk.pk).update(date=moment)
        return Post.objects.get(pk=post.pk), Talk.objects.get(pk=talk.pk)

    return make


PUBLIC_URLS = [
    "/",
    "/blog/",
    "/blog/feed/",
    "/blog/atom/",
    "/blog/tags/t/",
    "/blog/tags/t/feed/",
    "/blog/2024/",
    "/speaking/",
    "/speaking/feed/",
    "/speaking/talks.ics",
    "/speaking/talks-all.ics",
    "/speaking/outlier-talk/",
    "/speaking/outlier-talk.ics",
    "/people/",
    "/people/ada-example/",
    "/sitemap.xml",
    "/sitemap-posts.xml",
    "/sitemap-talks.xml",
    "/sitemap-people.xml",
    "/search/?q=outlier",
    "/search/?q=good",
]


@pytest.mark.parametrize("time_zone", FAR_TIME_ZONES)
@pytest.mark.parametrize("moment", [YEAR_ONE, LAST_MOMENT], ids=["year-1", "year-9999"])
def test_row_dated_outside_the_range_breaks_no_public_page_and_stays_hidden(
    client, settings, dated_outside, time_zone, moment
):
    settings.TIME_ZONE = time_zone
    post, talk = dated_outside(moment)

    for url in [*PUBLIC_URLS, post.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        if response.status_code == 200:
            content = response.content.decode()
            assert "Outlier" not in content, url
            assert "outlier-post" not in content and "outlier-talk" not in content, url
    for url, good in [
        ("/blog/", "Good post"),
        ("/blog/feed/", "Good post"),
        ("/speaking/", "Good talk"),
        ("/speaking/talks.ics", "Good talk"),
    ]:
        assert good in client.get(url).content.decode(), url
    assert client.get("/speaking/outlier-talk/").status_code == 404
    assert client.get(post.get_absolute_url()).status_code == 404
    assert not Post.objects.published().filter(pk=post.pk).exists()
    assert not Talk.objects.published().filter(pk=talk.pk).exists()


@pytest.mark.parametrize("time_zone", FAR_TIME_ZONES)
def test_post_with_an_update_date_outside_the_range_is_hidden(client, settings, now, time_zone):
    settings.TIME_ZONE = time_zone
    post = PostFactory(title="Updated in the year 9999")
    Post.objects.filter(pk=post.pk).update(updated=LAST_MOMENT)

    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Updated in the year 9999" not in client.get("/blog/feed/").content.decode()


@pytest.mark.parametrize("time_zone", FAR_TIME_ZONES)
@pytest.mark.parametrize("moment", [YEAR_ONE, LAST_MOMENT], ids=["year-1", "year-9999"])
def test_row_dated_outside_the_range_opens_in_the_admin_to_be_fixed(
    admin_client, settings, dated_outside, time_zone, moment
):
    settings.TIME_ZONE = time_zone
    post, talk = dated_outside(moment)

    for url in [
        reverse("admin:blog_post_changelist"),
        reverse("admin:talks_talk_changelist"),
        reverse("admin:blog_post_changelist") + "?year=2024",
        reverse("admin:talks_talk_changelist") + "?when=past",
        reverse("admin:blog_post_change", args=[post.pk]),
        reverse("admin:talks_talk_change", args=[talk.pk]),
        reverse("admin:people_person_changelist"),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    changelist = admin_client.get(reverse("admin:blog_post_changelist")).content.decode()
    stored = moment.isoformat(sep=" ", timespec="minutes").removesuffix("+00:00")
    assert f"{stored} UTC: outside the accepted dates" in changelist
    change_form = admin_client.get(reverse("admin:blog_post_change", args=[post.pk]))
    [shown] = re.findall(r'name="date_0" value="([^"]*)"', change_form.content.decode())
    # As stored, in UTC (the year as strftime writes it).
    assert shown in {f"{moment.year}-{moment:%m-%d}", f"{moment.year:04d}-{moment:%m-%d}"}


@pytest.mark.parametrize("time_zone", FAR_TIME_ZONES)
def test_saving_a_row_dated_outside_the_range_asks_for_a_date_in_it(
    admin_client, settings, dated_outside, time_zone
):
    settings.TIME_ZONE = time_zone
    post, _ = dated_outside(LAST_MOMENT)
    url = reverse("admin:blog_post_change", args=[post.pk])
    data = post_change_form(post, date_0="9999-12-31", date_1="23:59:59")

    response = admin_client.post(url, data)
    assert field_errors(response, "date") == [dates.OUT_OF_RANGE]

    fixed = admin_client.post(
        url, {**data, "date_0": "2024-01-02", "updated_0": "2024-01-03", "updated_1": "09:00:00"}
    )
    assert fixed.status_code == 302
    post.refresh_from_db()
    assert post.is_published
    assert Post.objects.published().filter(pk=post.pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/blog/9999/12/31/anything/",
        "/blog/0001/01/01/anything/",
        "/blog/0000/",
        "/blog/9999/",
        "/blog/99999999999999999999/",
        "/blog/1899/",
        "/blog/2201/01/01/anything/",
    ],
)
def test_blog_addresses_with_a_year_outside_the_range_are_not_found(client, path):
    assert client.get(path).status_code == 404


# --- Code that adds to dates ----------------------------------------------------------------


def test_calendar_leaves_out_a_talk_it_is_given_dated_outside_the_range(rf):
    outlier = TalkFactory.build(title="Outlier", slug="outlier", date=LAST_MOMENT)
    last = TalkFactory.build(
        title="Last evening", slug="last", date=datetime.datetime(2200, 12, 31, 23, 30, tzinfo=UTC)
    )

    content = calendar_response([outlier, last], "talks").content.decode()

    assert content.count("BEGIN:VEVENT") == 1
    assert "Outlier" not in content
    assert "DTEND:22010101T003000Z" in content


def histogram_years(*years: int) -> list[int]:
    counts = TalkCounts(past=Counter(years), upcoming=Counter(), cities=Counter())
    return [bar.year for bar in YearHistogram.of(counts).bars]


def test_histogram_draws_a_far_year_as_one_more_bar_not_one_per_year_between(now):
    assert histogram_years(1900, 2021, 2023, 2200) == [1900, 2021, 2022, 2023, 2200]


def test_histogram_keeps_short_breaks_as_empty_years(now):
    assert histogram_years(2010, 2016) == list(range(2010, 2017))
    assert histogram_years(2010, 2017) == [2010, 2017]


def test_speaking_page_with_talks_at_both_ends_of_the_range_stays_small(client, now):
    for year in (1900, 2200):
        TalkFactory(date=datetime.datetime(year, 1, 1, 12, tzinfo=UTC))
    TalkFactory()

    content = client.get("/speaking/").content.decode()

    [svg] = re.findall(r'<svg class="chart histogram".*?</svg>', content, re.S)
    years = [group.get("data-year") for group in ET.fromstring(svg).iter()
             if group.get("class") == "year-bars"]  # fmt: skip
    assert years == ["1900", "2024", "2200"]
    assert len(content) < 100_000
