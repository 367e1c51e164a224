"""Load the project's demo content (demo/) through the importer and create a demo editor."""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from publishing.importer import import_paths

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = (
        "Import the demo posts, talks and people from demo/ and create a demo editor "
        "(DEMO_EDITOR_USERNAME / DEMO_EDITOR_PASSWORD, default editor / editor-demo)."
    )

    def handle(self, *args, **options):
        runs = [
            ([DEMO_DIR / "mainmatter"], {"assets_root": DEMO_DIR / "mainmatter"}),
            ([DEMO_DIR / "loige"], {"default_author": "ada_brennan"}),
        ]
        for paths, extra in runs:
            report = import_paths(paths, **extra)
            for line in report.errors + report.warnings:
                self.stderr.write(line)
            if not report.ok:
                raise CommandError(f"Demo content failed to import: {report.summary()}")
            self.stdout.write(f"{paths[0].relative_to(settings.BASE_DIR)}: {report.summary()}")

        username = os.environ.get("DEMO_EDITOR_USERNAME", "editor")
        password = os.environ.get("DEMO_EDITOR_PASSWORD", "editor-demo")
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "first_name": "Demo editor"}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo editor: log in at {settings.SITE_URL}/admin/ as {username} / {password}"
                )
            )
        else:
            self.stdout.write(f"Demo editor {username!r} exists (password unchanged).")
