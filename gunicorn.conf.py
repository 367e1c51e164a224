"""gunicorn's settings, read from the project root by default: `make serve`, the Procfile and
deploy/cms.service all start `gunicorn` with them. Listens on 127.0.0.1:8000 unless told
otherwise (`--bind`, or PORT=8000 for 0.0.0.0:8000 as platforms set it).
"""

import multiprocessing
import os
import sys
from pathlib import Path

wsgi_app = "config.wsgi:application"

# WEB_CONCURRENCY worker processes; by default gunicorn's rule for sync workers, two per
# CPU core plus one (5 on a 2-core machine). Each worker holds its own copy of the site.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)

# Django decides whom to trust with X-Forwarded-Proto (DJANGO_BEHIND_TLS_PROXY,
# deploy/README.md); gunicorn trusts nobody, or a local client could claim HTTPS.
forwarded_allow_ips = ""

# No control socket: its default path is per user, shared by every server that user runs.
control_socket_disable = True


def _refuse_to_start_without_settings() -> None:
    """A missing setting is one line before any worker starts, not a traceback per worker."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    from config.environment import MissingSetting

    try:
        settings.SECRET_KEY  # noqa: B018 (reading a setting loads them all)
    except MissingSetting as error:
        sys.exit(f"gunicorn: {error}")


_refuse_to_start_without_settings()
