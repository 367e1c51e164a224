"""Rendering cost is bounded: Markdown over the pipeline's limits is refused before the
expensive work, with one line saying what is too large, in the admin preview (400), in
admin forms (an error on the field) and at import (`path:line: body: ...`). Times are
measured by bench/hostile_rendering.py, not here."""

from pathlib import Path

import pytest
from django.urls import reverse

from frontmatter.sourcefiles import split_source
from people.models import Person
from publishing.markdown import (
    MAX_BRACKETS,
    MAX_FOOTNOTES,
    MAX_HTML_DEPTH,
    MAX_MARKDOWN_CHARS,
    MAX_MARKDOWN_LINES,
    MAX_TABLE_CELLS,
    MarkdownTooComplex,
    check_markdown,
    render_document,
    render_markdown,
)
from talks.models import Talk
from tests.factories import PersonFactory, PostFactory
from tests.publishing.builders import (
    assert_only_the_bad_file_failed,
    dense_list,
    field_errors,
    long_paragraph,
    many_footnotes,
    nested_blockquotes,
    nested_divs,
    nested_lists,
    open_brackets,
    person_form,
    post_change_form,
    repeated_headings,
    short_rows_table,
    talk_form,
    talk_text,
    unclosed_divs,
    wide_table,
    write_file,
    write_good_talk,
)

INTRO = "A fine opening paragraph.\n\n"  # the hostile part starts on line 3

