"""Which stored item a file is: by its uuid when no other file of the run shares it, else
by its kind and slug. The items a chunk's files may update are loaded with the chunk, with
their tags, credits and attachments, a few queries per chunk instead of several per file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import Lower
from taggit.models import TaggedItem

from frontmatter.readers import ItemData, ItemError
from publishing.kinds import get_kind, publishable_kinds
from publishing.models import Attachment


@dataclass
class Related:
    """An existing item's tags (lower-case), credits and attachments, as stored."""

    tags: set[str] = field(default_factory=set)
    credits: list[tuple] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)


class ChunkIndex:
    """The stored items of the current chunk, and what the run has matched so far."""

    def __init__(self, uuid_counts: Counter[str], warn: Callable[[str, str], None]):
        self.uuid_counts = uuid_counts  # files of the run giving each uuid
        self.warn = warn
        self.uuid_files: dict[str, str] = {}
        self.seen_slugs: dict[tuple[str, str], str] = {}
        # Items of the current chunk, loaded at its start; `claimed` are the items files of
        # this run have matched (and possibly changed) since.
        self.by_uuid: dict[tuple[str, str], list] = {}
        self.by_slug: dict[tuple[str, str], list] = {}
        self.claimed: set[tuple[str, int]] = set()
        self.related: dict[tuple[str, int], Related] = {}

    def load(self, items: list[ItemData]) -> None:
        """Load the items a chunk's files may update, by uuid and by slug, in two queries
        per kind instead of two per file."""
        self.by_uuid.clear()
        self.by_slug.clear()
        for known in publishable_kinds():
            kind, model = known.name, known.model
            uuids = [
                item.uuid
                for item in items
                if item.kind == kind and item.uuid and self.uuid_counts[str(item.uuid)] < 2
            ]
            slugs = [item.slug.lower() for item in items if item.kind == kind]
            for instance in model.objects.filter(uuid__in=uuids) if uuids else ():
                self.by_uuid.setdefault((kind, str(instance.uuid)), []).append(instance)
            if slugs:
                found = model.objects.alias(slug_lower=Lower("slug")).filter(slug_lower__in=slugs)
                self.by_slug.update(((kind, i.slug.lower()), [i]) for i in found)
        self.related.clear()
        for (kind, _), instances in (*self.by_uuid.items(), *self.by_slug.items()):
            for instance in instances:
                self.related[(kind, instance.pk)] = Related()
        for known in publishable_kinds():
            self._load_related(known.name, [pk for k, pk in self.related if k == known.name])

    def _load_related(self, kind: str, pks: list[int]) -> None:
        """Tags, credits and attachments of the chunk's existing items, a query each."""
        if not pks:
            return
        known = get_kind(kind)
        content_type = ContentType.objects.get_for_model(known.model)
        tagged = TaggedItem.objects.filter(content_type=content_type, object_id__in=pks)
        for object_id, name in tagged.values_list("object_id", "tag__name"):
            self.related[(kind, object_id)].tags.add(name.lower())
        item_field = known.credit_item_field
        credits = known.credit_model.objects.filter(**{f"{item_field}__in": pks})
        for item_id, *credit in credits.order_by("position").values_list(
            f"{item_field}_id", "person_id", "link", "image_url"
        ):
            self.related[(kind, item_id)].credits.append(tuple(credit))
        for attachment in Attachment.objects.filter(content_type=content_type, object_id__in=pks):
            self.related[(kind, attachment.object_id)].attachments[attachment.reference] = (
                attachment
            )

    def take_slug(self, item: ItemData, relpath: str) -> None:
        """Two files of one run with the same slug are never one item: the second fails."""
        slug_key = (item.kind, item.slug.lower())
        if slug_key in self.seen_slugs:
            raise ItemError(
                f"slug {item.slug!r} is also used by {self.seen_slugs[slug_key]} "
                "(two files cannot be one item)",
                "slug",
            )
        self.seen_slugs[slug_key] = relpath

    def find(self, item: ItemData, relpath: str) -> tuple[object | None, Related | None]:
        """The stored item the file is (None: a new one), and its related rows as loaded
        with the chunk (None: ask the database)."""
        model = get_kind(item.kind).model
        file_uuid = str(item.uuid).lower() if item.uuid else None
        if file_uuid:
            if self.uuid_counts[file_uuid] > 1:
                first = self.uuid_files.setdefault(file_uuid, relpath)
                if first != relpath:
                    self.warn(
                        relpath,
                        f"uuid {file_uuid} is also used by {first}; imported as separate items",
                    )
            else:
                matches = self._lookup(
                    self.by_uuid,
                    (item.kind, file_uuid),
                    lambda: model.objects.filter(uuid=item.uuid),
                )
                if len(matches) == 1:
                    self._check_slug_free(model, item, matches[0])
                    return self._claim(item, matches[0])
        # Same kind and slug: the same item, possibly from another era of the site.
        matches = self._lookup(
            self.by_slug,
            (item.kind, item.slug.lower()),
            lambda: model.objects.with_slug(item.slug),
        )
        return self._claim(item, matches[0]) if matches else (None, None)

    def _lookup(self, prefetched: dict, key: tuple[str, str], query: Callable) -> list:
        """Items under `key` as loaded for the chunk; the database is asked again (`query()`)
        when one of them was already taken by an earlier file of the run (it may have
        changed since)."""
        found = prefetched.get(key, [])
        if any((key[0], instance.pk) in self.claimed for instance in found):
            return list(query()[:2])
        return found

    def _claim(self, item: ItemData, instance) -> tuple[object, Related | None]:
        key = (item.kind, instance.pk)
        self.claimed.add(key)
        # Rows loaded for the chunk serve the first file that takes the item, no other.
        return instance, self.related.pop(key, None)

    def _check_slug_free(self, model, item: ItemData, instance) -> None:
        holders = self._lookup(
            self.by_slug,
            (item.kind, item.slug.lower()),
            lambda: model.objects.with_slug(item.slug),
        )
        clash = next((holder for holder in holders if holder.pk != instance.pk), None)
        if clash is not None:
            raise ItemError(
                f"slug {item.slug!r} already belongs to {clash.source_path or clash}", "slug"
            )
