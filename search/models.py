from django.db import models


class DocumentField(models.TextField):
    """PostgreSQL's tsvector (the weighted words of an entry, GIN-indexed); elsewhere an
    unused text column (SQLite searches the entry through its FTS5 table)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class Entry(models.Model):
    """The words search reads of one post, talk or person, by weight (search.index writes
    them).

    Whether the item is public is not stored: search joins its hits to `published()` when
    it runs, so publishing, unpublishing or a scheduled date needs no new entry."""

    kind = models.CharField(max_length=10)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()  # the title of a post or talk, the name of a person
    tags = models.TextField(blank=True)
    # Description and subtitle of a post; event and city of a talk; job title and short bio
    # of a person.
    other = models.TextField(blank=True)
    body = models.TextField(blank=True)
    document = DocumentField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_item")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"
