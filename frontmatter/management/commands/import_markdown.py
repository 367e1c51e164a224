"""Import Markdown files with YAML front matter (Eleventy, Gatsby, Astro, Jekyll sites).

    manage.py import_markdown content/ --assets-root site/src
    manage.py import_markdown posts/2024-01-02-hello.md --dry-run
    manage.py import_markdown content/ --jobs 4

Exit status: 0 when every file was imported, 1 when some failed, 2 for usage errors,
130 when interrupted (Ctrl-C).
"""

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError

from frontmatter import formats
from frontmatter.formats.base import KINDS
from frontmatter.importer import ImportUsageError, import_paths


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


class Command(BaseCommand):
    help = (
        "Import posts, talks and people from Markdown files with YAML front matter. "
        "PATH may be files or folders (searched recursively; page bundles recognised)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--kind", choices=KINDS, help="Treat every file as this kind.")
        parser.add_argument(
            "--dialect", choices=formats.names(), help="Read every file as this format."
        )
        parser.add_argument(
            "--assets-root",
            metavar="DIR",
            help="The old site's static root, for site-absolute paths like /assets/x.png.",
        )
        parser.add_argument(
            "--default-author",
            metavar="SLUG",
            help="Author of files that name none (loige 2025 files have no author key).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--atomic",
            action="store_true",
            help="All or nothing: if any file fails, import none.",
        )
        parser.add_argument(
            "--jobs",
            type=positive_int,
            metavar="N",
            help="Processes that read and render files ahead of the database work (default: "
            "one per CPU for 200 files or more, else 1).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        show_progress = verbosity >= 1 and self.stdout.isatty()
        try:
            report = import_paths(
                options["paths"],
                kind=options["kind"],
                dialect=options["dialect"],
                assets_root=options["assets_root"],
                default_author=options["default_author"],
                dry_run=options["dry_run"],
                atomic=options["atomic"],
                jobs=options["jobs"],
                progress=self._progress if show_progress else None,
            )
        except ImportUsageError as error:
            raise CommandError(str(error), returncode=2) from None
        except KeyboardInterrupt:
            if show_progress:
                self.stdout.write("")
            self.stderr.write(
                "Interrupted. Files are committed 100 at a time: those before the last "
                "commit are imported, the rest are not. Run the same import again to finish; "
                "what is already imported is reported unchanged."
            )
            sys.exit(130)
        if show_progress:
            self.stdout.write("")
        for line in report.errors:
            self.stderr.write(self.style.ERROR(line))
        if verbosity >= 1:
            for line in report.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {line}"))
        if report.rolled_back:
            reason = "dry run" if options["dry_run"] else "--atomic and some files failed"
            self.stdout.write(f"Nothing was written ({reason}).")
        if verbosity >= 1 or not report.ok:
            style = self.style.SUCCESS if report.ok else self.style.ERROR
            self.stdout.write(style(report.summary()))
        if not report.ok:
            sys.exit(1)

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
