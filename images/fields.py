"""An image field for uploads that cannot hurt.

The form field refuses anything `images.validation.check_image` refuses, and anything
that cannot be cleaned (turned upright, stripped of its metadata, re-encoded): the
cleaning happens while the form is validated, so every failure is a message on the field,
never a 500 when the item is saved. The model field then stores the cleaned bytes under
a content-hash name through the storage API.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models

from images import processing
from images.validation import ACCEPTED_EXTENSIONS, check_upload

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CleanedUpload:
    data: bytes
    extension: str


def clean_uploaded_image(file: File) -> CleanedUpload:
    """Check an uploaded image and clean it, or raise ValidationError saying why not."""
    checked = check_upload(file)
    try:
        data, extension = processing.clean_upload(checked)
    except Exception:
        # The checks decoded every frame, so this is one of Pillow's writers refusing
        # what its reader accepted: the editor gets a message, the log the traceback.
        logger.warning("Could not re-encode the uploaded image %r", file.name, exc_info=True)
        raise ValidationError(
            "This image cannot be re-encoded (which strips its metadata); open it in an "
            "image editor, save it again and upload that.",
            code="cannot_reencode",
        ) from None
    return CleanedUpload(data, extension)


class ImageUploadField(forms.FileField):
    """A file field that checks the upload is a sound image within the limits, and
    cleans it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_EXTENSIONS))}),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        file = super().to_python(data)
        if file is None:
            return None
        file.cleaned_upload = clean_uploaded_image(file)
        return file


class ContentImageField(models.ImageField):
    """Stores uploads cleaned and under `images/<hash>.<ext>`; names set directly (by the
    importer, which keeps original bytes) are stored as they are."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("upload_to", "images/")
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            cleaned = getattr(file.file, "cleaned_upload", None)
            if cleaned is None:  # assigned in code rather than through a form
                cleaned = clean_uploaded_image(file.file)
            name = processing.content_name(cleaned.data, cleaned.extension)
            file.name = processing.store(cleaned.data, name)
            file._committed = True
        return file


@cache
def image_fields(model) -> tuple[str, ...]:
    """The names of a model's stored images: its ContentImageFields, found by their type,
    so that a model which gains one is covered without a list to update."""
    return tuple(
        field.name for field in model._meta.concrete_fields if isinstance(field, ContentImageField)
    )


def models_with_images() -> list:
    """The installed models with at least one ContentImageField."""
    return [model for model in apps.get_models() if image_fields(model)]


@cache
def stored_file_fields(model) -> tuple[str, ...]:
    """The names of the files a model refers to in the site's storage (its images, and
    any other file field, such as imported attachments), found by type; the renditions
    of this app are derived files, not references."""
    if model._meta.app_label == "images":
        return ()
    return tuple(
        field.name for field in model._meta.concrete_fields if isinstance(field, models.FileField)
    )


def models_with_stored_files() -> list:
    """The installed models that refer to stored files (`stored_file_fields`)."""
    return [model for model in apps.get_models() if stored_file_fields(model)]