REFUSED = [
    pytest.param(
        "a" * (MAX_MARKDOWN_CHARS + 1),
        "the text is 50,001 characters long; at most 50,000 can be rendered",
        None,
        id="too-long",
    ),
    pytest.param(
        nested_divs(200_000),
        "the text is 2,200,004 characters long; at most 50,000 can be rendered",
        None,
        id="200000-nested-divs",
    ),
    pytest.param(
        "line\n" * (MAX_MARKDOWN_LINES + 1),
        "the text has 6,001 lines; at most 6,000 can be rendered",
        None,
        id="too-many-lines",
    ),
    pytest.param(
        INTRO + nested_divs(MAX_HTML_DEPTH + 1),
        "HTML nested more than 100 elements deep",
        3,
        id="nested-divs",
    ),
    pytest.param(
        INTRO + unclosed_divs(MAX_HTML_DEPTH + 1),
        "HTML nested more than 100 elements deep",
        3 + 2 * MAX_HTML_DEPTH,
        id="unclosed-divs",
    ),
    pytest.param(
        INTRO + "<section><aside><p>" * 40 + "deep",
        "HTML nested more than 100 elements deep",
        3,
        id="nested-mixed-tags",
    ),
    pytest.param(
        INTRO + wide_table(80, 70),
        "the tables would have more than 5,000 cells in all",
        3,
        id="wide-table",
    ),
    pytest.param(
        INTRO + short_rows_table(2_000, 30),
        "the tables would have more than 5,000 cells in all",
        3,
        id="rows-completed-to-the-header",
    ),
    pytest.param(
        INTRO + "> " + short_rows_table(200, 30).replace("\n", "\n> "),
        "the tables would have more than 5,000 cells in all",
        3,
        id="table-in-a-blockquote",
    ),
    pytest.param(
        many_footnotes(MAX_FOOTNOTES + 1),
        "more than 500 footnotes",
        MAX_FOOTNOTES + 3 + 2 * MAX_FOOTNOTES,  # the 501st definition
        id="many-footnotes",
    ),
    pytest.param(
        INTRO + open_brackets(20_000),
        'more than 2,000 "[" outside code (links, images, footnotes)',
        3,
        id="open-brackets",
    ),
    pytest.param(
        "\n\n".join([open_brackets(MAX_BRACKETS // 4)] * 5),
        'more than 2,000 "[" outside code (links, images, footnotes)',
        13,  # the fifth paragraph
        id="brackets-in-many-paragraphs",
    ),
]


@pytest.mark.parametrize(("source", "message", "line"), REFUSED)
def test_markdown_over_a_limit_is_refused_with_what_and_where(source, message, line):
    for render in (render_document, check_markdown):
        with pytest.raises(MarkdownTooComplex) as refused:
            render(source)
        assert message in refused.value.message
        assert refused.value.line == line
        assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(long_paragraph(MAX_MARKDOWN_CHARS - 1), id="longest-text"),
        pytest.param("line\n\n" * (MAX_MARKDOWN_LINES // 2), id="most-lines"),
        pytest.param(nested_divs(MAX_HTML_DEPTH), id="deepest-html"),
        pytest.param(wide_table(50, MAX_TABLE_CELLS // 50 - 1), id="largest-table"),
        pytest.param(many_footnotes(MAX_FOOTNOTES), id="most-footnotes"),
        pytest.param("\n\n".join(["[link](/x) " * (MAX_BRACKETS // 4)] * 4), id="most-brackets"),
        pytest.param("```\n" + "[" * 40_000 + "\n```\n", id="brackets-in-code"),
        pytest.param("```\n" + "code " * 9_000 + "\n```\n", id="long-code-block"),
        pytest.param("```html\n" + "<div>" * 500 + "\n```\n", id="html-shown-as-code"),
        pytest.param("`" + "<div>" * 500 + "`\n", id="html-in-inline-code"),
    ],
)
def test_markdown_at_the_limits_renders(source):
    check_markdown(source)
    assert render_document(source).html


def test_markdown_nesting_stops_at_markdown_its_own_limit():
    # markdown-it nests blocks 20 deep at most, then reads the rest as text: bounded work.
    assert render_markdown(nested_blockquotes(10_000)).count("<blockquote>") <= 20
    assert render_markdown(nested_lists(10_000)).count("<ul>") <= 20
    assert render_markdown(dense_list(2_000)).count("<li>") == 2_000


def test_repeated_headings_are_numbered_without_searching_from_one_each_time():
    html = render_markdown(repeated_headings(1_400) + "## Setup-1399\n")
    ids = [f' id="setup-{number}"' for number in range(1, 1_400)]
    assert ' id="setup"' in html
    assert all(heading_id in html for heading_id in ids)
    assert ' id="setup-1399-1"' in html  # a title that is a generated id gets the next


def test_every_real_body_is_within_the_limits(corpus):
    demo = Path(__file__).resolve().parents[2] / "demo"
    files = [*corpus.rglob("*.md"), *demo.rglob("*.md")]
    assert len(files) > 100
    for path in files:
        text = path.read_text()
        body = split_source(text, path.name)[2] if text.startswith("---") else text
        check_markdown(body)


# --- The admin preview ------------------------------------------------------------------------

PREVIEW_URL = "/admin/markdown-preview/"


@pytest.mark.django_db
def test_preview_of_markdown_over_a_limit_is_a_400_with_the_reason(admin_client):
    response = admin_client.post(PREVIEW_URL, {"source": nested_divs(200_000)})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "This text cannot be previewed: the text is 2,200,004 characters long; at most 50,000 "
        "can be rendered."
    )


@pytest.mark.django_db
def test_preview_names_the_line_of_deep_html(admin_client):
    response = admin_client.post(PREVIEW_URL, {"source": INTRO + nested_divs(500)})

    assert response.status_code == 400
    assert response.content.decode() == (
        "This text cannot be previewed: line 3: HTML nested more than 100 elements deep."
    )


@pytest.mark.django_db
def test_preview_still_renders_text_within_the_limits(admin_client):
    response = admin_client.post(PREVIEW_URL, {"source": INTRO + nested_divs(50)})
    assert response.status_code == 200
    assert response.content.decode().count("<div>") == 50


# --- Admin forms ------------------------------------------------------------------------------

DEEP = INTRO + nested_divs(MAX_HTML_DEPTH + 1)
DEEP_ERROR = "Line 3: HTML nested more than 100 elements deep."


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["body", "tagline"])
def test_post_form_refuses_markdown_over_a_limit_on_the_field(editor_client, field):
    post = PostFactory(body="Old text.")
    url = reverse("admin:blog_post_change", args=[post.pk])

    response = editor_client.post(url, post_change_form(post, **{field: DEEP}))

    assert field_errors(response, field) == [DEEP_ERROR]
    post.refresh_from_db()
    assert post.body == "Old text."
    assert "<div>" not in post.body_html + post.tagline_html


@pytest.mark.django_db
def test_talk_form_refuses_markdown_over_a_limit_on_the_field(editor_client):
    response = editor_client.post(reverse("admin:talks_talk_add"), talk_form(body=DEEP))

    assert field_errors(response, "body") == [DEEP_ERROR]
    assert not Talk.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["bio", "long_bio", "body"])
def test_person_form_refuses_markdown_over_a_limit_on_the_field(editor_client, field):
    response = editor_client.post(
        reverse("admin:people_person_add"), person_form(**{field: "a" * 60_000})
    )

    assert field_errors(response, field) == [
        "The text is 60,000 characters long; at most 50,000 can be rendered."
    ]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_forms_accept_markdown_within_the_limits(editor_client):
    response = editor_client.post(
        reverse("admin:people_person_add"), person_form(body=nested_divs(50))
    )
    assert response.status_code == 302
    assert Person.objects.get().body_html.count("<div>") == 50


# --- Import -----------------------------------------------------------------------------------

TALK = "speaking/2024-03-01_streams-without-tears.md"


def line_containing(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if fragment in line)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "fragment", "marker"),
    [
        pytest.param(
            DEEP, "body: HTML nested more than 100 elements deep", "<div><div>", id="deep"
        ),
        pytest.param(
            INTRO + wide_table(80, 70),
            "body: the tables would have more than 5,000 cells in all",
            "|h|h|",
            id="table",
        ),
        pytest.param(
            INTRO + many_footnotes(MAX_FOOTNOTES + 1),
            "body: more than 500 footnotes",
            f"[^{MAX_FOOTNOTES}]: ",
            id="footnotes",
        ),
    ],
)
def test_import_refuses_a_body_over_a_limit_with_its_file_line(
    tmp_path, media_root, run_import, body, fragment, marker
):
    site = tmp_path / "site"
    write_good_talk(site)
    text = talk_text(body=body)
    write_file(site, TALK, text)

    report = run_import(site)

    assert_only_the_bad_file_failed(
        report, TALK, fragment, line_containing(text, marker), media_root
    )


@pytest.mark.django_db
def test_import_refuses_a_body_too_long_to_render(tmp_path, media_root, run_import):
    site = tmp_path / "site"
    write_good_talk(site)
    write_file(site, TALK, talk_text(body="word " * 12_000))

    report = run_import(site)

    assert_only_the_bad_file_failed(
        report,
        TALK,
        # The body starts with the blank line under the front matter.
        "body: the text is 60,001 characters long; at most 50,000 can be rendered",
        None,
        media_root,
    )


@pytest.mark.django_db
def test_import_refuses_a_profile_whose_page_text_is_over_a_limit(
    tmp_path, media_root, run_import
):
    site = tmp_path / "site"
    write_good_talk(site)
    text = '---\nname: "Jane Example"\ntitle: Engineer\n---\n\n' + DEEP
    write_file(site, "authors/jane.md", text)

    report = run_import(site)

    assert_only_the_bad_file_failed(
        report,
        "authors/jane.md",
        "body: HTML nested more than 100 elements deep",
        line_containing(text, "<div><div>"),
        media_root,
    )


@pytest.mark.django_db
def test_import_refuses_a_markdown_front_matter_field_over_a_limit(
    tmp_path, media_root, run_import
):
    site = tmp_path / "site"
    write_good_talk(site)
    write_file(
        site, "authors/jane.md", f'---\nname: "Jane Example"\nlongBio: "{"a" * 60_000}"\n---\n'
    )

    report = run_import(site)

    assert_only_the_bad_file_failed(
        report,
        "authors/jane.md",
        "Markdown too complex: the text is 60,000 characters long",
        None,
        media_root,
    )


@pytest.mark.django_db
def test_stored_person_text_within_the_limits_is_rendered():
    person = PersonFactory(long_bio=nested_divs(MAX_HTML_DEPTH))
    assert person.long_bio_html.count("<div>") == MAX_HTML_DEPTH
