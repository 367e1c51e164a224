"""Benchmark the public pages as production serves them: gunicorn, SQLite, DEBUG off, wrk.

    .venv/bin/python bench/serve.py [--n 1000] [--rounds 3] [--duration 5] [--workers 2]
        [--wagtail-dir DIR | --wagtail-url URL] [--wagtail-pages MAP] [--quick] [--keep]

In one go: generate a corpus (bench/make_corpus.py: N files, bodies of about 2,000 words,
about 30% talks; kept in the temporary folder and reused by later runs with the same
options), import it into a fresh SQLite database with production settings, collect the
static files, find one URL of every public page kind in the database and the sitemap, and
start gunicorn twice on the same database: once with the page cache off
(DJANGO_PAGE_CACHE=0) and once with the settings' default. The post detail page's HTML is
saved into the static root, so that the second server also serves it as a static file
through WhiteNoise: the ceiling of what a page cache in Python can reach. With
--wagtail-dir (a site made by bench/wagtail_baseline.py, started here too) or
--wagtail-url (a server already running), the Wagtail baseline's blog index and post page
are measured in the same rotation.

Every URL must answer 200 first. Then `wrk -t2 -c16 -d<duration>s` runs once per URL and
server per round; the order of the runs is rotated from round to round so that a slow
spell of the shared machine does not fall on the same pages each time. Printed: per page,
the median req/s and median p99 latency of the rounds, the body's bytes, and the ratios
the targets are about, each marked PASS or MISS.

Exit status: 0 when everything could be measured, whatever the targets say (they are
measurements on a shared, noisy machine, not tests; read PASS/MISS and the ratios); 1 when
a page did not answer 200, a server did not start, or wrk saw errors; 2 when wrk is
missing. No server is left running: they run in process groups of their own, stopped on
exit, on an error and on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import make_corpus  # noqa: E402
import wagtail_baseline  # noqa: E402

PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"
GUNICORN = PROJECT_DIR / ".venv" / "bin" / "gunicorn"
PORTS = {"uncached": 8150, "cached": 8151, "wagtail": wagtail_baseline.DEFAULT_PORT}
STATIC_COPY = "bench/post-detail.html"
# The Wagtail site's pages that have an equivalent here; {slug} is the measured post's.
WAGTAIL_PAGES = "blog index=/blog/,blog page 2=/blog/?page=2,post detail=/blog/{slug}/"
INSTALL_WRK = "wrk is not installed: `apt-get install wrk` (Debian/Ubuntu), then run again."

# Targets from the issue: (label, page, measured on, compared with, factor).
SPEED_FACTOR = 3.0
# A run completes at least about this many requests (3 per connection) unless that would
# take over MAX_RUN_FACTOR times --duration.
MIN_REQUESTS = 48
MAX_RUN_FACTOR = 6
STATIC_FACTOR = 0.7

# Finds one URL of every public page kind; runs inside the project with the bench settings.
DISCOVER = r"""
import json, re
from collections import Counter
from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from blog.models import Post
from people.models import Person
from talks.models import Talk

