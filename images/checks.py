"""A system check that Pillow on this machine reads and writes the formats we promise."""

from django.core.checks import Error, register
from PIL import features


@register()
def check_pillow_formats(app_configs, **kwargs):
    errors = []
    for feature, what in (
        ("jpg", "JPEG"),
        ("zlib", "PNG"),
        ("webp", "WebP"),
        ("freetype2", "fonts"),
    ):
        if not features.check(feature):
            errors.append(
                Error(
                    f"Pillow on this machine has no {what} support.",
                    hint="Install Pillow from its wheels (pip install --force-reinstall pillow).",
                    id="images.E001",
                )
            )
    return errors
