import pytest
from django.test import Client


@pytest.fixture
def test_views(settings):
    """The site's URLs and the test views of tests.pagecache.builders."""
    settings.ROOT_URLCONF = "tests.pagecache.builders"


@pytest.fixture
def visitor():
    """A second, anonymous browser, beside `client` when that one is an editor's."""
    return Client()