posts = Post.objects.published()
post = next(p for p in posts.order_by("-date") if re.fullmatch(r"[a-z0-9-]+", p.slug))
tag = Counter(t.slug for p in posts.prefetch_related("tags") for t in p.tags.all()).most_common(1)
author = (
    posts.exclude(author=None).values("author").annotate(n=Count("pk")).order_by("-n").first()
)
person = Person.objects.get(pk=author["author"]) if author else Person.objects.published().first()
talks = Talk.objects.published()
talk = talks.order_by("-date").first()
cities = Counter(
    city.split(",")[0].strip() for city in talks.values_list("event_city", flat=True) if city
)
rare = min(cities, key=lambda c: (cities[c], c)) if cities else "quokka"
pages = {
    "home": reverse("home"),
    "blog index": reverse("blog:post_list"),
    "blog page 2": reverse("blog:post_list") + "?page=2",
    "tag": reverse("blog:tag", kwargs={"tag": tag[0][0]}),
    "year archive": reverse("blog:year", kwargs={"year": post.date.year}),
    "post detail": post.get_absolute_url(),
    "RSS": reverse("blog:feed"),
    "Atom": reverse("blog:atom"),
    "people list": reverse("people:list"),
    "person": person.get_absolute_url(),
    "search common": reverse("search:results") + "?q=serverless",
    "search rare": reverse("search:results") + "?q=" + rare,
    "speaking archive": reverse("talks:list"),
    "talk page": talk.get_absolute_url(),
    "talks feed": reverse("talks:feed"),
    "talks.ics": reverse("talks:calendar"),
}
print(json.dumps({
    "pages": pages,
    "post_slug": post.slug,
    "whitenoise": any("whitenoise" in m.lower() for m in settings.MIDDLEWARE),
    "static_url": settings.STATIC_URL,
    "posts": posts.count(),
    "talks": talks.count(),
}))
"""


@dataclass
class Server:
    name: str
    base: str
    process: subprocess.Popen | None = None
    log: Path | None = None


@dataclass
class Job:
    page: str
    server: str  # "uncached", "cached", "static" (on the cached server) or "wagtail"
    url: str
    duration: int = 0  # seconds per wrk run, chosen from the page's single-request time
    rates: list[float] = field(default_factory=list)
    p99s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return statistics.median(self.rates) if self.rates else 0.0

    @property
    def p99(self) -> float:
        return statistics.median(self.p99s) if self.p99s else 0.0


# --- processes --------------------------------------------------------------------------


def bench_env(workdir: Path, port: int, page_cache: bool = True) -> dict[str, str]:
    """Production settings on plain HTTP, on the run's own database and folders."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SITE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="serve-bench-only-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_HSTS_PRELOAD="0",
        DJANGO_LOG_LEVEL="ERROR",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        SITE_URL=f"http://127.0.0.1:{port}",
        # Nothing from a local .env file (make run writes one with DJANGO_DEBUG=1).
        DJANGO_ENV_FILE=str(workdir / "no.env"),
    )
    if not page_cache:
        env["DJANGO_PAGE_CACHE"] = "0"
    return env


def manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PYTHON), "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def start(server: Server, command: list[str], env: dict[str, str], cwd: Path) -> None:
    """Start a server in a process group of its own (so stopping it stops its workers)."""
    assert server.log is not None
    with server.log.open("wb") as log:
        server.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(server: Server) -> None:
    process = server.process
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def wait_until_up(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"{server.name} server exited:\n{tail(server.log)}")
        try:
            fetch(server.base + "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.name} server did not answer within {timeout:.0f} s")


def tail(path: Path | None, lines: int = 20) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def stopped_on_signals() -> Iterator[None]:
    """SIGTERM/SIGHUP end the run as Ctrl-C does, so `finally` blocks stop the servers."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --- HTTP and wrk -----------------------------------------------------------------------


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body of a GET, redirects not followed, no compression asked for."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
WRK_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
WRK_ERRORS = re.compile(r"^\s+(Non-2xx or 3xx responses: \d+|Socket errors: .*)$", re.MULTILINE)
TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(job: Job, duration: int, retry: bool = True) -> None:
    result = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--timeout", "30s", "--latency", job.url],
        capture_output=True,
        text=True,
    )
    rate, p99 = WRK_RATE.search(result.stdout), WRK_P99.search(result.stdout)
    if result.returncode or not rate or not p99:
        job.errors.append(f"wrk failed: {result.stderr.strip() or result.stdout.strip()}")
        return
    if float(rate.group(1)) == 0:
        if retry:  # a stall of the shared machine, or a page slower than it was at first
            run_wrk(job, 2 * duration, retry=False)
        else:
            job.errors.append(f"no request completed in {duration} s")
        return
    job.rates.append(float(rate.group(1)))
    job.p99s.append(float(p99.group(1)) * TO_MS[p99.group(2)])
    job.errors += WRK_ERRORS.findall(result.stdout)


def run_length(single_request: float, args: argparse.Namespace) -> int:
    """Seconds for one wrk run of a page: --duration, or long enough for the 16 connections
    to complete about MIN_REQUESTS requests on a slow page (wrk counts only the requests
    completed within the run), at most MAX_RUN_FACTOR times --duration."""
    needed = math.ceil(MIN_REQUESTS * single_request / args.workers)
    return min(max(args.duration, needed), args.duration * MAX_RUN_FACTOR)


def rotated(jobs: list[Job], round_index: int, rounds: int) -> list[Job]:
    shift = round_index * len(jobs) // rounds
    return jobs[shift:] + jobs[:shift]


# --- set-up -----------------------------------------------------------------------------


def corpus_for(args: argparse.Namespace) -> Path:
    """The corpus of these options: made once, then reused (same options, same bytes)."""
    if args.corpus:
        if not args.corpus.is_dir():
            raise SystemExit(f"{args.corpus}: not a folder")
        return args.corpus
    name = f"corpus-n{args.n}-w{args.body_words}-t{args.talk_share:g}-s{args.seed}"
    folder = Path(tempfile.gettempdir()) / "serve-bench" / name
    if folder.is_dir():
        print(f"corpus: reusing {folder}")
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    make_corpus.generate(args.n, partial, args.seed, args.body_words, args.talk_share)
    partial.rename(folder)
    print(f"corpus: {args.n} files written to {folder} in {time.perf_counter() - started:.0f} s")
    return folder


def prepare_site(workdir: Path, corpus: Path) -> dict:
    """Migrate, import, collect static files; return what DISCOVER finds."""
    env = bench_env(workdir, PORTS["cached"])
    (workdir / "static").mkdir(parents=True, exist_ok=True)
    steps = [
        ("migrate", ["migrate", "--no-input", "--verbosity", "0"]),
        ("import", ["import_markdown", str(corpus), "--assets-root", str(corpus / "mainmatter")]),
        ("collectstatic", ["collectstatic", "--no-input", "--verbosity", "0"]),
    ]
    for name, arguments in steps:
        started = time.perf_counter()
        result = manage(env, *arguments)
        if result.returncode:
            raise RuntimeError(f"{name} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        summary = result.stdout.strip().splitlines()[-1:] if name == "import" else []
        print(f"{name}: {time.perf_counter() - started:.0f} s {' '.join(summary)}")
    result = manage(env, "shell", "--no-imports", "-c", DISCOVER)
    if result.returncode:
        raise RuntimeError(f"could not find the pages' URLs:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def sitemap_of(base: str) -> str:
    """The sitemap's path, as robots.txt announces it."""
    status, body = fetch(base + "/robots.txt")
    for line in body.decode(errors="replace").splitlines() if status == 200 else []:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap":
            return urlsplit(value.strip()).path
    return "/sitemap.xml"


