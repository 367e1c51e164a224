from pathlib import Path

import pytest

from publishing.exporter import export_items


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
