"""Revisions of every content kind (django-reversion): each admin save, each import that
changes an item and each bulk action stores the item as it then was, with its tags and
credits, who made it and why. The admin shows them with a field-by-field diff and restores
one through the item's own change form (publishing.admin.RevisionAdmin).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from reversion.models import Version
from taggit.models import Tag, TaggedItem

# Fields no revision holds.
NOT_KEPT = {"preview_token"}
# Fields a diff leaves out: derived from others (rendered HTML) or bookkeeping.
NOT_COMPARED = {"id", "created_at", "updated_at", "source_fingerprint"}
LONG_TEXT = 200  # a text longer than this is shown as a line diff


def register(model: type[models.Model], follow: Iterable[str] = ()) -> None:
    """Keep revisions of `model`, following its tags and the relations in `follow` (the
    accessors of its credit rows, which must be registered themselves). The admin of each
    kind registers its model (publishing.admin.RevisionAdmin), with its inlines."""
    if not reversion.is_registered(TaggedItem):
        reversion.register(TaggedItem)
    follow = [*follow, *(["tagged_items"] if hasattr(model, "tagged_items") else [])]
    # The HTML rendered from the Markdown is not kept: a restore saves through the form,
    # which renders it again. Nor is the preview token: a restore must not bring back
    # revoked preview links (publishing.admin.RevisionAdmin keeps the current one).
    left_out = {*getattr(model, "rendered_fields", ()), *NOT_KEPT}
    fields = [field.name for field in model._meta.concrete_fields if field.name not in left_out]
    reversion.register(model, fields=fields, follow=follow)
    FOLLOWED[model] = tuple(follow)


# model -> the relations its revisions hold (its tags and credits).
FOLLOWED: dict[type[models.Model], tuple[str, ...]] = {}


@contextmanager
def revision(comment: str, user: AbstractBaseUser | None = None):
    """A revision of what is saved (or `add`ed) inside the block, said to be `comment`;
    written within the caller's transaction (no savepoint of its own)."""
    with reversion.create_revision(atomic=False):
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)
        yield


def add(model: type[models.Model], pks: Iterable[int]) -> None:
    """Put these items, as they now are, in the current revision, for writes that send no
    signals (`update()`, bulk writes of tags and credits): read with their tags and credits
    in a few queries, however many they are."""
    items = model._default_manager.filter(pk__in=list(pks))
    for instance in items.prefetch_related(*_followed_rows(model)):
        for tagged in getattr(instance, "tagged_items", TaggedItem.objects.none()).all():
            # A version is named after its row: a tagged item's name reads its item.
            TaggedItem.content_object.set_cached_value(tagged, instance)
        reversion.add_to_revision(instance)


def _followed_rows(model: type[models.Model]) -> list[models.Prefetch]:
    """The rows a revision of `model` holds, with what naming each version reads (its tag,
    its person), so that a revision of many items costs a few queries."""
    prefetches = []
    for name in FOLLOWED.get(model, ()):
        relation = model._meta.get_field(name)
        related = relation.related_model
        if related is TaggedItem:
            rows = TaggedItem.objects.select_related("tag")
        else:
            back = relation.field.name
            joined = [
                field.name
                for field in related._meta.concrete_fields
                if field.many_to_one and field.name != back
            ]
            rows = related._default_manager.select_related(*joined)
        prefetches.append(models.Prefetch(name, queryset=rows))
    return prefetches


# --- Diffs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    lines: list[str] | None = None  # a unified diff, for long texts


def snapshot(version: Version) -> dict[str, str]:
    """What a version says, field by field, as text: its own fields, then its tags and
    credits as stored in the same revision."""
    model = version._model
    values = {}
    for field in model._meta.concrete_fields:
        if field.name in NOT_COMPARED or not field.editable:
            continue
        value = version.field_dict.get(field.attname)
        if field.is_relation and value is not None:
            target = field.related_model._default_manager.filter(pk=value).first()
            value = str(target) if target is not None else f"#{value}"
        values[str(field.verbose_name)] = "" if value is None else str(value)
    related = version.revision.version_set.exclude(pk=version.pk)
    if hasattr(model, "tagged_items"):
        names = []
        item_type = ContentType.objects.get_for_model(model).pk
        for other in related.filter(content_type=ContentType.objects.get_for_model(TaggedItem)):
            data = other.field_dict
            if (data.get("content_type_id"), str(data.get("object_id"))) == (
                item_type,
                str(version.object_id),
            ):
                tag = Tag.objects.filter(pk=data["tag_id"]).first()
                names.append(tag.name if tag else f"#{data['tag_id']}")
        values["tags"] = ", ".join(sorted(names, key=str.lower))
    for accessor, credit_model in _credit_relations(model):
        people = []
        item_field = model._meta.get_field(accessor).field.attname
        for other in related.filter(content_type=ContentType.objects.get_for_model(credit_model)):
            data = other.field_dict
            if str(data.get(item_field)) == str(version.object_id):
                person = credit_model.person.field.related_model.objects.filter(
                    pk=data.get("person_id")
                ).first()
                people.append((data.get("position", 0), str(person) if person else "?"))
        values[str(credit_model._meta.verbose_name_plural)] = ", ".join(
            name for _, name in sorted(people)
        )
    return values


def _credit_relations(model) -> list[tuple[str, type[models.Model]]]:
    """(accessor, model) of the credit rows that revisions of `model` follow."""
    options = reversion.revisions._get_options(model)
    found = []
    for name in options.follow:
        if name == "tagged_items":
            continue
        found.append((name, model._meta.get_field(name).related_model))
    return found


def changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """The fields whose text differs, long texts with a line diff."""
    found = []
    for label, new in after.items():
        old = before.get(label, "")
        if old == new:
            continue
        lines = None
        if max(len(old), len(new)) > LONG_TEXT or "\n" in old + new:
            lines = list(
                difflib.unified_diff(
                    old.splitlines(), new.splitlines(), "before", "after", lineterm="", n=2
                )
            )[2:]
        found.append(Change(label, old, new, lines))
    return found


def previous(version: Version) -> Version | None:
    """The version of the same item saved before this one."""
    return (
        Version.objects.get_for_object_reference(version._model, version.object_id)
        .filter(pk__lt=version.pk)
        .order_by("-pk")
        .first()
    )