def sitemap_section(base: str, index_path: str) -> str | None:
    """The path of the sitemap index's first section, or None when it is not an index."""
    status, body = fetch(base + index_path)
    if status != 200:
        return None
    root = ElementTree.fromstring(body)
    if not root.tag.endswith("sitemapindex"):
        return None
    loc = root.find("{*}sitemap/{*}loc")
    if loc is None or not loc.text:
        return None
    parts = urlsplit(loc.text.strip())
    return parts.path + (f"?{parts.query}" if parts.query else "")


def parse_pages(text: str) -> dict[str, str]:
    pages = {}
    for item in text.split(","):
        label, _, path = item.partition("=")
        if not path.startswith("/"):
            raise SystemExit(f"--wagtail-pages: {item!r} is not LABEL=/path")
        pages[label.strip()] = path.strip()
    return pages


# --- report -----------------------------------------------------------------------------


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def verdict(value: float, target: float) -> str:
    return "PASS" if value >= target else "MISS"


def machine() -> str:
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=PROJECT_DIR, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, code {commit or '?'}, "
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )


def report(
    pages: dict[str, str],
    sizes: dict[str, int],
    jobs: dict[tuple[str, str], Job],
    args: argparse.Namespace,
) -> None:
    def rate(page: str, server: str) -> float:
        job = jobs.get((page, server))
        return job.rate if job else float("nan")

    print()
    print(f"Median of {args.rounds} rotated rounds, wrk -t2 -c16 -d{args.duration}s or more, "
          f"gunicorn {args.workers} sync workers, N = {args.n}")  # fmt: skip
    print(f"{machine()}\n")
    header = ("page", "bytes", "uncached req/s", "p99 ms", "cached req/s", "p99 ms", "path")
    rows = []
    for page, path in pages.items():
        uncached, cached = jobs[(page, "uncached")], jobs[(page, "cached")]
        rows.append(
            (
                page,
                f"{sizes[page]:,}",
                f"{uncached.rate:,.1f}",
                f"{uncached.p99:,.0f}",
                f"{cached.rate:,.1f}",
                f"{cached.p99:,.0f}",
                path,
            )
        )
    for (page, server), job in jobs.items():
        if server in {"static", "wagtail"}:
            name = f"{page} (static file)" if server == "static" else f"Wagtail {page}"
            size = sizes.get(f"{server} {page}", 0)
            shown = urlsplit(job.url)
            path = shown.path + (f"?{shown.query}" if shown.query else "")
            rows.append((name, f"{size:,}", f"{job.rate:,.1f}", f"{job.p99:,.0f}", "", "", path))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            str(cell).ljust(widths[i]) if i in (0, 6) else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip())

    print("\nTargets (ratios of median req/s):")
    lines = []
    if any(server == "wagtail" for _, server in jobs):
        for page in ("blog index", "post detail"):
            value = ratio(rate(page, "uncached"), rate(page, "wagtail"))
            lines.append(
                (f"{page}, uncached / Wagtail", value, SPEED_FACTOR, verdict(value, SPEED_FACTOR))
            )
        slowest = min(pages, key=lambda page: rate(page, "uncached"))
        value = ratio(rate(slowest, "uncached"), rate("post detail", "wagtail"))
        lines.append((f"slowest page uncached ({slowest}) / Wagtail post detail", value, 1.0,
                      verdict(value, 1.0)))  # fmt: skip
    else:
        print("  (no Wagtail baseline: --wagtail-dir or --wagtail-url to compare with it)")
    if ("post detail", "static") in jobs:
        for page in ("blog index", "post detail"):
            value = ratio(rate(page, "cached"), rate("post detail", "static"))
            lines.append((f"{page}, cached / static file", value, STATIC_FACTOR,
                          verdict(value, STATIC_FACTOR)))  # fmt: skip
    else:
        print("  (no static-file baseline: see above)")
    for label, value, target, mark in lines:
        print(f"  {mark}  {label}: {value:.2f}x (target >= {target:g}x)")
    for page in ("blog index", "post detail"):
        value = ratio(rate(page, "cached"), rate(page, "uncached"))
        print(f"  info  {page}, cached / uncached: {value:.2f}x")


