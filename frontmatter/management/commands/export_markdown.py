"""Export posts, talks and people as Markdown files with YAML front matter.

    manage.py export_markdown out/
    manage.py export_markdown out/ --kind talk --status published --since 2024-01-01

Each item is written in the format it was imported from (`--dialect` forces one), with the
file names and image locations of that format.
"""

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from frontmatter import formats
from frontmatter.exporter import ExportUsageError, export_items
from frontmatter.formats.base import KINDS
from publishing.models import Status


def since_date(value: str) -> datetime.datetime:
    day = parse_date(value)
    if day is None:
        raise ValueError(value)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = (
        "Write every post, talk and author profile as Markdown with front matter under "
        "OUTDIR, in its source format. Items created in the admin use: "
        + ", ".join(f"{kind}s {formats.default_format(kind).name}" for kind in KINDS)
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR")
        parser.add_argument("--kind", choices=KINDS, help="Only this kind of item.")
        parser.add_argument("--status", choices=Status.values, help="Only items with this status.")
        parser.add_argument(
            "--since", type=since_date, metavar="YYYY-MM-DD", help="Only items dated from then."
        )
        parser.add_argument(
            "--dialect", choices=formats.names(), help="Write every item in this format."
        )
        parser.add_argument(
            "--force", action="store_true", help="Write into OUTDIR even if it is not empty."
        )

    def handle(self, *args, **options):
        try:
            report = export_items(
                options["outdir"],
                kind=options["kind"],
                status=options["status"],
                since=options["since"],
                dialect=options["dialect"],
                force=options["force"],
            )
        except ExportUsageError as error:
            raise CommandError(str(error), returncode=2) from None
        for line in report.errors:
            self.stderr.write(self.style.ERROR(line))
        if options["verbosity"] >= 1:
            for line in report.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {line}"))
            style = self.style.SUCCESS if report.ok else self.style.ERROR
            self.stdout.write(style(report.summary()))
        if not report.ok:
            sys.exit(1)
