"""Images in bodies: uploaded from the change form, stored as the item's attachments under
a reference beside its file (`./diagram.png`), which the Markdown uses. Imported bodies
refer to their images the same way, so pages show both through renditions and export puts
both back beside the item's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from images import processing
from images.fields import CleanedUpload
from publishing.filetypes import type_of_stored
from publishing.models import Attachment

IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT_RE = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
SRC_RE = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


@dataclass(frozen=True)
class BodyImage:
    reference: str  # as the Markdown writes it
    name: str  # the stored file


def attach(item, upload_name: str, upload: CleanedUpload) -> str:
    """Store a cleaned upload and give the item a reference to it; the reference (an
    existing one when the item already has these bytes)."""
    name = processing.store(upload.data, processing.content_name(upload.data, upload.extension))
    attachments = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )
    for reference, stored in attachments.values_list("reference", "file"):
        if stored == name:
            return reference
    stem = slugify(upload_name.rsplit("/", 1)[-1].rsplit(".", 1)[0])[:60] or name[7:19]
    taken = set(attachments.values_list("reference", flat=True))
    extension = "." + upload.extension.lstrip(".")
    reference, number = f"./{stem}{extension}", 1
    while reference in taken:
        number += 1
        reference = f"./{stem}-{number}{extension}"
    attachments.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        reference=reference,
        file=name,
    )
    return reference


def markdown(reference: str, alt: str) -> str:
    """`![alt](reference)`, the alt text kept on one line and its brackets escaped."""
    text = " ".join(alt.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{text}]({reference})"


def images_of(item) -> list[BodyImage]:
    """The images among the item's attachments (imported or uploaded)."""
    return [
        BodyImage(attachment.reference, attachment.file.name)
        for attachment in item.attachments.all()
        if attachment.file and type_of_stored(attachment.file.name).is_image
    ]


def without_alt(body_html: str) -> list[str]:
    """The images of a rendered body (their source) that have no alt text."""
    missing = []
    for tag in IMG_RE.findall(body_html):
        alt = ALT_RE.search(tag)
        if alt is None or not next(value for value in alt.groups() if value is not None).strip():
            src = SRC_RE.search(tag)
            missing.append(next((v for v in src.groups() if v is not None), "") if src else "")
    return missing
