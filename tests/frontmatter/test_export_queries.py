"""Export reads each chunk of items with their tags, credits and attachments in a fixed
number of queries, however many items the chunk holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontmatter.exporter import export_items
from tests.factories import PostCoAuthorFactory, PostFactory, TalkFactory, TalkGuestFactory

pytestmark = pytest.mark.django_db


def add_items(count: int) -> None:
    for _ in range(count):
        post = PostFactory(tags=["python", "django"])
        PostCoAuthorFactory(post=post)
        post.attachments.create(reference="./diagram.png", file="")
        talk = TalkFactory(tags=["streams"])
        TalkGuestFactory(talk=talk)


def queries_to_export(tmp_path, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = export_items(tmp_path / name)
    assert report.ok, report.errors
    return len(captured)


def test_exporting_takes_as_many_queries_for_3_items_of_each_kind_as_for_30(tmp_path):
    add_items(3)
    with_3 = queries_to_export(tmp_path, "three")
    add_items(27)
    with_30 = queries_to_export(tmp_path, "thirty")

    assert with_30 == with_3
    assert with_3 <= 12
