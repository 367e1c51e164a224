"""Time every public page kind in-process, single requests, at several corpus sizes.

    .venv/bin/python bench/pages.py [--sizes 1000,10000] [--rounds 15] [--project DIR ...]
    .venv/bin/python bench/pages.py --sizes 10000 --profile home

For each size N: generate (or reuse) a corpus of N files (bench/make_corpus.py) and, in a
fresh subprocess with production settings (DEBUG off, DATABASE_URL to a SQLite file,
DJANGO_MEDIA_ROOT in the same folder, no cache), migrate and import it once into a database
kept for later runs. Then time requests through Django's test client (all middleware, no
server): each page is requested twice to warm up (renditions are made on the first view),
then once per round, pages rotated within a round. Per page it prints the median CPU
milliseconds of the process (what ranks and compares pages: on a shared machine, wall time
mostly measures the other processes) and wall milliseconds, the SQL queries, the wall
milliseconds spent in `cursor.execute` and the response size, and for two or more sizes
the ratio of the largest N's median CPU time to the smallest's (the target: at most 2.0).

`--project DIR` (repeatable) measures the code of another checkout of this project (e.g. a
`git archive main` copy), each in its own database; with two projects, their subprocesses
alternate `--blocks` times and a side-by-side table gives the ratio of their medians.
`--profile PAGE` runs that page `--rounds` times under cProfile and prints the top
functions by cumulative and own time instead.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import inspect
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_ROOT = Path(tempfile.gettempdir()) / "bench-pages"
FLAT_LIMIT = 2.0  # median ms at the largest N over the smallest
COMMON_WORD = "serverless"  # in the corpus vocabulary: many matches
RARE_WORD = "xylophone"  # in no file: every row is still searched

# Page kinds in table order: name -> how the child finds its URL (see `page_urls`).
PAGES = (
    "home",
    "blog index",
    "blog page 2",
    "tag page",
    "year archive",
    "post detail",
    "blog RSS",
    "blog Atom",
    "people list",
    "person page",
    "search common",
    "search rare",
    "speaking archive",
    "talk page",
    "talks feed",
    "talks.ics",
    "sitemap",
)


# --- The measured side (runs in a child process) ---------------------------------------


def configure_django(workdir: Path, project: Path) -> None:
    """Production settings on the SQLite file and media folder of `workdir`, with the code
    of `project`, and no cache at all (pages are measured uncached)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    # Hashed static file names, as production serves them (collected in prepare_database).
    os.environ["DJANGO_STATIC_ROOT"] = str(workdir / "static")
    # A developer's local .env must not change what is measured.
    os.environ["DJANGO_ENV_FILE"] = os.devnull
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_PAGE_CACHE"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    # As behind a TLS-terminating proxy: plain HTTP requests get the page, not a redirect.
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    sys.path.insert(0, str(project))

    import django
    from django.conf import settings

    django.setup()
    # Whatever a view or decorator caches (the sitemap's cache_page, a page cache) would
    # make later rounds measure the cache: no cache backend here.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    import publishing

    if not Path(publishing.__file__).is_relative_to(project):
        raise RuntimeError(f"publishing imported from {publishing.__file__}, not {project}")


