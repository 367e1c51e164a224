"""The admin as editors use it: pages open, permissions hold, actions and inlines work."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Post
from talks.models import Talk
from tests.factories import PersonFactory, PostCoAuthorFactory, PostFactory, TalkFactory
from tests.publishing.builders import management_form, post_change_form, talk_form

pytestmark = pytest.mark.django_db

FACTORIES = {"blog_post": PostFactory, "talks_talk": TalkFactory, "people_person": PersonFactory}
MODELS = list(FACTORIES)


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request):
    """A client logged in as a superuser, then as an Editors user."""
    return request.getfixturevalue(
        "admin_client" if request.param == "superuser" else "editor_client"
    )


# --- Pages open -----------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens(staff_client, model):
    FACTORIES[model]()
    assert staff_client.get(reverse(f"admin:{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_add_form_opens(staff_client, model):
    assert staff_client.get(reverse(f"admin:{model}_add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_form_opens(staff_client, model):
    obj = FACTORIES[model]()
    assert staff_client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("blog_post", "status__exact=draft"),
        ("blog_post", "year=2024"),
        ("blog_post", "q=streams"),
        ("talks_talk", "status__exact=published"),
        ("talks_talk", "year=2024"),
        ("talks_talk", "when=upcoming"),
        ("talks_talk", "when=past"),
        ("talks_talk", "is_workshop__exact=1"),
        ("talks_talk", "when=upcoming&is_workshop__exact=0&status__exact=published"),
        ("people_person", "q=ada"),
    ],
)
def test_filtered_changelist_opens(staff_client, now, model, query):
    FACTORIES[model]()
    response = staff_client.get(reverse(f"admin:{model}_changelist") + "?" + query)
    assert response.status_code == 200
    # An unknown filter makes the admin redirect with ?e=1 instead of filtering.
    assert "e=1" not in response.get("Location", "")


def test_talk_changelist_filters_upcoming_talks(admin_client, now):
    TalkFactory(title="Past talk")
    TalkFactory(title="Future talk", date=now.replace(year=2025))
    response = admin_client.get(reverse("admin:talks_talk_changelist") + "?when=upcoming")
    assert list(response.context["cl"].result_list.values_list("title", flat=True)) == [
        "Future talk"
    ]


def test_post_changelist_query_count_does_not_grow_with_posts(admin_client):
    url = reverse("admin:blog_post_changelist")

    def queries_for_changelist() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(url).status_code == 200
        return len(context)

    for _ in range(3):
        PostFactory(tags=["python", "django"])
    with_3 = queries_for_changelist()
    for _ in range(12):
        PostFactory(tags=["python", "node"])
    with_15 = queries_for_changelist()
    assert with_3 == with_15


# --- Editors' permissions -------------------------------------------------------------


def test_editors_group_may_add_change_and_view_content_but_delete_nothing_but_credits():
    permissions = set(
        Group.objects.get(name="Editors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    for app_label, model in [
        ("blog", "post"),
        ("talks", "talk"),
        ("people", "person"),
        ("taggit", "tag"),
    ]:
        for action in ("add", "change", "view"):
            assert (app_label, f"{action}_{model}") in permissions
        assert (app_label, f"delete_{model}") not in permissions
    # Removing a guest or co-author from an item is editing the item, not deleting content.
    deletable = {codename for _, codename in permissions if codename.startswith("delete_")}
    assert deletable == {"delete_talkguest", "delete_postcoauthor"}


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_editor_cannot_manage_users_or_groups(editor_client, url):
    assert editor_client.get(url).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_editor_cannot_open_the_delete_page(editor_client, model):
    obj = FACTORIES[model]()
    response = editor_client.get(reverse(f"admin:{model}_delete", args=[obj.pk]))
    assert response.status_code == 403


def test_editor_cannot_delete_a_post(editor_client):
    post = PostFactory()
    response = editor_client.post(
        reverse("admin:blog_post_delete", args=[post.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()


def test_editor_is_not_offered_the_delete_action(editor_client):
    PostFactory()
    content = editor_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert 'value="publish"' in content
    assert 'value="delete_selected"' not in content


def test_editor_cannot_run_the_delete_action(editor_client):
    post = PostFactory()
    editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "delete_selected", "_selected_action": [post.pk], "post": "yes"},
    )
    assert Post.objects.filter(pk=post.pk).exists()


def test_superuser_is_offered_the_delete_action(admin_client):
    PostFactory()
    content = admin_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert 'value="delete_selected"' in content


# --- Actions --------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["blog_post", "talks_talk"])
def test_publish_action_publishes_the_selected_items(staff_client, model):
    factory = FACTORIES[model]
    chosen = [factory(status="draft"), factory(status="draft")]
    other = factory(status="draft")
    response = staff_client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": "publish", "_selected_action": [obj.pk for obj in chosen]},
    )
    assert response.status_code == 302
    for obj in chosen:
        obj.refresh_from_db()
        assert obj.status == "published"
    other.refresh_from_db()
    assert other.status == "draft"


@pytest.mark.parametrize("model", ["blog_post", "talks_talk"])
def test_unpublish_action_turns_the_selected_items_back_to_drafts(staff_client, model):
    obj = FACTORIES[model](status="published")
    response = staff_client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": "unpublish", "_selected_action": [obj.pk]},
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == "draft"


# --- Inline guests --------------------------------------------------------------------


def test_editor_creates_a_talk_with_guests_in_order(editor_client):
    add_url = reverse("admin:talks_talk_add")
    form_page = editor_client.get(add_url).content.decode()
    prefix = re.search(r'name="([\w-]+)-TOTAL_FORMS"', form_page).group(1)
    assert prefix == "guest_credits"
    cleo, ada = PersonFactory(name="Cleo"), PersonFactory(name="Ada")
    data = talk_form(
        title="Streams with friends",
        slug="streams-with-friends",
        body="We talk about *streams*.",
        event_name="NodeConf",
        **management_form(prefix, total=2),
        **{
            f"{prefix}-0-position": "0",
            f"{prefix}-0-person": str(cleo.pk),
            f"{prefix}-1-position": "1",
            f"{prefix}-1-person": str(ada.pk),
            f"{prefix}-1-link": "https://ada.example",
        },
    )
    response = editor_client.post(add_url, data)
    errors = response.context and response.context.get("errors")
    assert response.status_code == 302, errors
    talk = Talk.objects.get(slug="streams-with-friends")
    credits = list(talk.guest_credits.all())
    assert [credit.person for credit in credits] == [cleo, ada]
    assert credits[1].link == "https://ada.example"
    assert "<em>streams</em>" in talk.body_html


def test_editor_edits_a_post_and_its_html_is_rendered_again(editor_client):
    post = PostFactory(body="Old text.", tags=["python"])
    credit = PostCoAuthorFactory(post=post)
    change_url = reverse("admin:blog_post_change", args=[post.pk])
    data = post_change_form(
        post,
        title="New title",
        status="published",
        tags="python, node",
        body="New **text**.",
        **management_form("co_author_credits", total=1, initial=1),
        **{
            "co_author_credits-0-id": str(credit.pk),
            "co_author_credits-0-post": str(post.pk),
            "co_author_credits-0-position": "0",
            "co_author_credits-0-person": str(credit.person.pk),
        },
    )
    response = editor_client.post(change_url, data)
    errors = response.context and response.context.get("errors")
    assert response.status_code == 302, errors
    post.refresh_from_db()
    assert post.title == "New title"
    assert "<strong>text</strong>" in post.body_html
    assert sorted(post.tags.names()) == ["node", "python"]
    assert list(post.co_authors.all()) == [credit.person]


# --- Markdown preview -----------------------------------------------------------------

PREVIEW_URL = "/admin/markdown-preview/"


def test_markdown_preview_renders_sanitized_html_for_staff(staff_client):
    response = staff_client.post(PREVIEW_URL, {"source": "# Hi\n\n<script>x</script>"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert '<h2 id="hi">Hi</h2>' in content
    assert "<script" not in content


def test_markdown_preview_is_at_the_named_url():
    assert reverse("admin_markdown_preview") == PREVIEW_URL


def test_markdown_preview_sends_visitors_to_the_login_page(client):
    response = client.post(PREVIEW_URL, {"source": "# Hi"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert b"<h1" not in response.content


def test_markdown_preview_refuses_get(admin_client):
    assert admin_client.get(PREVIEW_URL, {"source": "# Hi"}).status_code == 405


def test_markdown_preview_refuses_too_long_text(admin_client):
    response = admin_client.post(PREVIEW_URL, {"source": "a" * 1_000_001})
    assert response.status_code == 400


@pytest.mark.parametrize("model", ["blog_post", "talks_talk"])
def test_change_form_loads_the_markdown_preview(staff_client, model):
    obj = FACTORIES[model]()
    content = staff_client.get(reverse(f"admin:{model}_change", args=[obj.pk])).content.decode()
    assert f'id="markdown-preview-config" data-url="{PREVIEW_URL}"' in content
    assert "admin/publishing/markdown-preview.js" in content


@pytest.mark.parametrize("model", ["blog_post", "talks_talk"])
def test_add_form_loads_the_markdown_preview(staff_client, model):
    content = staff_client.get(reverse(f"admin:{model}_add")).content.decode()
    assert 'id="markdown-preview-config"' in content


# --- Links between admin and site -----------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_view_on_site_goes_to_the_public_page_on_the_site_url(admin_client, model):
    obj = FACTORIES[model]()
    content = admin_client.get(reverse(f"admin:{model}_change", args=[obj.pk])).content.decode()
    link = re.search(r'href="([^"]+)" class="viewsitelink"', content).group(1)
    assert link == settings.SITE_URL + obj.get_absolute_url()
    assert admin_client.get(link).status_code == 200


def test_editor_finds_guests_with_the_person_autocomplete(editor_client):
    PersonFactory(name="Ada Lovelace")
    PersonFactory(name="Cleo Patra")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "talks", "model_name": "talkguest", "field_name": "person", "term": "ada"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Ada Lovelace"]


def test_markdown_preview_is_refused_to_staff_who_may_not_edit_content(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(user)
    response = client.post(PREVIEW_URL, {"source": "# Hi"})
    assert response.status_code == 403
