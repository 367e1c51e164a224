"""Loaded with `-p tests.environment` before pytest-django configures Django."""

import os

# The suite runs with local-development settings (no TLS redirect, a throwaway key).
os.environ.setdefault("DJANGO_DEBUG", "1")
# Absolute URLs name one fixed address, whatever host a test request uses; tests of the
# address taken from the request unset it (tests/publishing/test_site_url.py).
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
# A developer's local .env (written by `make run`) is not read: the suite sets what it needs.
os.environ.setdefault("DJANGO_ENV_FILE", os.devnull)
