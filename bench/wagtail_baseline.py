"""Build a minimal Wagtail blog from PyPI, outside this repository, as the serving baseline.

    python bench/wagtail_baseline.py build DIR --corpus CORPUS   # venv, site, database, posts
    python bench/wagtail_baseline.py load DIR --corpus CORPUS    # (re)load the posts only
    python bench/wagtail_baseline.py serve DIR [--port 8160] [--workers 2]

`build` makes DIR/venv (Wagtail, Django 5.2, gunicorn, WhiteNoise, PyYAML, markdown-it-py,
whatever versions PyPI gives), lays out DIR/site with Wagtail's own `wagtail start`
template, adds a `blog` app written here (a blog index page, paginated 10 per page, whose
cards show title, date, summary and tags; post pages with title, date, author, tags and a
rich-text body), production settings (DEBUG off, SQLite, WhiteNoise for static files,
Wagtail's defaults otherwise: no cache), migrates, collects static files and loads the
posts of a corpus made by bench/make_corpus.py. Bodies are rendered from the same Markdown
to HTML once, at load (markdown-it-py, CommonMark with tables and strikethrough), and
stored in a RichTextField that the template renders with Wagtail's `richtext` filter.
Talks and author profiles are not loaded: the baseline has no such pages.

Its URLs: `/blog/` (the index; `?page=2` for the next page) and `/blog/<slug>/` (a post).
bench/serve.py measures it beside this project (`--wagtail-dir DIR` starts it itself).
No Wagtail code is kept in this repository: the site is generated from the package.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PACKAGES = [
    "wagtail>=7",
    "Django>=5.2,<6",
    "gunicorn>=23",
    "whitenoise>=6.6",
    "PyYAML>=6",
    "markdown-it-py>=3",
]
SETTINGS_MODULE = "benchsite.settings.bench"
DEFAULT_PORT = 8160

MODELS = """
from django.core.paginator import Paginator
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.fields import RichTextField
from wagtail.models import Page


class BlogIndexPage(Page):
    subpage_types = ["blog.BlogPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = (
            BlogPage.objects.live().child_of(self).order_by("-date").prefetch_related("tags")
        )
        context["posts"] = Paginator(posts, 10).get_page(request.GET.get("page"))
        return context


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "BlogPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class BlogPage(Page):
    date = models.DateTimeField(db_index=True)
    author = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    body = RichTextField(blank=True)
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)

    parent_page_types = ["blog.BlogIndexPage"]
"""

INDEX_TEMPLATE = """
{% extends "base.html" %}
{% load wagtailcore_tags %}
{% block body_class %}template-blogindexpage{% endblock %}
{% block content %}
<h1>{{ page.title }}</h1>
{% for post in posts %}
<article class="card">
  <h2><a href="{% pageurl post %}">{{ post.title }}</a></h2>
  <p><time datetime="{{ post.date|date:'c' }}">{{ post.date|date:"j F Y" }}</time></p>
  <p>{{ post.summary }}</p>
  <ul class="tags">{% for tag in post.tags.all %}<li>{{ tag }}</li>{% endfor %}</ul>
</article>
{% endfor %}
<nav class="pagination">
  {% if posts.has_previous %}<a href="?page={{ posts.previous_page_number }}">Newer</a>{% endif %}
  <span>Page {{ posts.number }} of {{ posts.paginator.num_pages }}</span>
  {% if posts.has_next %}<a href="?page={{ posts.next_page_number }}">Older</a>{% endif %}
</nav>
{% endblock %}
"""

POST_TEMPLATE = """
{% extends "base.html" %}
{% load wagtailcore_tags %}
{% block body_class %}template-blogpage{% endblock %}
{% block content %}
<article>
  <h1>{{ page.title }}</h1>
  <p><time datetime="{{ page.date|date:'c' }}">{{ page.date|date:"j F Y" }}</time>
  {% if page.author %}by {{ page.author }}{% endif %}</p>
  <ul class="tags">{% for tag in page.tags.all %}<li>{{ tag }}</li>{% endfor %}</ul>
  {{ page.body|richtext }}
</article>
<p><a href="{{ page.get_parent.url }}">Back to the blog</a></p>
{% endblock %}
"""

SETTINGS = """
# Production settings of the serving baseline (written by bench/wagtail_baseline.py).
import os

from .production import *  # noqa: F403

