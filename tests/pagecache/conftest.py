import pytest
from django.test import Client

from pagecache.middleware import PageCacheMiddleware
from tests.pagecache import builders


@pytest.fixture(autouse=True)
def answers_recorded(monkeypatch):
    """Each request the page cache answers is noted in `builders.ANSWERED`."""
    answer = PageCacheMiddleware.answer

    def recorded(middleware, request, *args):
        builders.ANSWERED.append(request.get_full_path())
        return answer(middleware, request, *args)

    monkeypatch.setattr(PageCacheMiddleware, "answer", recorded)


@pytest.fixture
def test_views(settings):
    """The site's URLs and the test views of tests.pagecache.builders."""
    settings.ROOT_URLCONF = "tests.pagecache.builders"


@pytest.fixture
def visitor():
    """A second, anonymous browser, beside `client` when that one is an editor's."""
    return Client()
