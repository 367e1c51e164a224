from django.apps import AppConfig


class FrontmatterConfig(AppConfig):
    """The import/export engine: Markdown files with YAML front matter, in the formats of
    the sites we migrate, to and from the content kinds (publishing.kinds)."""

    name = "frontmatter"
    verbose_name = "Front-matter import and export"
