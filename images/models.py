"""Renditions: smaller or cropped versions of stored images, generated once and cached.

A rendition is keyed by (source file, spec); the source's name is its content hash and
a crop's spec includes the focal point, so a changed image or focal point is a new key and
a stale rendition is never served. Races are harmless: the pair is unique and created with
get_or_create, like Wagtail's renditions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction

from images import processing

DEFAULT_WIDTHS = (480, 960, 1440, 1920)


def rendition_widths() -> tuple[int, ...]:
    return tuple(getattr(settings, "IMAGE_RENDITION_WIDTHS", DEFAULT_WIDTHS))


@dataclass(frozen=True)
class Spec:
    """What to make of a source: `width` (resize, never enlarge) or `fill` (crop to
    width×height around the focal point), in a format."""

    width: int
    height: int | None = None
    format: str = "WEBP"
    focal_x: float = 0.5
    focal_y: float = 0.5

    @property
    def key(self) -> str:
        if self.height is None:
            operation = f"width-{self.width}"
        else:
            operation = (
                f"fill-{self.width}x{self.height}-focus-{self.focal_x:.3f}-{self.focal_y:.3f}"
            )
        return f"{operation}.{self.format.lower()}"

    @property
    def extension(self) -> str:
        return {"JPEG": ".jpg", "WEBP": ".webp", "PNG": ".png"}[self.format]


class RenditionQuerySet(models.QuerySet):
    def for_sources(self, names: Iterable[str]) -> dict[tuple[str, str], Rendition]:
        """Every rendition of these sources in one query, by (source, spec key)."""
        names = {name for name in names if name}
        if not names:
            return {}
        return {(r.source, r.spec): r for r in self.filter(source__in=names)}


class Rendition(models.Model):
    source = models.CharField(max_length=300, db_index=True)
    spec = models.CharField(max_length=100)
    file = models.ImageField(
        upload_to="renditions/", max_length=300, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    objects = RenditionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "spec"], name="rendition_unique_spec")
        ]

    def __str__(self):
        return f"{self.source} [{self.spec}]"

    @property
    def url(self) -> str:
        return self.file.url


def source_format(name: str) -> str:
    """The format renditions keep beside WebP: JPEG stays JPEG, the rest become PNG."""
    return "JPEG" if name.lower().endswith((".jpg", ".jpeg")) else "PNG"


def make_rendition(source: str, spec: Spec, image=None) -> Rendition:
    """Get or create the rendition of `source` (a stored file name) for `spec`."""
    existing = Rendition.objects.filter(source=source, spec=spec.key).first()
    if existing is not None:
        return existing
    if image is None:
        with default_storage.open(source, "rb") as handle:
            data = handle.read()
        want = (spec.width, spec.height or spec.width)
        image = processing.open_image(data, want=want)
    if spec.height is None:
        result = processing.resize_to_width(image, spec.width)
    else:
        result = processing.fill(image, spec.width, spec.height, spec.focal_x, spec.focal_y)
    data = processing.encode(result, spec.format)
    name = processing.store(data, processing.content_name(data, spec.extension, "renditions"))
    try:
        with transaction.atomic():
            return Rendition.objects.create(
                source=source,
                spec=spec.key,
                file=name,
                width=result.width,
                height=result.height,
            )
    except IntegrityError:  # made by a concurrent request meanwhile
        return Rendition.objects.get(source=source, spec=spec.key)


def responsive_specs(width: int, image_format: str) -> list[Spec]:
    """Width renditions for a source `width` pixels wide: the configured widths it can
    fill without enlarging, or its own width when it is smaller than all of them."""
    widths = [candidate for candidate in rendition_widths() if candidate <= width]
    if not widths or widths[-1] < width < rendition_widths()[-1]:
        widths.append(width)
    specs = []
    for candidate in sorted(set(widths)):
        specs.append(Spec(candidate, format="WEBP"))
        specs.append(Spec(candidate, format=image_format))
    return specs
