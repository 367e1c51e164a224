"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()

# Cached pages are answered before Django's request handling (pagecache.wsgi); imported
# once get_wsgi_application() has set Django up, as it loads models.
from pagecache.wsgi import PageCacheFront  # noqa: E402

application = PageCacheFront(django_application)