def prepare_database(workdir: Path, corpus: Path) -> None:
    """Migrate and collect the static files, and import the corpus the first time (a
    marker file says it was)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    marker = workdir / "imported.json"
    if marker.exists():
        return
    from frontmatter.importer import import_paths

    started = time.perf_counter()
    report = import_paths([corpus], assets_root=corpus / "mainmatter")
    if report.failed:
        raise RuntimeError(f"{report.failed} files failed to import: {report.errors[:3]}")
    marker.write_text(
        json.dumps({"created": report.created, "seconds": time.perf_counter() - started})
    )


def page_urls() -> dict[str, str]:
    """One URL per page kind, chosen the same way at every N: the busiest tag, year and
    author (the pages that grow the most), the middle post and talk by date."""
    from django.db.models import Count, Q
    from django.urls import NoReverseMatch, reverse

    from blog.models import Post
    from people.models import Person
    from talks.models import Talk

    def url(name: str, *args: Any) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    posts = Post.objects.published().order_by("date")
    talks = Talk.objects.published().order_by("date")
    post = posts[posts.count() // 2]
    talk = talks[talks.count() // 2] if talks.exists() else None
    tag = posts.tags().annotate(used=Count("taggit_taggeditem_items")).order_by("-used").first()
    years = {}
    for date in posts.values_list("date", flat=True).iterator():
        years[date.year] = years.get(date.year, 0) + 1
    year = max(years, key=lambda y: (years[y], y))
    person = (
        Person.objects.published()
        .annotate(items=Count("posts", filter=Q(posts__in=Post.objects.published())))
        .order_by("-items", "pk")
        .first()
    )
    search = url("search:results")
    urls = {
        "home": url("home"),
        "blog index": url("blog:post_list"),
        "blog page 2": url("blog:post_list") + "?page=2",
        "tag page": url("blog:tag", tag.slug) if tag else None,
        "year archive": url("blog:year", year),
        "post detail": post.get_absolute_url(),
        "blog RSS": url("blog:feed"),
        "blog Atom": url("blog:atom"),
        "people list": url("people:list"),
        "person page": person.get_absolute_url() if person else None,
        "search common": f"{search}?q={COMMON_WORD}",
        "search rare": f"{search}?q={RARE_WORD}",
        "speaking archive": url("talks:list"),
        "talk page": talk.get_absolute_url() if talk else None,
        "talks feed": url("talks:feed"),
        "talks.ics": url("talks:calendar"),
        "sitemap": "/sitemap.xml",
    }
    return {name: address for name, address in urls.items() if address}


@contextmanager
def sql_timer() -> Iterator[list[float]]:
    """[queries, seconds in cursor.execute] of what runs inside."""
    from django.db import connection

    totals = [0, 0.0]

    def timed_execute(execute: Callable, sql: str, params: Any, many: bool, context: Any):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            totals[0] += 1
            totals[1] += time.perf_counter() - started

    with connection.execute_wrapper(timed_execute):
        yield totals


def request(client, address: str) -> dict[str, Any]:
    with sql_timer() as sql:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(address)
        content = b"".join(response) if response.streaming else response.content
        ms = 1000 * (time.perf_counter() - started)
        cpu_ms = 1000 * (time.process_time() - cpu_started)
    return {
        "ms": ms,
        "cpu_ms": cpu_ms,
        "queries": sql[0],
        "sql_ms": 1000 * sql[1],
        "bytes": len(content),
        "status": response.status_code,
    }


def child_main(args: argparse.Namespace) -> int:
    configure_django(args.workdir, args.project)
    prepare_database(args.workdir, args.corpus)
    from django.test import Client

    urls = page_urls()
    if args.pages:
        urls = {name: urls[name] for name in args.pages if name in urls}
    client = Client()
    for address in urls.values():
        for _ in range(2):
            client.get(address)
    if args.profile:
        address = urls[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            client.get(address)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        print(f"{args.profile} ({address}), {args.rounds} requests", file=out)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
        print(out.getvalue())
        return 0
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in urls}
    for round_number in range(args.rounds):
        names = list(urls)
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(request(client, urls[name]))
    result = {"urls": urls, "samples": samples}
    (args.workdir / "result.json").write_text(json.dumps(result))
    return 0


# --- The driver ------------------------------------------------------------------------


def project_key(project: Path) -> str:
    return hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:10]


def ensure_corpus(root: Path, n: int, seed: int, body_words: int | None) -> Path:
    sys.path.insert(0, str(BENCH_DIR))
    from make_corpus import generate

    suffix = f"-w{body_words}" if body_words else ""
    corpus = root / f"corpus-{n}-seed{seed}{suffix}"
    if not (corpus / ".complete").exists():
        import shutil

        shutil.rmtree(corpus, ignore_errors=True)
        kwargs = {}
        if body_words:
            if "body_words" not in inspect.signature(generate).parameters:
                raise SystemExit("make_corpus.generate() takes no body_words in this checkout")
            kwargs["body_words"] = body_words
        print(f"N={n}: generating the corpus in {corpus}", file=sys.stderr)
        generate(n, corpus, seed, **kwargs)
        (corpus / ".complete").touch()
    return corpus


def run_child(
    project: Path, workdir: Path, corpus: Path, rounds: int, pages: list[str], profile: str
) -> dict[str, Any] | None:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "result.json").unlink(missing_ok=True)
    command = [sys.executable, __file__, "--child", "--project", str(project)]
    command += ["--workdir", str(workdir), "--corpus", str(corpus), "--rounds", str(rounds)]
    command += [arg for page in pages for arg in ("--page", page)]
    command += ["--profile", profile] if profile else []
    subprocess.run(command, check=True, cwd=project)
    if profile:
        return None
    return json.loads((workdir / "result.json").read_text())


def summarise(samples: list[dict[str, Any]]) -> dict[str, float]:
    return {
        key: statistics.median(sample[key] for sample in samples)
        for key in ("ms", "cpu_ms", "queries", "sql_ms", "bytes")
    } | {"bad": sum(1 for sample in samples if sample["status"] != 200)}


def table(results: dict[int, dict[str, dict[str, float]]]) -> str:
    sizes = sorted(results)
    header = ["page"]
    for n in sizes:
        header += [f"CPU ms N={n:,}", "wall ms", "queries", "SQL ms", "KB"]
    if len(sizes) > 1:
        header.append(f"ratio N={sizes[-1]:,}/N={sizes[0]:,}")
    rows = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for page in PAGES:
        if not all(page in results[n] for n in sizes):
            continue
        cells = [page]
        for n in sizes:
            stats = results[n][page]
            bad = f" ({stats['bad']} not 200)" if stats["bad"] else ""
            cells += [
                f"{stats['cpu_ms']:.1f}{bad}",
                f"{stats['ms']:.1f}",
                f"{stats['queries']:.0f}",
                f"{stats['sql_ms']:.1f}",
                f"{stats['bytes'] / 1024:.0f}",
            ]
        if len(sizes) > 1:
            ratio = results[sizes[-1]][page]["cpu_ms"] / results[sizes[0]][page]["cpu_ms"]
            cells.append(f"{ratio:.2f}{'' if ratio <= FLAT_LIMIT else ' (over 2)'}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def comparison(
    projects: list[Path], results: dict[Path, dict[int, dict[str, dict[str, float]]]]
) -> str:
    first, second = projects[:2]
    sizes = sorted(results[first])
    header = ["page"]
    for n in sizes:
        header += [f"N={n:,} CPU ms ({first.name})", f"CPU ms ({second.name})", "speed-up"]
    rows = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for page in PAGES:
        if not all(page in results[p][n] for p in (first, second) for n in sizes):
            continue
        cells = [page]
        for n in sizes:
            before, after = (results[p][n][page]["cpu_ms"] for p in (first, second))
            cells += [f"{before:.1f}", f"{after:.1f}", f"{before / after:.1f}×"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes (default 1000,10000)")
    parser.add_argument("--rounds", type=int, default=15, help="timed requests per page")
    parser.add_argument("--blocks", type=int, default=1, help="subprocesses per project and N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--body-words", type=int, help="body length, if make_corpus has it")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="corpora and databases")
    parser.add_argument("--project", type=Path, action="append", help="checkout to measure")
    parser.add_argument("--page", dest="pages", action="append", default=[], choices=PAGES)
    parser.add_argument("--profile", choices=PAGES, help="cProfile one page instead")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.project = args.project[0].resolve()
        return child_main(args)

    projects = [p.resolve() for p in (args.project or [PROJECT_DIR])]
    sizes = [int(size) for size in args.sizes.split(",")]
    args.root.mkdir(parents=True, exist_ok=True)
    samples: dict[Path, dict[int, dict[str, list]]] = {p: {n: {} for n in sizes} for p in projects}
    for n in sizes:
        corpus = ensure_corpus(args.root, n, args.seed, args.body_words)
        for block in range(1 if args.profile else args.blocks):
            order = projects if block % 2 == 0 else projects[::-1]
            for project in order:
                workdir = args.root / f"db-{n}-{corpus.name}-{project_key(project)}"
                print(f"N={n}: {project} (block {block + 1})", file=sys.stderr)
                measured = run_child(
                    project, workdir, corpus, args.rounds, args.pages, args.profile
                )
                if measured is None:
                    continue
                for page, page_samples in measured["samples"].items():
                    samples[project][n].setdefault(page, []).extend(page_samples)
    if args.profile:
        return 0
    results = {
        project: {
            n: {page: summarise(found) for page, found in by_page.items()}
            for n, by_page in by_n.items()
        }
        for project, by_n in samples.items()
    }
    print(f"Median of {args.rounds * args.blocks} single requests per page, in-process, "
          "DEBUG off, SQLite, no cache; speed-ups and ratios of CPU time.")  # fmt: skip
    for project in projects:
        print(f"\n{project}\n")
        print(table(results[project]))
    if len(projects) >= 2:
        print("\nSide by side (speed-up = first / second):\n")
        print(comparison(projects, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
