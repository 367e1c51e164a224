"""An old address redirects only to what the public may see: a redirect to a draft or a
scheduled item answers 404, as the item's own address does, until the item is public (with
no job to run), and tells nothing of the item's date or slug meanwhile."""

import datetime

import pytest
from django.conf import settings
from django.contrib.redirects.models import Redirect

from blog.models import Post
from tests.factories import PersonFactory, PostFactory, TalkFactory

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=3)


def redirect(old_path: str, new_path: str) -> Redirect:
    return Redirect.objects.create(site_id=settings.SITE_ID, old_path=old_path, new_path=new_path)


def assert_hidden(response, item) -> None:
    assert response.status_code == 404
    assert not response.has_header("Location")
    assert item.get_absolute_url() not in response.content.decode()


def test_redirect_to_a_draft_post_is_not_found(client):
    post = PostFactory(slug="secret-plans", status="draft")
    redirect("/secret-plans/", post.get_absolute_url())

    assert_hidden(client.get("/secret-plans/"), post)


def test_redirect_to_a_scheduled_post_answers_once_its_date_comes(client, now, time_machine):
    post = PostFactory(slug="big-launch", date=now + LATER)
    redirect("/big-launch/", post.get_absolute_url())
    assert_hidden(client.get("/big-launch/"), post)

    time_machine.shift(LATER + datetime.timedelta(seconds=1))

    response = client.get("/big-launch/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_redirect_to_a_public_post_answers(client):
    post = PostFactory(slug="out-there")
    redirect("/out-there/", post.get_absolute_url())

    response = client.get("/out-there/")

    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_redirect_to_a_draft_talk_is_not_found_and_to_an_upcoming_talk_answers(client, now):
    draft = TalkFactory(slug="unannounced", status="draft")
    upcoming = TalkFactory(slug="announced", date=now + LATER)
    redirect("/talks/unannounced/", draft.get_absolute_url())
    redirect("/talks/announced/", upcoming.get_absolute_url())

    assert_hidden(client.get("/talks/unannounced/"), draft)
    assert client.get("/talks/announced/")["Location"] == "/speaking/announced/"


def test_redirect_to_a_person_of_no_public_item_is_not_found(client):
    person = PersonFactory(slug="sam-secret")
    PostFactory(author=person, status="draft")
    redirect("/authors/sam/", person.get_absolute_url())

    assert_hidden(client.get("/authors/sam/"), person)


def test_redirect_to_a_draft_is_not_found_for_editors_either(editor_client):
    # Editors open drafts at their own address; an old address answers as it does for
    # visitors, so a permanent redirect is never handed out early.
    post = PostFactory(slug="secret-plans", status="draft")
    redirect("/secret-plans/", post.get_absolute_url())

    assert editor_client.get("/secret-plans/").status_code == 404
    assert editor_client.get(post.get_absolute_url()).status_code == 200


def test_redirect_with_a_stale_date_in_its_target_is_not_found(client):
    post = PostFactory(slug="moved", date=datetime.datetime(2020, 5, 4, 9, tzinfo=datetime.UTC))
    redirect("/moved/", "/blog/2019/01/01/moved/")

    assert_hidden(client.get("/moved/"), post)


@pytest.mark.parametrize(
    "target",
    [
        "/speaking/",  # a page that is not one item
        "/no/such/page/",  # not ours to judge: as django.contrib.redirects does
        "https://elsewhere.example/post/",  # another site
    ],
)
def test_redirects_to_other_targets_answer_as_before(client, target):
    redirect("/old/", target)

    response = client.get("/old/")

    assert response.status_code == 301
    assert response["Location"] == target


def test_redirect_to_a_draft_given_as_a_full_url_of_this_site_is_not_found(client):
    post = PostFactory(slug="secret-plans", status="draft")
    redirect("/secret-plans/", f"http://testserver{post.get_absolute_url()}")

    assert_hidden(client.get("/secret-plans/"), post)


def test_gone_address_still_answers_410(client):
    redirect("/removed/", "")
    assert client.get("/removed/").status_code == 410


def test_imported_draft_gets_a_redirect_that_answers_once_published(tmp_path, run_import, client):
    site = tmp_path / "site"
    bundle = site / "posts/2019-03-05_streams-post"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text(
        "---\nuuid: 6d1c4a3e-2b7f-4f0e-9c1a-0e5b6a7c8d9e\nlayout: post\ntitle: Streams\n"
        "slug: streams-post\ndate: 2019-03-05T10:00:00.000Z\nstatus: draft\n---\n\nHello.\n"
    )
    (site / "posts/2019-03-06_public-post").mkdir()
    (site / "posts/2019-03-06_public-post/index.md").write_text(
        "---\nuuid: 0b9f5a6e-1c2d-4e3f-8a7b-6c5d4e3f2a1b\nlayout: post\ntitle: Public\n"
        "slug: public-post\ndate: 2019-03-06T10:00:00.000Z\n---\n\nHello.\n"
    )

    report = run_import(site)

    assert report.errors == []
    assert Redirect.objects.filter(old_path="/streams-post/").exists()
    response = client.get("/streams-post/")
    assert response.status_code == 404
    assert "2019/03/05" not in response.content.decode()
    assert client.get("/public-post/")["Location"] == "/blog/2019/03/06/public-post/"

    Post.objects.filter(slug="streams-post").update(status="published")
    assert client.get("/streams-post/")["Location"] == "/blog/2019/03/05/streams-post/"
