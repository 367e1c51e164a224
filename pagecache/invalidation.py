"""What invalidates the cached pages: any save or delete of content, from anywhere.

Every model of the apps whose data pages show is watched (posts, talks, people, tags, the
publishing base, images, redirects, sites), so a model added to one of them later is
covered without a change here. Paths that send no signals (`QuerySet.update()`,
`bulk_create()`, `bulk_update()`, raw SQL) send `publishing.signals.content_written`
in the transaction that wrote (the importer, `render_markdown`, the admin's publish
actions), which invalidates too. Data migrations run with
historical models, which send no signals these receivers know: `migrate` invalidates once
when it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from pagecache.models import SiteVersion, invalidate_all_pages
from publishing.signals import content_written

WATCHED_APPS = ("blog", "talks", "people", "publishing", "images", "taggit", "redirects", "sites")
# Renditions are made while a page renders, for the page being rendered: their creation
# changes no other page (and must not invalidate every page each time a new image is first
# shown). Deleting one does change pages.
CREATED_WHILE_RENDERING = {"images.rendition"}

_deferral = threading.local()


def content_changed(sender, using="default", **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only once the change is made
    if getattr(_deferral, "depth", 0):
        _deferral.pending = True
        return
    invalidate_all_pages(using)


@contextmanager
def invalidation_deferred() -> Iterator[None]:
    """Within this block (in this thread), saves and deletes do not invalidate one by one:
    the block invalidates once when it ends, if anything changed. For bulk writers, which
    must also call `invalidate_all_pages()` inside each transaction they commit, so that
    pages are not stale between a commit and the end of the block."""
    _deferral.depth = getattr(_deferral, "depth", 0) + 1
    try:
        yield
    finally:
        _deferral.depth -= 1
        if not _deferral.depth and getattr(_deferral, "pending", False):
            _deferral.pending = False
            invalidate_all_pages()


def migrated(sender, using="default", **kwargs) -> None:
    if SiteVersion._meta.db_table in connections[using].introspection.table_names():
        invalidate_all_pages(using)


def connect_signals(app_config: AppConfig) -> None:
    for label in WATCHED_APPS:
        try:
            app = apps.get_app_config(label)
        except LookupError:
            continue  # not installed
        for model in app.get_models(include_auto_created=True):
            uid = f"pagecache:{model._meta.label_lower}"
            if model._meta.label_lower not in CREATED_WHILE_RENDERING:
                post_save.connect(content_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
            m2m_changed.connect(content_changed, sender=model, dispatch_uid=uid)
    post_migrate.connect(migrated, sender=app_config, dispatch_uid="pagecache:migrate")
    content_written.connect(content_changed, dispatch_uid="pagecache:bulk")
