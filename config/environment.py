"""Where the settings' environment comes from: the process environment, then a `.env` file.

`make run` writes `.env` at the project root on first use (DJANGO_DEBUG=1 and a generated
secret key), so every `manage.py` command works on a fresh clone as printed in the README.
A variable set in the real environment always wins over the file. DJANGO_ENV_FILE names
another file (tests point it elsewhere; production sets its variables and has no file).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv


class MissingSetting(ImproperlyConfigured):
    """A setting the site cannot start without. manage.py and gunicorn print the message,
    one line saying what to set, instead of a traceback."""


def load_env_file(base_dir: Path) -> Path:
    """Read the `.env` file into the environment, leaving variables already set alone."""
    path = Path(os.environ.get("DJANGO_ENV_FILE") or base_dir / ".env")
    load_dotenv(path, override=False)
    return path
