"""Configuration a newcomer cannot get wrong: a `.env` file that `make run` writes, real
environment variables winning over it, one line saying what to set when something is
missing, and a production-like run over plain HTTP that is refused for a public host."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)

SETTINGS_DUMP = """
import json
from django.conf import settings
print(json.dumps({
    name: getattr(settings, name)
    for name in (
        "DEBUG", "SITE_NAME", "SITE_DESCRIPTION", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS",
    )
}))
"""


def clean_environment(env_file: Path | str = os.devnull, **variables: str) -> dict[str, str]:
    """A shell with none of the site's variables, reading `env_file` as its .env."""
    return {"PATH": os.environ["PATH"], "DJANGO_ENV_FILE": str(env_file), **variables}


def run(args: list[str], env: dict[str, str], cwd: Path = BASE_DIR) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def manage_py(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env)


def settings_under(env: dict[str, str]) -> dict:
    result = manage_py(env, "shell", "--no-imports", "-c", SETTINGS_DUMP)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_no_configuration_manage_py_says_in_one_line_what_to_set():
    result = manage_py(clean_environment(), "check")

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "manage.py: DJANGO_SECRET_KEY is not set: run `make run` once to write a local .env, "
        "or set the variables in .env.example (production: deploy/production.env.example)."
    ]


def test_with_no_configuration_gunicorn_says_in_one_line_what_to_set():
    result = run([sys.executable, "-m", "gunicorn", "--check-config"], clean_environment())

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gunicorn: DJANGO_SECRET_KEY is not set")


def test_production_without_allowed_hosts_says_in_one_line_what_to_set():
    result = manage_py(clean_environment(DJANGO_SECRET_KEY="k" * 60), "check")

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "manage.py: DJANGO_ALLOWED_HOSTS is not set: the host names the site answers to, "
        "comma-separated (e.g. www.example.org)."
    ]


def test_a_site_url_with_a_path_is_refused_in_one_line():
    env = clean_environment(DJANGO_DEBUG="1", SITE_URL="https://www.example.org/blog")
    result = manage_py(env, "check")

    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "SITE_URL must be an origin like https://www.example.org" in result.stderr


def test_the_env_file_is_read_and_real_variables_win_over_it(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DJANGO_DEBUG=1\nSITE_NAME=Named in the file\nSITE_DESCRIPTION=Described in the file\n"
    )
    found = settings_under(clean_environment(env_file, SITE_NAME="Named in the environment"))

    assert found["DEBUG"] is True
    assert found["SITE_DESCRIPTION"] == "Described in the file"
    assert found["SITE_NAME"] == "Named in the environment"


@pytest.fixture
def fresh_clone(tmp_path) -> Path:
    """The files `make .env` needs, in a folder of their own."""
    shutil.copy(BASE_DIR / "Makefile", tmp_path / "Makefile")
    return tmp_path


def make_env_file(folder: Path) -> subprocess.CompletedProcess:
    return run(["make", f"PYTHON={sys.executable}", ".env"], clean_environment(), cwd=folder)


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_writes_a_local_env_file_once_with_debug_on_and_a_new_secret_key(fresh_clone):
    assert make_env_file(fresh_clone).returncode == 0
    written = (fresh_clone / ".env").read_text()
    assert re.search(r"^DJANGO_DEBUG=1$", written, re.M)
    key = re.search(r"^DJANGO_SECRET_KEY=(\S+)$", written, re.M)[1]
    assert len(key) >= 50

    assert make_env_file(fresh_clone).returncode == 0
    assert (fresh_clone / ".env").read_text() == written  # never overwritten

    other = fresh_clone / "other"
    other.mkdir()
    shutil.copy(fresh_clone / "Makefile", other / "Makefile")
    assert make_env_file(other).returncode == 0
    assert key not in (other / ".env").read_text()  # every clone has its own key


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_after_make_run_writes_env_the_readme_commands_work_as_printed(fresh_clone):
    assert make_env_file(fresh_clone).returncode == 0
    env = clean_environment(
        fresh_clone / ".env",
        DATABASE_URL=f"sqlite:///{fresh_clone / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(fresh_clone / "media"),
    )
    steps = [
        ("migrate", "--no-input", "--verbosity", "0"),
        ("import_markdown", "demo/mainmatter/posts", "demo/mainmatter/authors"),
        ("export_markdown", str(fresh_clone / "export")),
    ]
    for step in steps:
        result = manage_py(env, *step)
        assert result.returncode == 0, f"{step}: {result.stderr}"
    assert (fresh_clone / "export").is_dir()


def test_make_serve_settings_work_over_plain_http_on_this_machine():
    env = clean_environment(
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_DEBUG="0",
        DJANGO_LOCAL_HTTP="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    found = settings_under(env)

    assert found["DEBUG"] is False
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SESSION_COOKIE_SECURE"] is False
    assert found["CSRF_COOKIE_SECURE"] is False
    assert found["SECURE_HSTS_SECONDS"] == 0


def test_plain_http_is_refused_for_a_site_others_reach():
    env = clean_environment(
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_LOCAL_HTTP="1",
        DJANGO_ALLOWED_HOSTS="localhost,www.example.org",
    )
    result = manage_py(env, "check")

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "manage.py: DJANGO_LOCAL_HTTP=1 is for this machine only: DJANGO_ALLOWED_HOSTS may "
        "then name only 127.0.0.1, ::1, [::1], localhost."
    ]


def test_production_without_site_url_fails_the_deployment_check():
    env = clean_environment(DJANGO_SECRET_KEY="k" * 60, DJANGO_ALLOWED_HOSTS="www.example.org")
    result = manage_py(env, "check", "--deploy")

    assert result.returncode != 0
    assert "publishing.E001" in result.stderr
    assert "SITE_URL is not set." in result.stderr


def test_the_env_example_documents_every_variable_the_settings_read():
    source = (BASE_DIR / "config" / "settings.py").read_text()
    read = set(re.findall(r"(?:environ\.get|env_\w+)\(\s*\"([A-Z][A-Z0-9_]+)\"", source))
    documented = set(
        re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M)
    )
    assert read
    assert read - documented == set()
