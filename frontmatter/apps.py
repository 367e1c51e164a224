from django.apps import AppConfig


class FrontmatterConfig(AppConfig):
    """The import/export engine: Markdown files with YAML front matter, in the formats of
    the sites we migrate, to and from the content kinds (publishing.kinds)."""

    name = "frontmatter"
    verbose_name = "Front-matter import and export"

    def ready(self):
        # Registers the formats, so that the models' "source format" choices know them in
        # every process (the admin's filters and forms), not only where the engine ran.
        from frontmatter import formats  # noqa: F401
