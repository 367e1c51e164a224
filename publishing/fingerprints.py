"""A digest of everything an item's exported file is made of.

The importer stores it with the item; the exporter computes it again. When they agree,
the item has not been edited since its import and its file is its source, byte for byte,
so the exporter writes the source's front matter back without reading its YAML. A field
added later, a value the database gives back in another form, or any edit only makes
them differ, which costs the exporter its slower path and nothing else.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models.fields.files import FieldFile

# Bookkeeping that export never writes (the item's preview token, a person's admin
# account), and keys derived at save (a talk's edition_key).
SKIPPED_FIELDS = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "source_fingerprint",
        "edition_key",
        "preview_token",
        "user",
    }
)


def item_fingerprint(
    instance,
    *,
    tags: Iterable[str] = (),
    credits: Iterable[tuple[str, str, str, str]] = (),
    attachments: Mapping[str, str] | None = None,
) -> str:
    """Digest of an item's exported state: its own columns (not what is rendered), its
    author's slug and name, its tag names, its credits as (slug, name, link, image URL)
    in order, and its attachments as {reference: stored name}."""
    digest = hashlib.blake2b(digest_size=16)
    for attname in _exported_columns(type(instance)):
        digest.update(_encoded(getattr(instance, attname)))
    if hasattr(instance, "author_id"):
        author = instance.author
        digest.update(_encoded([author.slug, author.name] if author else None))
    digest.update(_encoded(sorted(tags)))
    digest.update(_encoded([list(credit) for credit in credits]))
    digest.update(_encoded(sorted((attachments or {}).items())))
    return digest.hexdigest()


@functools.cache
def _exported_columns(model) -> tuple[str, ...]:
    # Not what `render()` derives from the Markdown (the HTML, a post's excerpt text and
    # word count): the importer digests an item before saving renders it.
    derived = set(getattr(model, "rendered_fields", ()))
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS
        and field.name not in derived
        and not field.name.endswith("_html")
    )


def _encoded(value: Any) -> bytes:
    """Bytes that tell values apart ("1" from 1, "" from None), whatever Python type the
    database gives them back as."""
    if isinstance(value, str):
        kind, text = "s", value
    elif value is None or isinstance(value, bool | int | float):
        kind, text = "j", repr(value)
    elif isinstance(value, datetime.datetime):
        # The database may give an aware moment back in another zone.
        kind = "t"
        text = value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()
    elif isinstance(value, FieldFile):
        kind, text = "f", value.name or ""
    elif isinstance(value, uuid.UUID | datetime.date):
        kind, text = "u", str(value)
    else:
        # JSON lists and objects (PostgreSQL orders the keys of a jsonb object).
        kind, text = "l", json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return f"{kind}{len(text)}:{text}".encode()
