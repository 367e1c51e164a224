import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from publishing.exporter import export_items
from publishing.sourcefiles import split_source


@pytest.fixture
def site(tmp_path) -> Path:
    """An empty folder to write a site's files into."""
    path = tmp_path / "site"
    path.mkdir()
    return path


@pytest.fixture
def run_export(db, tmp_path):
    counter = iter(range(1000))

    def run(**options) -> Path:
        outdir = tmp_path / f"export-{next(counter)}"
        report = export_items(outdir, **options)
        assert report.ok, report.errors
        return outdir

    return run


def markdown_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def front_matter_and_body(data: bytes) -> tuple[dict, str]:
    from publishing.sourcefiles import parse_front_matter

    text = data.decode("utf-8")
    _, front_matter, body = split_source(text, "file")
    return parse_front_matter(front_matter.replace("\r\n", "\n"), "file"), body


def manage_py(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `manage.py ARGS` as a user would, on a throwaway SQLite database."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
