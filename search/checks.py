from django.core.checks import Error, register
from django.db import connections


@register("database")
def fts5_available(app_configs, databases=None, **kwargs):
    """Search on SQLite needs FTS5, which the SQLite of CPython's and Debian's builds have."""
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "sqlite":
            continue
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA compile_options")
            options = {row[0] for row in cursor.fetchall()}
        if "ENABLE_FTS5" not in options:
            errors.append(
                Error(
                    "This SQLite has no FTS5: search needs it.",
                    hint="Use a Python whose sqlite3 module is built with FTS5 (CPython's "
                    "and Debian's are), or PostgreSQL (DATABASE_URL).",
                    id="search.E001",
                )
            )
    return errors
