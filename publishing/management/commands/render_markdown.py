"""Re-render the stored HTML of every item of every content kind (posts, talks, people)
after the pipeline changes."""

from django.core.management.base import BaseCommand
from django.db import transaction

from publishing.kinds import all_kinds
from publishing.markdown import MarkdownTooComplex
from publishing.signals import content_written

BATCH_SIZE = 200


class Command(BaseCommand):
    help = "Re-render the stored HTML of all posts, talks and people from their Markdown."

    def handle(self, *args, **options):
        for kind in all_kinds():
            model = kind.model
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
            self.stdout.write(
                f"{model._meta.verbose_name_plural}: {changed} of {total} re-rendered"
            )
        self.stdout.write(self.style.SUCCESS("Done."))

    def write(self, model, batch: list, fields: list[str]) -> int:
        """bulk_update sends no signals: the search index and the page cache hear of the
        batch through `content_written`, in the transaction that wrote it."""
        model.objects.bulk_update(batch, fields)
        content_written.send(sender=model, pks=[item.pk for item in batch])
        return len(batch)
