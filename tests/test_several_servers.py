"""Several app servers: two gunicorn processes on one PostgreSQL, one Redis and one
S3-compatible store (moto in server mode), run with production settings over plain HTTP.
What one server writes (an edit, an upload, a rendition) the other shows at once.

Needs PostgreSQL and Redis (CI runs both): SERVERS_POSTGRES_URL names the server and the
database the test creates and drops (postgres://postgres@127.0.0.1:5432/cms_servers),
SERVERS_REDIS_URL the Redis database it empties (redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import gunicorn  # noqa: F401  (a dev dependency: missing, the module fails, never skips)
import psycopg
import pytest
import requests
from django.conf import settings
from psycopg import sql

from tests.images.builders import image_bytes
from tests.publishing.builders import post_form, write_post_bundle
from tests.services import (
    DEFAULT_PORTS,
    S3_KEYS,
    S3_REGION,
    MediaBucket,
    create_media_bucket,
    free_port,
    reachable,
    redis_command,
    wait_until,
)

POSTGRES_URL = os.environ.get(
    "SERVERS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cms_servers"
)
REDIS_URL = os.environ.get("SERVERS_REDIS_URL", "redis://127.0.0.1:6379/0")
EDITOR, PASSWORD = "editor", secrets.token_urlsafe(16)


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, session: requests.Session | None = None) -> requests.Response:
        return (session or requests).get(urljoin(self.url, path), timeout=30)


def postgres_database() -> tuple[str, str]:
    """The server's maintenance connection and the name of the test's own database."""
    parts = urlsplit(POSTGRES_URL)
    name = parts.path.strip("/")
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), f"an odd database name: {name!r}"
    return parts._replace(path="/postgres").geturl(), name


def services_or_skip() -> None:
    if not reachable(POSTGRES_URL):
        pytest.skip(
            f"PostgreSQL is not reachable at {address(POSTGRES_URL)} (SERVERS_POSTGRES_URL)"
        )
    try:
        redis_command(REDIS_URL, "PING")
    except OSError as error:
        pytest.skip(f"Redis is not reachable at {address(REDIS_URL)} (SERVERS_REDIS_URL): {error}")


def address(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or DEFAULT_PORTS[parts.scheme]}"


def drop_database(create_again: bool = False) -> None:
    maintenance, name = postgres_database()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create_again:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def production_environment(
    s3_endpoint: str, bucket: str, site_url: str, static_root: Path
) -> dict[str, str]:
    """Production settings as deploy/README.md gives them, over plain HTTP on one machine."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")
    }
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOCAL_HTTP="1",
        DJANGO_ENV_FILE=os.devnull,
        DJANGO_STATIC_ROOT=str(static_root),
        SITE_URL=site_url,
        DATABASE_URL=POSTGRES_URL,
        REDIS_URL=REDIS_URL,
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=S3_REGION,
        AWS_ACCESS_KEY_ID=S3_KEYS["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=S3_KEYS["aws_secret_access_key"],
    )
    return environment


def manage(environment: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr}"


def start_server(environment: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: teardown ends master and workers
        )


def answers(server: AppServer) -> bool:
    if server.process.poll() is not None:
        raise AssertionError(f"gunicorn at {server.url} exited:\n{server.log.read_text()}")
    try:
        return requests.get(urljoin(server.url, "/robots.txt"), timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # still starting
        return False


def stop(server: AppServer) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=30)


@dataclass
class Cluster:
    a: AppServer
    b: AppServer
    bucket: MediaBucket
    environment: dict[str, str]  # the servers' settings, for management commands


@pytest.fixture(scope="module")
def cluster(s3_endpoint, tmp_path_factory) -> Cluster:
    services_or_skip()
    drop_database(create_again=True)
    redis_command(REDIS_URL, "FLUSHDB")
    bucket = MediaBucket(s3_endpoint, create_media_bucket(s3_endpoint, versioned=True))
    logs = tmp_path_factory.mktemp("servers")
    port_a = free_port()
    port_b = free_port(taken={port_a})
    url_a, url_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    environment = production_environment(
        s3_endpoint, bucket.name, url_a, tmp_path_factory.mktemp("static")
    )
    manage(environment, "collectstatic", "--no-input")
    manage(environment, "migrate", "--no-input")
    manage(
        {
            **environment,
            "DJANGO_SUPERUSER_USERNAME": EDITOR,
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
            "DJANGO_SUPERUSER_EMAIL": "editor@example.org",
        },
        "createsuperuser",
        "--no-input",
    )
    servers = []
    try:
        for url, port in ((url_a, port_a), (url_b, port_b)):
            log = logs / f"gunicorn-{port}.log"
            process = start_server({**environment, "SITE_URL": url}, port, log)
            servers.append(AppServer(url, process, log))
        for server in servers:
            wait_until(
                lambda server=server: answers(server), f"{server.url} did not answer", timeout=120
            )
        yield Cluster(servers[0], servers[1], bucket, environment)
    finally:
        for server in servers:
            stop(server)
        drop_database()


