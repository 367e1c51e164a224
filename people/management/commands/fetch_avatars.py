"""Download people's remote pictures (their avatar URL) into their stored avatars, so
pages show them through renditions; pages themselves never load a remote picture.

    manage.py fetch_avatars
    manage.py fetch_avatars --dry-run -v 2
    manage.py fetch_avatars --force --timeout 5

Exit status: 0 when every picture was fetched or skipped, 1 when some failed.
"""

import argparse
import sys

from django.core.management.base import BaseCommand

from people.avatars import DEFAULT_TIMEOUT, fetch_avatars


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return value


class Command(BaseCommand):
    help = (
        "Download each person's avatar URL (http/https) into their stored avatar, checked "
        "as an upload is. People with an uploaded avatar are skipped unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Replace avatars that are already stored."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Download and check, but store nothing."
        )
        parser.add_argument(
            "--timeout",
            type=positive_seconds,
            default=DEFAULT_TIMEOUT,
            metavar="SECONDS",
            help=f"Give up on a picture after this long (default: {DEFAULT_TIMEOUT:g}).",
        )
        parser.add_argument(
            "--allow-private-addresses",
            action="store_true",
            help="Also fetch from private, loopback and link-local addresses (an intranet).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        report = fetch_avatars(
            force=options["force"],
            dry_run=options["dry_run"],
            timeout=options["timeout"],
            allow_private=options["allow_private_addresses"],
        )
        if verbosity >= 2:
            for line in report.fetched:
                self.stdout.write(self.style.SUCCESS(f"fetched: {line}"))
            for line in report.skipped:
                self.stdout.write(f"skipped: {line}")
        for line in report.failed:
            self.stderr.write(self.style.ERROR(f"failed: {line}"))
        if report.dry_run and verbosity >= 1:
            self.stdout.write("Nothing was stored (dry run).")
        if verbosity >= 1 or not report.ok:
            style = self.style.SUCCESS if report.ok else self.style.ERROR
            self.stdout.write(style(report.summary()))
        if not report.ok:
            sys.exit(1)
