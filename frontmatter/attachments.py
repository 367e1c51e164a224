"""The files an imported item refers to: its image fields' pictures and the files its body
links to, resolved beside the file or under the old site's assets, checked, and stored
under content-hash names (frontmatter.files); each reference is recorded as an
`Attachment`, so that export puts the file back where the reference points."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from frontmatter import formats
from frontmatter.discovery import Source
from frontmatter.files import (
    NotImported,
    ReferenceError_,
    image_extension,
    is_local_reference,
    read_referenced_file,
    resolve_reference,
    store_on_commit,
)
from frontmatter.matching import Related
from frontmatter.readers import ItemData, ItemError
from frontmatter.sourcefiles import SourceFile
from images.fields import image_fields
from images.processing import content_name
from publishing.filetypes import FileType, NotAccepted, recognise
from publishing.kinds import get_kind
from publishing.models import Attachment

# Files linked from a body are imported when found; a missing one is worth a warning only
# when it looks like a file (a link to "/blog/" is a page, not an attachment).
FILE_LINK_RE = re.compile(r"\.(?:pdf|zip|png|jpe?g|gif|webp|svg|mp4|webm|mp3|txt|csv)$", re.I)


class Attachments:
    """Resolves and stores the files of one run's items."""

    def __init__(self, assets_root: Path | None, dry_run: bool, warn: Callable[[str, str], None]):
        self.assets_root = assets_root
        self.dry_run = dry_run
        self.warn = warn

    def _resolve(self, reference: str, key: str, document: SourceFile, source: Source):
        try:
            return resolve_reference(
                reference,
                folder=document.path.parent,
                root=source.root,
                assets_root=self.assets_root,
            )
        except ReferenceError_ as error:
            raise ItemError(f"{key}: {error}", key) from None

    def images(
        self, item: ItemData, document: SourceFile, source: Source, attachments: dict[str, str]
    ) -> dict[str, str]:
        """Image fields' stored names; the references are added to `attachments` so that
        export writes each file back where its reference points."""
        values = dict.fromkeys(image_fields(get_kind(item.kind).model), "")
        for field_name, reference in item.images.items():
            key = source_key(item, field_name)
            if not reference:
                values[field_name] = ""
                continue
            if not is_local_reference(reference):
                # Remote pictures are kept as written in the front matter, never fetched.
                values[field_name] = ""
                continue
            try:
                resolved = self._resolve(reference, key, document, source)
            except NotImported as refusal:
                self.warn(document.relpath, f"{key}: {reference} is not imported: {refusal}")
                attachments[reference] = ""
                continue
            if not resolved.found:
                hint = assets_root_hint(reference, self.assets_root)
                self.warn(document.relpath, f"{key}: image {reference} not found{hint}")
                attachments[reference] = ""
                continue
            try:
                data = read_referenced_file(resolved.path)
                extension = image_extension(data, resolved.path.name, reference)
            except ReferenceError_ as error:
                raise ItemError(f"{key}: {error}", key) from None
            name = content_name(data, extension)
            if not self.dry_run:
                store_on_commit(name, data)
            values[field_name] = name
            attachments[reference] = name
        return values

    def current(self, instance, related: Related | None) -> dict[str, Attachment]:
        if related is not None:
            return related.attachments
        return {
            attachment.reference: attachment
            for attachment in Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
            )
        }

    def body_files(
        self, references: list[tuple[str, str]], document: SourceFile, source: Source
    ) -> dict[str, str]:
        """Files the body refers to: {reference as written: stored name or ""}.

        A file is stored only when its content is one of the kinds of `publishing.filetypes`;
        anything else (HTML, SVG, a hidden file) is a warning and its reference is kept as
        written, like a missing file's."""
        attachments: dict[str, str] = {}
        for attribute, reference in references:
            if reference in attachments or not is_local_reference(reference):
                continue
            try:
                resolved = self._resolve(reference, "body", document, source)
                if not resolved.found:
                    is_file = attribute != "href" or FILE_LINK_RE.search(reference.split("#")[0])
                    if is_file:
                        hint = assets_root_hint(reference, self.assets_root)
                        self.warn(document.relpath, f"body: file {reference} not found{hint}")
                        attachments[reference] = ""
                    continue
                try:
                    data = read_referenced_file(resolved.path)
                except ReferenceError_ as error:
                    raise ItemError(f"body: {error}") from None
                file_type = recognise(data, resolved.path.name)
            except (NotImported, NotAccepted) as refusal:
                self.warn(document.relpath, f"body: {reference} is not imported: {refusal}")
                attachments[reference] = ""
                continue
            name = stored_name(data, file_type)
            if not self.dry_run:
                store_on_commit(name, data)
            attachments[reference] = name
        return attachments

    def write(self, instance, current: dict[str, Attachment], attachments: dict[str, str]) -> None:
        content_type = ContentType.objects.get_for_model(instance)
        stale = [a.pk for ref, a in current.items() if attachments.get(ref) != a.file.name]
        if stale:
            Attachment.objects.filter(pk__in=stale).delete()
        Attachment.objects.bulk_create(
            Attachment(content_type=content_type, object_id=instance.pk, reference=ref, file=name)
            for ref, name in attachments.items()
            if ref not in current or current[ref].pk in stale
        )


def stored_name(data: bytes, file_type: FileType) -> str:
    """Content-hash name of a file a body refers to, with the extension of its recognised
    kind (never the one it came with): images under images/, where an image field would
    store the same bytes (so one picture is stored once); other files under files/."""
    return content_name(data, file_type.extension, "images" if file_type.is_image else "files")


def known_body_references(
    attachments: dict[str, Attachment], item: ItemData
) -> list[tuple[str, str]]:
    """The body references recorded at the last import, as (attribute, reference)."""
    field_references = set(item.images.values())
    return [("src", reference) for reference in attachments if reference not in field_references]


def assets_root_hint(reference: str, assets_root: Path | None) -> str:
    if assets_root is None and reference.startswith("/"):
        return " (site-absolute paths need --assets-root)"
    return ""


def source_key(item: ItemData, field_name: str) -> str:
    """The front-matter key that sets a field, for messages."""
    for name, key in formats.get_format(item.dialect).table(item.kind).items():
        if field_name in key.value.fields:
            return key.value.label(name)
    return field_name
