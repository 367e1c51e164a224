"""Loaded with `-p tests.environment` before pytest-django configures Django."""

import os

# The suite runs with local-development settings (no TLS redirect, a throwaway key).
os.environ.setdefault("DJANGO_DEBUG", "1")
