import datetime
from pathlib import Path

import pytest
from django.core.cache import caches

from frontmatter.exporter import export_items
from frontmatter.importer import import_paths
from tests.factories import NOW, make_editor
from tests.services import (
    MediaBucket,
    bucket_storage,
    create_media_bucket,
    s3_server,
)


@pytest.fixture
def now(time_machine) -> datetime.datetime:
    """Freeze the clock at NOW; `time_machine.shift()` moves it on."""
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def editor(db):
    """A staff user in the Editors group (add, change and view content; no deletes)."""
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created in many tests; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real sites' content (present in CI, absent on a user's machine)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus of real sites is not at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Every test stores files in its own folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """The local-memory caches (the page cache's pages) outlive a
    test: every test starts with them empty, and leaves them empty."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """For tests that count what a view does: every request reaches it."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def run_import(db, media_root, django_capture_on_commit_callbacks):
    """Import like the command does, running the file writes deferred to commit."""

    def run(*paths, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return import_paths(paths, **options)

    return run


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


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    """An S3 API (moto in server mode) for the whole run: the media storage of production,
    reached over HTTP as boto3 reaches AWS, MinIO or R2."""
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def media_bucket(s3_endpoint, settings) -> MediaBucket:
    """Media stored in a bucket of its own for this test (versioned: a rewrite shows), with
    the documented bucket policy."""
    bucket = create_media_bucket(s3_endpoint, versioned=True)
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_endpoint, bucket)}
    settings.MEDIA_URL = f"{s3_endpoint}/{bucket}/"
    return MediaBucket(s3_endpoint, bucket)