INSTALLED_APPS = ["blog", *INSTALLED_APPS]  # noqa: F405
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "baseline-only-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
MIDDLEWARE = [  # noqa: F405
    MIDDLEWARE[0],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
"""

LOADER = '''
"""Load the posts of a bench/make_corpus.py corpus as pages under /blog/."""

import datetime
import re
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from markdown_it import MarkdownIt
from wagtail.models import Page

from blog.models import BlogIndexPage, BlogPage

MAINMATTER_NAME = re.compile(r"^(\\d{4}-\\d{2}-\\d{2})-(.+)$")
BUNDLE_NAME = re.compile(r"^(\\d{4}-\\d{2}-\\d{2})_(.+)$")
TEMPLATE_TAG = re.compile(r"^{%.*%}$", re.MULTILINE)


def moment(value):
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
    parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def tags_of(meta):
    tags = meta.get("tags") or meta.get("topic") or []
    if isinstance(tags, str):
        tags = [tags]
    return [str(tag) for tag in tags]


def read_post(path, markdown):
    text = path.read_text("utf-8")
    _, head, body = text.split("---\\n", 2)
    meta = yaml.safe_load(head) or {}
    if meta.get("status") == "draft":
        return None  # not on the site, as in the project
    name = path.parent.name if path.name == "index.md" else path.stem
    match = MAINMATTER_NAME.match(name) or BUNDLE_NAME.match(name)
    slug = meta.get("slug") or (match.group(2) if match else name)
    date = meta.get("date") or (match.group(1) if match else None)
    summary = meta.get("description") or meta.get("subtitle") or ""
    date = moment(date)
    if date > timezone.now():
        return None  # scheduled, as the project treats it: not on the site yet
    return BlogPage(
        title=str(meta["title"]).strip(),
        slug=slugify(str(slug)),
        date=date,
        author=str(meta.get("author") or meta.get("authorHandle") or ""),
        summary=" ".join(str(summary).split()),
        body=markdown.render(TEMPLATE_TAG.sub("", body)),
    ), tags_of(meta)


class Command(BaseCommand):
    help = "Replace the blog with the published posts of a generated corpus."

    def add_arguments(self, parser):
        parser.add_argument("corpus", type=Path)

    @transaction.atomic
    def handle(self, corpus, **options):
        markdown = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        for index in BlogIndexPage.objects.all():
            index.delete()
        home = Page.objects.get(depth=2)
        blog = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
        paths = sorted(p for p in corpus.rglob("*.md") if "posts" in p.parts)
        loaded = 0
        for path in paths:
            post = read_post(path, markdown)
            if post is None:
                continue
            page, tags = post
            page.tags.add(*tags)  # kept with the page until it is saved (modelcluster)
            blog.add_child(instance=page)
            loaded += 1
        self.stdout.write(f"{loaded} posts loaded from {len(paths)} files")
'''


def run(command: list[str | Path], **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def site_env() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}


def manage(folder: Path, *arguments: str | Path) -> None:
    site = folder / "site"
    run([folder / "venv" / "bin" / "python", site / "manage.py", *arguments], env=site_env())


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())


def make_venv(folder: Path, python: str) -> None:
    venv = folder / "venv"
    if not (venv / "bin" / "python").exists():
        run([python, "-m", "venv", venv])
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", *PACKAGES])


def make_site(folder: Path) -> None:
    site = folder / "site"
    if not (site / "manage.py").exists():
        site.mkdir(parents=True, exist_ok=True)
        run([folder / "venv" / "bin" / "wagtail", "start", "benchsite", site])
    write_blog_app(site)
    manage(folder, "makemigrations", "blog", "--verbosity", "0")
    manage(folder, "migrate", "--no-input", "--verbosity", "0")
    manage(folder, "collectstatic", "--no-input", "--verbosity", "0")


def write_blog_app(site: Path) -> None:
    blog = site / "blog"
    write(blog / "__init__.py", "")
    write(blog / "models.py", MODELS)
    write(blog / "migrations" / "__init__.py", "")
    write(blog / "templates" / "blog" / "blog_index_page.html", INDEX_TEMPLATE)
    write(blog / "templates" / "blog" / "blog_page.html", POST_TEMPLATE)
    write(blog / "management" / "__init__.py", "")
    write(blog / "management" / "commands" / "__init__.py", "")
    write(blog / "management" / "commands" / "load_corpus.py", LOADER)
    write(site / "benchsite" / "settings" / "bench.py", SETTINGS)


def load(folder: Path, corpus: Path) -> None:
    write_blog_app(folder / "site")  # the loader as this script has it now
    manage(folder, "load_corpus", corpus.resolve())
    (folder / "loaded-corpus.txt").write_text(str(corpus.resolve()))


def loaded_corpus(folder: Path) -> Path | None:
    """The corpus last loaded into the site in `folder`, if any."""
    marker = folder / "loaded-corpus.txt"
    return Path(marker.read_text().strip()) if marker.exists() else None


def gunicorn_command(folder: Path, port: int, workers: int) -> list[str]:
    return [
        str(folder / "venv" / "bin" / "gunicorn"),
        "benchsite.wsgi:application",
        "--chdir",
        str(folder / "site"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="venv, Wagtail site, database and posts")
    build.add_argument("folder", type=Path)
    build.add_argument("--corpus", type=Path, required=True, help="from bench/make_corpus.py")
    build.add_argument("--python", default=sys.executable, help="Python for the venv")
    reload = commands.add_parser("load", help="replace the posts with a corpus's")
    reload.add_argument("folder", type=Path)
    reload.add_argument("--corpus", type=Path, required=True)
    serve = commands.add_parser("serve", help="gunicorn in the foreground")
    serve.add_argument("folder", type=Path)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    folder = args.folder.resolve()
    if args.command in {"build", "load"} and not args.corpus.is_dir():
        parser.error(f"{args.corpus}: not a folder (make one with bench/make_corpus.py)")
    if args.command == "build":
        make_venv(folder, args.python)
        make_site(folder)
        load(folder, args.corpus)
    elif args.command == "load":
        load(folder, args.corpus)
    else:
        command = gunicorn_command(folder, args.port, args.workers)
        os.execve(command[0], command, site_env())
    return 0


if __name__ == "__main__":
    sys.exit(main())
