"""Property: any front matter of each dialect survives import and export."""

import datetime
import string
import tempfile
import uuid
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.models import Post
from frontmatter.exporter import ItemWriter, export_items
from frontmatter.formats import get_format
from frontmatter.importer import import_paths
from frontmatter.sourcefiles import parse_front_matter, patch_head, split_source
from people.models import Person
from talks.models import Talk, parse_gps
from tests.publishing.builders import forget_digests, front_matter_and_body

pytestmark = pytest.mark.django_db

# Printable text of the kinds real front matter has (accents, quotes, colons, #, emoji),
# without the control characters YAML cannot hold.
text = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
        exclude_characters="\ufeff\x85",
    ),
    min_size=1,
    max_size=40,
).filter(lambda value: value.strip() == value and value.strip())
slugs = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=3, max_size=30)
moments = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2035, 12, 31)
).map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000))
links = st.sampled_from(["https://a.example/x", "http://b.example", "ttps://typo.example", ""])
gps = st.one_of(
    st.none(),
    st.tuples(
        st.floats(-90, 90, allow_nan=False).map(lambda x: round(x, 6)),
        st.floats(-180, 180, allow_nan=False).map(lambda x: round(x, 6)),
    ).map(lambda pair: f"{pair[0]},{pair[1]}"),
)
guests = st.lists(
    st.builds(
        lambda name, link, image_key: {
            "name": name,
            "link": link,
            image_key: "https://avatars.example/x.png",
        },
        st.text(alphabet=string.ascii_letters + " ", min_size=3, max_size=20).map(str.strip),
        links,
        st.sampled_from(["image", "avatar"]),
    ).filter(lambda guest: len(guest["name"]) >= 3),
    max_size=3,
    unique_by=lambda guest: guest["name"].lower().replace(" ", ""),
)
extras = st.dictionaries(
    st.sampled_from(["bluesky_url", "customCta", "autoOg", "draft_note", "series"]),
    st.one_of(text, st.booleans(), st.integers(0, 100), st.lists(text, max_size=2)),
    max_size=2,
)
tags = st.lists(
    st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=10),
    max_size=3,
    unique=True,
)


@st.composite
def loige_2025_talks(draw):
    data = {
        "title": draw(text),
        "slug": draw(slugs),
        "date": draw(moments).replace(tzinfo=datetime.UTC),
        "status": draw(st.sampled_from(["published", "draft"])),
        "language": draw(st.sampled_from(["en_US", "it_IT"])),
        "event_name": draw(text),
        "event_link": draw(links) or None,
        "event_location": draw(st.one_of(st.none(), text)),
        "event_location_gps": draw(gps),
        "event_city": draw(st.sampled_from(["Dublin, Ireland", "remote", "Rovinj, Croatia"])),
        "event_days": draw(text),
        "is_workshop": draw(st.booleans()),
        "slides_link": draw(links) or None,
        "embed_slides": draw(st.one_of(st.none(), links)),
        "video_link": draw(links) or None,
        "with": draw(guests),
    }
    data.update(draw(extras))
    name = f"speaking/{data['date']:%Y-%m-%d}_{data['slug']}.md"
    return name, data


@st.composite
def loige_2021_posts(draw):
    moment = draw(moments).replace(tzinfo=datetime.UTC)
    data = {
        "uuid": str(draw(st.uuids())),
        "layout": "post",
        "title": draw(text),
        "slug": draw(slugs),
        "subtitle": draw(st.one_of(st.none(), text)),
        "date": moment,
        "updated": moment + datetime.timedelta(days=draw(st.integers(0, 30))),
        "author": "Ada Brennan",
        "author_slug": "ada-brennan",
        "header_img": None,
        "status": "published",
        "language": "en_US",
        "meta_title": draw(st.one_of(st.none(), text)),
        "meta_description": draw(st.one_of(st.none(), text)),
        "tags": draw(tags),
    }
    if draw(st.booleans()):
        data["written_with"] = draw(guests)
    name = f"posts/{moment:%Y-%m-%d}_{data['slug']}/index.md"
    return name, data


@st.composite
def mainmatter_posts(draw):
    data = {
        "title": draw(text),
        "authorHandle": draw(st.sampled_from(["ada_b", "Tomas"])),
        "tags": draw(st.one_of(tags, tags.map(lambda names: names[0] if names else "ember"))),
        "bio": draw(text),
        "description": draw(text),
        "tagline": f"<p>\n  {draw(text)}\n</p>\n",
    }
    data.update(draw(extras))
    day = draw(moments)
    return f"posts/{day:%Y-%m-%d}-{draw(slugs)}.md", data


def source_file(data: dict) -> str:
    front_matter = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=80)
    return f"---\n{front_matter}---\n\nA body with *Markdown*.\n"


def write_site(directory: Path, name: str, data: dict) -> tuple[Path, Path]:
    """A one-file site under `directory`: (the site folder, the file)."""
    site = directory / "site"
    path = site / name
    path.parent.mkdir(parents=True)
    path.write_text(source_file(data), encoding="utf-8")
    return site, path


def clean_database() -> None:
    Talk.objects.all().delete()
    Post.objects.all().delete()
    Person.objects.all().delete()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.one_of(loige_2025_talks(), loige_2021_posts(), mainmatter_posts()))
def test_generated_front_matter_survives_import_and_export(example):
    name, data = example
    clean_database()
    with tempfile.TemporaryDirectory() as directory:
        site, path = write_site(Path(directory), name, data)

        report = import_paths([site])
        assert report.failed == 0, report.errors

        export_items(Path(directory) / "out")
        exported = (Path(directory) / "out" / name).read_bytes()
        assert exported == path.read_bytes()
        # The full export (what an edited item gets) writes the same bytes.
        forget_digests()
        export_items(Path(directory) / "full")
        assert (Path(directory) / "full" / name).read_bytes() == exported

    front_matter, body = front_matter_and_body(exported)
    assert front_matter == data
    assert body == "\nA body with *Markdown*.\n"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.one_of(loige_2025_talks(), loige_2021_posts(), mainmatter_posts()))
def test_rewriting_every_key_of_an_edited_item_keeps_its_values(example):
    """The edited-item path: each key re-encoded from the model reads back as it was."""
    name, data = example
    clean_database()
    with tempfile.TemporaryDirectory() as directory:
        site, _ = write_site(Path(directory), name, data)
        assert import_paths([site]).failed == 0

    forget_digests()  # as if edited: the writer reads the source's front matter
    instance = (Talk if name.startswith("speaking") else Post).objects.get()
    writer = ItemWriter(
        instance,
        "talk" if isinstance(instance, Talk) else "post",
        get_format(instance.source_dialect),
    )
    changes = {
        key: writer.table[key].value.encode(writer, value)
        for key, value in writer.original.items()
        if key in writer.table and key != "layout"
    }
    assert writer.original == data
    head = patch_head(instance.source_front_matter, changes)
    rewritten = parse_front_matter(split_source(head, name)[1], name)

    assert list(rewritten) == list(data)
    for key, value in data.items():
        if key == "tags" and isinstance(value, list):
            assert sorted(rewritten[key]) == sorted(value), key
        elif key == "uuid":
            assert uuid.UUID(rewritten[key]) == uuid.UUID(value)
        elif key == "event_location_gps":
            # Coordinates are numbers: "45.10" may come back as "45.1", -0.0 as 0.0.
            assert parse_gps(rewritten[key]) == parse_gps(value)
        else:
            assert rewritten[key] == value, key
