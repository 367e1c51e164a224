"""Load the project's demo content (demo/) through the importer and create a demo editor.

The demo editor's password is printed and documented, so the account is created only for
local use (DEBUG on). With DEBUG off the content is imported and the account refused.
"""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from publishing.site_url import absolute_url

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = (
        "Import the demo posts, talks and people from demo/ and, with DEBUG on, create a demo "
        "editor (DEMO_EDITOR_USERNAME / DEMO_EDITOR_PASSWORD, default editor / editor-demo)."
    )

    def handle(self, *args, **options):
        # Through the import command itself, as a person migrating a site would.
        runs = [
            (DEMO_DIR / "mainmatter", {"assets_root": str(DEMO_DIR / "mainmatter")}),
            (DEMO_DIR / "loige", {"default_author": "ada_brennan"}),
        ]
        for path, extra in runs:
            self.stdout.write(f"{path.relative_to(settings.BASE_DIR)}: ", ending="")
            try:
                call_command(
                    "import_markdown", str(path), stdout=self.stdout, stderr=self.stderr, **extra
                )
            except SystemExit as exit:
                raise CommandError("The demo content failed to import.") from exit

        if not settings.DEBUG:
            self.stderr.write(
                "Demo editor not created: DEBUG is off, and an account with a published "
                "password must not exist outside local use (use manage.py createsuperuser)."
            )
            return
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
                    f"Demo editor: log in at {absolute_url('/admin/')} as {username} / {password}"
                )
            )
        else:
            self.stdout.write(f"Demo editor {username!r} exists (password unchanged).")
