"""A digest of everything an item's exported file is made of.

The importer stores it with the item; the exporter computes it again. When they agree,
the item has not been edited since its import and its file is its source, byte for byte,
so the exporter writes the source's front matter back without reading its YAML. A field
added later, a value the database gives back in another form, or any edit only makes
them differ, which costs the exporter its slower path and nothing else.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models.fields.files import FieldFile

# Bookkeeping that export never writes.
SKIPPED_FIELDS = frozenset({"id", "created_at", "updated_at", "source_fingerprint"})


def item_fingerprint(
    instance,
    *,
    tags: Iterable[str] = (),
    credits: Iterable[tuple[str, str, str, str]] = (),
    attachments: Mapping[str, str] | None = None,
) -> str:
    """Digest of an item's exported state: its own columns (not the rendered HTML), its
    author's slug and name, its tag names, its credits as (slug, name, link, image URL)
    in order, and its attachments as {reference: stored name}."""
    state: list[Any] = []
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.name.endswith("_html"):
            continue
        state.append([field.attname, _plain(field.value_from_object(instance))])
    if hasattr(instance, "author_id"):
        author = instance.author
        state.append(["author", [author.slug, author.name] if author else None])
    state.append(["tags", sorted(tags)])
    state.append(["credits", [list(credit) for credit in credits]])
    state.append(["attachments", sorted((attachments or {}).items())])
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        # The database may give an aware moment back in another zone.
        return value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, uuid.UUID | datetime.date):
        return str(value)
    return value
