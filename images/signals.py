"""File clean-up: a replaced or deleted image goes, with its renditions and social card,
once nothing references it any more, not even a kept revision. Deferred to commit, so a
rolled-back save deletes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from reversion.models import Version

from images.fields import image_fields, models_with_stored_files, stored_file_fields
from images.models import Rendition
from images.og import card_for

# What a social card shows besides the images (images/og.py card_for).
CARD_FIELDS = ("title", "focal_x", "focal_y", "event_name", "event_days", "date")


def _fields(sender) -> tuple[str, ...]:
    return image_fields(sender)


def is_referenced(name: str) -> bool:
    """Whether any item, person or imported attachment still uses this stored file, or a
    kept revision of one does (restoring it brings the file back into use)."""
    for model in models_with_stored_files():
        for field in stored_file_fields(model):
            if model._default_manager.filter(**{field: name}).exists():
                return True
    return Version.objects.filter(serialized_data__contains=json.dumps(name)).exists()


def delete_unreferenced(names: Iterable[str]) -> list[str]:
    """Delete each stored image nobody references, and its renditions. Returns what went."""
    deleted = []
    for name in sorted(set(names)):
        if not name or is_referenced(name):
            continue
        for rendition in Rendition.objects.filter(source=name):
            shared = Rendition.objects.filter(file=rendition.file.name).exclude(pk=rendition.pk)
            if not shared.exists():
                default_storage.delete(rendition.file.name)
            rendition.delete()
        default_storage.delete(name)
        deleted.append(name)
    return deleted


def _card_name(instance) -> str | None:
    try:
        return card_for(instance).storage_name
    except (AttributeError, ValueError):
        return None


@receiver(pre_save)
def remember_replaced_files(sender, instance, raw=False, update_fields=None, **kwargs):
    fields = _fields(sender)
    if raw or not fields or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & {*fields, *CARD_FIELDS}:
        return  # a save of other columns (rendered HTML) replaces no file and no card
    old = sender.objects.filter(pk=instance.pk).first()
    if old is None:
        return
    current = {getattr(instance, field).name for field in fields}
    replaced = {getattr(old, field).name for field in fields} - current
    instance._replaced_files = replaced
    if hasattr(old, "og_image"):
        instance._old_card = _card_name(old)


@receiver(post_save)
def delete_replaced_files(sender, instance, raw=False, **kwargs):
    if raw or not _fields(sender):
        return
    replaced = instance.__dict__.pop("_replaced_files", set())
    old_card = instance.__dict__.pop("_old_card", None)
    stale_card = old_card if old_card and old_card != _card_name(instance) else None
    if not replaced and not stale_card:
        return

    def clean_up():
        delete_unreferenced(replaced)
        if stale_card:
            default_storage.delete(stale_card)

    transaction.on_commit(clean_up)


@receiver(post_delete)
def delete_files_of_deleted_item(sender, instance, **kwargs):
    fields = stored_file_fields(sender)
    if not fields:
        return
    names = {getattr(instance, field).name for field in fields}
    card = _card_name(instance) if hasattr(instance, "og_image") else None
    if card:
        transaction.on_commit(lambda: default_storage.delete(card))
    names.discard("")
    if names:
        transaction.on_commit(lambda: delete_unreferenced(names))
