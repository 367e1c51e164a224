"""Write static/css/highlight.css from the code styles (publishing/code_style.py), after a
change of their colours or a Pygments upgrade. A test fails while the two disagree."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from publishing.code_style import highlight_css

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "highlight.css"


class Command(BaseCommand):
    help = "Write static/css/highlight.css from the code styles in publishing/code_style.py."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say whether it would change; write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        css = highlight_css()
        name = STYLESHEET.relative_to(settings.BASE_DIR)
        if STYLESHEET.exists() and STYLESHEET.read_text() == css:
            self.stdout.write(f"{name}: up to date")
        elif dry_run:
            self.stdout.write(self.style.WARNING(f"{name}: out of date (not written)"))
        else:
            STYLESHEET.write_text(css)
            self.stdout.write(self.style.SUCCESS(f"{name}: written"))