def logged_in(server: AppServer) -> requests.Session:
    """An editor's session, logged in through `server`'s admin login form."""
    session = requests.Session()
    login = urljoin(server.url, "/admin/login/")
    session.get(login, timeout=30).raise_for_status()
    response = session.post(
        login,
        data={
            "username": EDITOR,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, "the editor could not log in"
    return session


def csrf_token(session: requests.Session, server: AppServer, path: str) -> str:
    page = session.get(urljoin(server.url, path), timeout=30)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def save_post(session, server: AppServer, pk: int | None = None, files=None, **fields) -> int:
    """Add (or change) a post through `server`'s admin form; returns its id."""
    path = f"/admin/blog/post/{pk}/change/" if pk else "/admin/blog/post/add/"
    data = {
        **post_form(**fields),
        "csrfmiddlewaretoken": csrf_token(session, server, path),
        "_continue": "Save and continue editing",
    }
    del data["_save"]
    response = session.post(
        urljoin(server.url, path), data=data, files=files, timeout=60, allow_redirects=False
    )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^"]*">(.*?)</ul>', response.text, re.S
    )
    return int(re.search(r"/admin/blog/post/(\d+)/change/", response.headers["Location"])[1])


PUBLISHED = {"status": "published", "date_0": "2024-06-20", "date_1": "18:00:00"}


def post_path(slug: str) -> str:
    return f"/blog/2024/06/20/{slug}/"


def picture_urls(html: str) -> set[str]:
    """Every image address in a page's <picture> elements (src and srcset)."""
    urls = set()
    for picture in re.findall(r"<picture>.*?</picture>", html, re.S):
        for attribute in re.findall(r'(?:srcset|src)="([^"]+)"', picture):
            urls.update(part.split()[0] for part in attribute.split(",") if part.strip())
    return urls


def test_an_edit_through_one_server_is_visible_through_the_other_at_once(cluster):
    editor = logged_in(cluster.a)
    fields = {
        **PUBLISHED,
        "title": "Before the edit",
        "slug": "edited-post",
        "uuid": "0b5c3a5e-1f44-4f4e-9c5f-2f2f5d1f6a01",
    }
    pk = save_post(editor, cluster.a, **fields)
    # Seen through B first, so that a cache in front of B would now hold each page.
    pages = [post_path("edited-post"), "/blog/", "/"]
    for path in pages:
        assert "Before the edit" in cluster.b.get(path).text, path

    save_post(editor, cluster.a, pk, **{**fields, "title": "After the edit"})

    for path in pages:
        page = cluster.b.get(path).text
        assert "After the edit" in page, path
        assert "Before the edit" not in page, path


def test_an_image_uploaded_through_one_server_is_served_by_the_other(cluster):
    editor = logged_in(cluster.a)
    data = image_bytes(1200, 800, image_format="PNG", color="orange")
    save_post(
        editor,
        cluster.a,
        files={"header_image": ("cover.png", data, "image/png")},
        **PUBLISHED,
        title="With a header",
        slug="with-a-header",
        uuid="0b5c3a5e-1f44-4f4e-9c5f-2f2f5d1f6a02",
        header_image_alt="An orange square",
    )
    assert len(cluster.bucket.names("images/")) == 1

    page = cluster.b.get(post_path("with-a-header"))
    assert page.status_code == 200
    urls = picture_urls(page.text)
    assert urls, "no header picture on the page served by B"
    media_origin = f"{cluster.bucket.endpoint}/{cluster.bucket.name}/renditions/"
    for url in urls:
        assert url.startswith(media_origin), url
        served = requests.get(url, timeout=30)
        assert served.status_code == 200, url
        assert served.headers["Content-Type"] in {"image/webp", "image/png"}
        assert served.content == cluster.bucket.read(
            url.removeprefix(f"{cluster.bucket.endpoint}/{cluster.bucket.name}/")
        )


def test_renditions_made_by_one_server_are_reused_by_the_other(cluster):
    editor = logged_in(cluster.a)
    save_post(
        editor,
        cluster.a,
        files={"header_image": ("photo.jpg", image_bytes(1600, 900, color="navy"), "image/jpeg")},
        **PUBLISHED,
        title="Rendered once",
        slug="rendered-once",
        uuid="0b5c3a5e-1f44-4f4e-9c5f-2f2f5d1f6a03",
        header_image_alt="A navy rectangle",
    )
    made_by_a = picture_urls(cluster.a.get(post_path("rendered-once")).text)
    assert made_by_a
    writes = cluster.bucket.writes("renditions/")

    # An editor's request is never served from a page cache: B renders the page itself.
    seen_by_b = picture_urls(cluster.b.get(post_path("rendered-once"), logged_in(cluster.b)).text)

    assert seen_by_b == made_by_a
    assert cluster.bucket.writes("renditions/") == writes
    assert set(writes.values()) == {1}, "a rendition was written twice"


def test_an_import_run_beside_the_servers_is_visible_through_both(cluster, tmp_path):
    cover, diagram = image_bytes(800, 600, color="maroon"), image_bytes(400, 300, "PNG")
    write_post_bundle(
        tmp_path,
        "![A diagram](./diagram.png)\n\nImported beside the servers.",
        {"cover.jpg": cover, "diagram.png": diagram},
        header_img="./cover.jpg",
        slug="imported-beside",
    )
    path = "/blog/2024/05/01/imported-beside/"
    assert path not in cluster.b.get("/blog/").text  # a cache in front of B now holds it

    manage(cluster.environment, "import_markdown", str(tmp_path))

    assert path in cluster.b.get("/blog/").text
    for server in (cluster.a, cluster.b):
        page = server.get(path)
        assert page.status_code == 200, server.url
        assert "Imported beside the servers." in page.text
    stored = {hashlib.sha256(data).hexdigest() for data in (cover, diagram)}
    in_bucket = {name.split("/")[-1].split(".")[0] for name in cluster.bucket.names("images/")}
    assert stored <= in_bucket
