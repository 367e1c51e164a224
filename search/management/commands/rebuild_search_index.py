"""Write the search index anew from the posts, talks and people (search.index)."""

from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = (
        "Write the search entries of every post, talk and person anew: after writing to the "
        "database outside the site (raw SQL, another program), or to repair the index."
    )

    def handle(self, *args, **options):
        written = rebuild()
        self.stdout.write(self.style.SUCCESS(f"{written} items indexed."))