# --- main -------------------------------------------------------------------------------


def measure(args: argparse.Namespace, workdir: Path) -> int:
    corpus = corpus_for(args)
    found = prepare_site(workdir, corpus)
    print(f"site: {found['posts']} published posts, {found['talks']} published talks")
    pages: dict[str, str] = found["pages"]
    servers = {
        name: Server(name, f"http://127.0.0.1:{PORTS[name]}", log=workdir / f"{name}.log")
        for name in ("uncached", "cached")
    }
    wagtail_base = args.wagtail_url.rstrip("/") if args.wagtail_url else None
    if args.wagtail_dir:
        wagtail_base = f"http://127.0.0.1:{PORTS['wagtail']}"
        servers["wagtail"] = Server("wagtail", wagtail_base, log=workdir / "wagtail.log")
        if wagtail_baseline.loaded_corpus(args.wagtail_dir) != corpus.resolve():
            print(f"wagtail: loading {corpus}")
            wagtail_baseline.load(args.wagtail_dir, corpus)
    # Both sites' gunicorn with the same settings: N sync workers, no access log (not the
    # project's gunicorn.conf.py, whose worker count and access log are for production).
    plain_config = workdir / "gunicorn.bench.py"
    plain_config.write_text("")
    gunicorn = [str(GUNICORN), "config.wsgi:application", "--config", str(plain_config),
                "--workers", str(args.workers), "--log-level", "warning"]  # fmt: skip
    try:
        uncached = servers["uncached"]
        start(uncached, [*gunicorn, "--bind", f"127.0.0.1:{PORTS['uncached']}"],
              bench_env(workdir, PORTS["uncached"], page_cache=False), PROJECT_DIR)  # fmt: skip
        wait_until_up(uncached)
        # The detail page as a static file, before the second server scans the static root.
        status, html = fetch(uncached.base + pages["post detail"])
        copy = workdir / "static" / STATIC_COPY
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(html)
        cached = servers["cached"]
        start(cached, [*gunicorn, "--bind", f"127.0.0.1:{PORTS['cached']}"],
              bench_env(workdir, PORTS["cached"]), PROJECT_DIR)  # fmt: skip
        if "wagtail" in servers:
            command = wagtail_baseline.gunicorn_command(
                args.wagtail_dir, PORTS["wagtail"], args.workers
            )
            start(servers["wagtail"], command, wagtail_baseline.site_env(), args.wagtail_dir)
        for server in servers.values():
            wait_until_up(server)
        if wagtail_base and not args.wagtail_dir:
            try:
                fetch(wagtail_base + "/")
            except OSError as error:
                raise RuntimeError(f"--wagtail-url {wagtail_base}: {error}") from error

        pages["sitemap index"] = sitemap_of(cached.base)
        section = sitemap_section(cached.base, pages["sitemap index"])
        if section:
            pages["sitemap section"] = section
        else:
            print("sitemap: /sitemap.xml is not a sitemap index; no section measured")

        jobs: dict[tuple[str, str], Job] = {}
        sizes: dict[str, int] = {}
        failures = []
        wagtail_pages = parse_pages(args.wagtail_pages) if wagtail_base else {}
        for page, path in pages.items():
            for name in ("uncached", "cached"):
                jobs[(page, name)] = Job(page, name, servers[name].base + path)
            if page == "post detail":
                static_path = "/" + found["static_url"].strip("/") + "/" + STATIC_COPY
                jobs[(page, "static")] = Job(page, "static", cached.base + static_path)
            if page in wagtail_pages:
                wagtail_path = wagtail_pages[page].format(slug=found["post_slug"])
                jobs[(page, "wagtail")] = Job(page, "wagtail", wagtail_base + wagtail_path)
        for key, job in list(jobs.items()):
            fetch(job.url)  # the first request may fill caches; the second is timed
            started = time.perf_counter()
            status, body = fetch(job.url)
            job.duration = run_length(time.perf_counter() - started, args)
            page, server = key
            if server == "static" and status != 200:
                reason = "" if found["whitenoise"] else ": WhiteNoise is not in the settings"
                print(f"static baseline skipped: {job.url} answered {status}{reason}")
                del jobs[key]
                continue
            if status != 200:
                failures.append(f"{job.url} answered {status}")
            size_key = page if server in {"uncached", "cached"} else f"{server} {page}"
            sizes[size_key] = len(body)
        if failures:
            print("Not measured, pages must answer 200 first:\n  " + "\n  ".join(failures))
            return 1

        order = list(jobs.values())
        total = args.rounds * sum(job.duration for job in order)
        print(f"measuring {len(order)} URLs x {args.rounds} rounds, about {total / 60:.0f} min")
        longer = [f"{job.server} {job.page} {job.duration} s" for job in order
                  if job.duration > args.duration]  # fmt: skip
        if longer:
            print("  slow pages get longer runs: " + ", ".join(longer))
        for round_index in range(args.rounds):
            for job in rotated(order, round_index, args.rounds):
                run_wrk(job, job.duration)
            print(f"  round {round_index + 1} of {args.rounds} done")
        report(pages, sizes, jobs, args)
        errors = [f"{job.url}: {error}" for job in order for error in job.errors]
        if errors:
            print("\nwrk reported errors:\n  " + "\n  ".join(sorted(set(errors))))
            return 1
        return 0
    finally:
        for server in servers.values():
            stop(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="corpus files (default 1000)")
    parser.add_argument("--body-words", type=int, default=2000, help="default 2000")
    parser.add_argument("--talk-share", type=float, default=0.3, help="default 0.3")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="use this corpus instead of making one")
    parser.add_argument("--rounds", type=int, default=3, help="default 3")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    wagtail = parser.add_mutually_exclusive_group()
    wagtail.add_argument("--wagtail-dir", type=Path, help="bench/wagtail_baseline.py's folder")
    wagtail.add_argument("--wagtail-url", help="a Wagtail baseline already running")
    parser.add_argument(
        "--wagtail-pages",
        default=WAGTAIL_PAGES,
        help="LABEL=/path,... of the Wagtail pages equivalent to ours ({slug}: the post's)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: N = 200, 1 round of 2 s runs"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.quick:
        if "--n" not in (argv if argv is not None else sys.argv):
            args.n = 200
        args.rounds, args.duration = 1, 2
    if min(args.rounds, args.duration, args.workers) < 1:
        parser.error("--rounds, --duration and --workers must be at least 1")
    if args.wagtail_dir:
        args.wagtail_dir = args.wagtail_dir.resolve()
        if not (args.wagtail_dir / "site" / "manage.py").exists():
            parser.error(f"{args.wagtail_dir}: no site; make one with bench/wagtail_baseline.py")
    if shutil.which("wrk") is None:
        print(INSTALL_WRK, file=sys.stderr)
        return 2
    if not GUNICORN.exists():
        print(f"{GUNICORN} is missing: `make install` first.", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    try:
        with stopped_on_signals():
            return measure(args, workdir)
    except KeyboardInterrupt:
        print("\ninterrupted; servers stopped", file=sys.stderr)
        return 130
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
