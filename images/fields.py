"""An image field for uploads that cannot hurt.

The form field refuses anything `images.validation.check_image` refuses (with its message,
never a 500); on save, the model field turns the image upright, strips its metadata and
stores it under a content-hash name through the storage API.
"""

from __future__ import annotations

from django import forms
from django.db import models

from images import processing
from images.validation import ACCEPTED_EXTENSIONS, check_image, read_upload


class ImageUploadField(forms.FileField):
    """A file field that checks the upload is a sound image within the limits."""

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
        checked = check_image(file.name or "", read_upload(file))
        file.checked_image = checked
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
            checked = getattr(file.file, "checked_image", None)
            if checked is None:
                checked = check_image(file.name or "", read_upload(file.file))
            data, extension = processing.clean_upload(checked)
            name = processing.store(data, processing.content_name(data, extension))
            file.name = name
            file._committed = True
        return file
