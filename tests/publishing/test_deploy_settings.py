"""The production settings example (deploy/): it passes Django's deployment checklist, serves
media from another origin, trusts a proxy only when told to, and nginx's example serves
media as publishing.media does."""

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from blog.models import Post
from publishing.filetypes import FILE_TYPES
from publishing.media import MEDIA_CACHE_CONTROL, MEDIA_CONTENT_SECURITY_POLICY, STORED_NAME_RE
from tests.publishing.builders import DEPLOY, example_environment, manage_py_with

NGINX_EXAMPLE = DEPLOY / "nginx.conf.example"

SETTINGS_DUMP = """
import json
from django.conf import settings
from django.urls import Resolver404, resolve
try:
    resolve("/media/files/ab/" + "ab" * 32 + ".pdf")
    media_served_here = True
except Resolver404:
    media_served_here = False
print(json.dumps({
    "debug": settings.DEBUG,
    "proxy_ssl_header": settings.SECURE_PROXY_SSL_HEADER,
    "client_ip_callable": settings.AXES_CLIENT_IP_CALLABLE,
    "csp": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "media_served_here": media_served_here,
}))
"""


def settings_under(env: dict[str, str]) -> dict:
    result = manage_py_with(env, "shell", "--no-imports", "-c", SETTINGS_DUMP)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_production_example_passes_the_deployment_checklist_with_no_warnings():
    result = manage_py_with(example_environment(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_the_production_example_serves_media_from_another_origin():
    env = example_environment()
    media, site = urlsplit(env["DJANGO_MEDIA_URL"]), urlsplit(env["SITE_URL"])
    assert media.scheme == site.scheme == "https"
    assert media.netloc and media.netloc != site.netloc

    production = settings_under(env)
    assert production["debug"] is False
    assert production["media_served_here"] is False
    media_origin = f"https://{media.netloc}"
    assert production["csp"]["img-src"] == ["'self'", "data:", media_origin]
    assert production["csp"]["media-src"] == ["'self'", media_origin]
    assert production["csp"]["script-src"] == ["'self'"]


def test_the_proxy_headers_are_trusted_only_when_the_setting_says_so():
    env = example_environment()
    assert env["DJANGO_BEHIND_TLS_PROXY"] == "1"
    behind_proxy = settings_under(env)
    assert behind_proxy["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind_proxy["client_ip_callable"] == "config.proxy.client_ip"

    del env["DJANGO_BEHIND_TLS_PROXY"]
    direct = settings_under(env)
    assert direct["proxy_ssl_header"] is None
    assert direct["client_ip_callable"] is None


def test_a_forged_forwarded_proto_does_not_make_a_request_secure(client, settings):
    assert settings.SECURE_PROXY_SSL_HEADER is None  # the suite runs without the opt-in
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/robots.txt", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def nginx_media_location() -> tuple[str, str]:
    config = NGINX_EXAMPLE.read_text()
    match = re.search(r'location ~ "(?P<pattern>[^"]+)" \{(?P<block>.*?)\n    \}', config, re.S)
    assert match, "no media location in the nginx example"
    return match["pattern"], match["block"]


def test_the_nginx_example_serves_the_same_names_as_the_app():
    pattern, _ = nginx_media_location()
    nginx = re.compile(pattern)
    digest = "ab" * 32
    for name in (f"renditions/ab/{digest}.webp", f"files/ab/{digest}.pdf", f"files/ab/{digest}"):
        assert nginx.match("/" + name) and STORED_NAME_RE.fullmatch(name), name
    for name in (
        f"images/ab/{digest}.jpg",
        f"og/ab/{digest}.jpg",
        f"files/ab/../{digest}.pdf",
        f"files/ab/{digest}.pdf/x",
        "files/ab/not-a-digest.pdf",
    ):
        assert not nginx.match("/" + name) and not STORED_NAME_RE.fullmatch(name), name


def test_the_nginx_example_sends_the_headers_of_the_file_table():
    config = NGINX_EXAMPLE.read_text()
    _, block = nginx_media_location()
    types_block = re.search(r"types \{(.*?)\}", block, re.S)[1]
    nginx_types = {ext: mime for mime, ext in re.findall(r"(\S+)\s+(\w+);", types_block)}
    charset_types = re.search(r"charset_types ([^;]+);", block)[1].split()
    inline_pattern = re.search(r"~\\\.\((?P<exts>[a-z|]+)\)\$", config)["exts"]

    for file_type in FILE_TYPES:
        extension = file_type.extension.removeprefix(".")
        media_type, _, parameters = file_type.media_type.partition(";")
        assert nginx_types[extension] == media_type, extension
        assert (media_type in charset_types) == ("charset=utf-8" in parameters), extension
    assert set(nginx_types) == {t.extension.removeprefix(".") for t in FILE_TYPES}
    assert set(inline_pattern.split("|")) == {
        t.extension.removeprefix(".") for t in FILE_TYPES if t.inline
    }
    assert "default_type application/octet-stream;" in block
    assert "add_header X-Content-Type-Options nosniff always;" in block
    assert f'add_header Content-Security-Policy "{MEDIA_CONTENT_SECURITY_POLICY}" always;' in block
    assert f'add_header Cache-Control "{MEDIA_CACHE_CONTROL}" always;' in block
    assert "add_header Content-Disposition $media_disposition always;" in block


@pytest.mark.django_db
def test_load_demo_with_debug_off_imports_the_content_but_creates_no_editor(settings):
    assert not settings.DEBUG
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err)

    assert Post.objects.count() == 6
    assert not User.objects.exists()
    assert err.getvalue().strip().splitlines()[-1] == (
        "Demo editor not created: DEBUG is off, and an account with a published password "
        "must not exist outside local use (use manage.py createsuperuser)."
    )
    assert "editor-demo" not in out.getvalue()
