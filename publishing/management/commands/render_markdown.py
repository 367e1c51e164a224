"""Re-render the stored HTML of every post, talk and person after the pipeline changes."""

from django.core.management.base import BaseCommand
from django.db import transaction

from blog.models import Post
from pagecache.models import invalidate_all_pages
from people.models import Person
from publishing.markdown import MarkdownTooComplex
from publishing.signals import content_written
from talks.models import Talk

BATCH_SIZE = 200
MODELS = (Post, Talk, Person)


class Command(BaseCommand):
    help = "Re-render the stored HTML of all posts, talks and people from their Markdown."

    def handle(self, *args, **options):
        for model in MODELS:
            fields = list(model.rendered_fields)
            changed = 0
            total = 0
            with transaction.atomic():
                batch = []
                for item in model.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
                    total += 1
                    before = [getattr(item, field) for field in fields]
                    try:
                        item.render()
                    except MarkdownTooComplex as error:
                        # Stored before the limits existed: it keeps its HTML until edited.
                        name = model._meta.verbose_name
                        self.stderr.write(f"{name} {item.pk} “{item}”: not re-rendered: {error}")
                        continue
                    if before != [getattr(item, field) for field in fields]:
                        batch.append(item)
                    if len(batch) >= BATCH_SIZE:
                        changed += self.write(model, batch, fields)
                        batch = []
                if batch:
                    changed += self.write(model, batch, fields)
                if changed:  # bulk_update sends no signals
                    invalidate_all_pages()
            self.stdout.write(
                f"{model._meta.verbose_name_plural}: {changed} of {total} re-rendered"
            )
        self.stdout.write(self.style.SUCCESS("Done."))

    def write(self, model, batch: list, fields: list[str]) -> int:
        model.objects.bulk_update(batch, fields)
        content_written.send(sender=model, pks=[item.pk for item in batch])
        return len(batch)
