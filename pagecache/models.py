"""The site's version: one row, given a new random value by every change of content.

Every cached page remembers the version it was rendered at and is served only while that
is still the current one. The row lives in the database, which every worker process and
every app server shares (a local-memory cache is one per process), and it changes in the
same transaction as the content: a rolled-back edit invalidates nothing, a committed one
everything, at the same moment it becomes visible.
"""

import secrets

from django.db import DEFAULT_DB_ALIAS, connections, models

SITE = 1  # the primary key of the one row


def new_value() -> int:
    # Random rather than counted: a version rolled back and raised again never comes back
    # to a value some cached page was stored under.
    return secrets.randbits(62)


class SiteVersion(models.Model):
    value = models.BigIntegerField(default=new_value)

    def __str__(self):
        return f"site version {self.value}"


def current_version(using: str = DEFAULT_DB_ALIAS) -> int:
    """The current version (0 before the first change).

    Read on every cached request, so straight through the database driver's cursor: a
    third of the time of Django's cursor, which also health-checks the connection with a
    query of its own. On any error, Django's cursor, which reconnects and reports errors
    its own way. Django's query log does not see the fast read."""
    connection = connections[using]
    table = connection.ops.quote_name(SiteVersion._meta.db_table)
    sql = f"SELECT value FROM {table} WHERE id = {SITE:d}"
    try:
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except Exception:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
    return row[0] if row else 0


def invalidate_all_pages(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached page out of date, as part of the current transaction."""
    versions = SiteVersion.objects.using(using)
    if not versions.filter(pk=SITE).update(value=new_value()):
        versions.update_or_create(pk=SITE, defaults={"value": new_value()})
