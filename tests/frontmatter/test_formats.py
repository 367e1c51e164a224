"""The registry of formats and the declarations of their keys: complete, consistent, and
the only place a format is named."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from frontmatter import formats
from frontmatter.formats.base import KINDS
from frontmatter.keys import Written
from publishing.kinds import get_kind
from publishing.models import SOURCE_FORMATS
from tests.publishing.builders import manage_py

RELATIONS = {"tags", "credits"}  # set through taggit and the credit model, not a column


def editable_fields(kind: str) -> set[str]:
    model = get_kind(kind).model
    return {
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key
    }


@pytest.mark.parametrize("kind", KINDS)
def test_every_editable_field_is_some_formats_key_or_said_not_to_be(kind):
    mapped = {name for key in formats.keys_of(kind) for name in key.value.fields}
    left_out = formats.NOT_IN_FRONT_MATTER[kind]
    assert editable_fields(kind) - mapped - set(left_out) == set()
    # and nothing listed as left out is in fact read, or is no field at all
    assert set(left_out) & mapped == set()
    assert set(left_out) <= editable_fields(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_every_key_sets_fields_its_kind_has(kind):
    for key in formats.keys_of(kind):
        assert set(key.value.fields) <= editable_fields(kind) | RELATIONS, key


@pytest.mark.parametrize("format", formats.FORMATS.values(), ids=str)
def test_a_format_declares_each_key_once_and_writes_what_it_reads(format):
    assert format.name and format.label
    for kind, keys in format.keys.items():
        names = [key.name for key in keys]
        assert len(names) == len(set(names)), (format, kind)
        written = [name for name, _ in format.written_keys(kind)]
        assert written == [key.name for key in keys if key.written is not Written.NEVER]
        # one written key per value: a file never gets two keys for one field
        targets = [format.table(kind)[name].target for name in written]
        assert len(targets) == len(set(targets)), (format, kind)


def test_the_registry_orders_name_registered_formats():
    assert set(formats.DETECTION_ORDER) == set(formats.FORMATS)
    assert set(formats.DEFAULT_ORDER) <= set(formats.FORMATS)
    for kind in KINDS:
        assert kind in formats.default_format(kind).kinds


def test_the_source_format_choices_come_from_the_registry_without_a_migration():
    field = get_kind("post").model._meta.get_field("source_dialect")
    assert callable(field.deconstruct()[3]["choices"])
    assert list(field.choices) == [(f.name, f.label) for f in formats.FORMATS.values()]
    assert SOURCE_FORMATS["jekyll"] == "Jekyll"


def test_no_code_outside_the_formats_compares_a_format_name():
    """The engine asks a format; only the registry and the formats know their names."""
    names = set(formats.FORMATS)
    apps = {app.split(".")[0] for app in settings.INSTALLED_APPS} | {"config"}
    found = []
    for path in sorted(Path(settings.BASE_DIR).glob("*/**/*.py")):
        relative = path.relative_to(settings.BASE_DIR)
        if relative.parts[0] not in apps or "migrations" in relative.parts:
            continue
        if relative.parts[:2] == ("frontmatter", "formats"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Compare):
                continue
            for side in [node.left, *node.comparators]:
                if isinstance(side, ast.Constant) and side.value in names:
                    found.append(f"{relative}:{node.lineno} {side.value!r}")
    assert found == []


def test_every_process_knows_the_formats_once_django_is_set_up(tmp_path):
    """The admin shows and validates an item's format in processes that never ran the
    engine: the app registers the formats when it is ready."""
    shown = manage_py(
        tmp_path,
        "shell",
        "-c",
        "from blog.models import Post; "
        "print(dict(Post._meta.get_field('source_dialect').choices)['jekyll'])",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "Jekyll"
