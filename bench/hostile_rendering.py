"""How long hostile Markdown takes to render: the bounded pipeline beside the unbounded one.

    .venv/bin/python bench/hostile_rendering.py [--rounds 3] [--budget 30] [--quick]

For each hostile input of tests/publishing/builders.py at a few sizes, prints the median
wall-clock and CPU milliseconds of
- **bounded**: `render_document` as the site runs it; a refusal (MarkdownTooComplex) is
  what it does with the input, and its time is the time to refuse;
- **unbounded**: the same pipeline without its limits (no checks before or during parsing,
  heading ids from the anchors plugin as before), the code before the limits existed;
then, for the largest input of each family, the whole path an editor or an import takes
(bounded only): an admin preview request through Django's test client and an
`import_paths()` of a one-file site, on a fresh SQLite database.

Every measurement runs in a forked child process: its peak memory growth is its own, and a
run past `--budget` seconds is stopped and shown as "> budget". The unbounded pipeline is
measured only while the previous size of the same input stayed under a quarter of the
budget ("—" past that: it would not be measurable). Rounds alternate which pipeline goes
first, and the input order rotates from round to round; the median is taken.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import select
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent


def setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()


# --- The inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    family: str
    size: str
    source: str


def cases(quick: bool) -> list[Case]:
    from tests.publishing import builders as b

    def sizes(full: list, short: list) -> list:
        return short if quick else full

    found = []
    for depth in sizes([1_000, 5_000, 20_000, 50_000, 200_000], [1_000, 20_000]):
        found.append(Case("nested <div>", f"{depth:,} deep", b.nested_divs(depth)))
    for count in sizes([1_000, 5_000, 20_000], [1_000, 5_000]):
        found.append(Case("unclosed <div> blocks", f"{count:,}", b.unclosed_divs(count)))
    for depth in sizes([1_000, 100_000], [1_000]):
        found.append(Case("nested blockquotes", f"{depth:,} deep", b.nested_blockquotes(depth)))
        found.append(Case("nested lists", f"{depth:,} deep", b.nested_lists(depth)))
    for side in sizes([100, 300, 1_000], [100, 300]):
        found.append(Case("wide table", f"{side:,}×{side:,}", b.wide_table(side, side)))
    for columns, rows in sizes([(1_000, 65), (20_000, 100)], [(1_000, 65)]):
        found.append(
            Case(
                "short rows, wide header", f"{columns:,}×{rows}", b.short_rows_table(columns, rows)
            )
        )
    for count in sizes([600, 1_000, 5_000, 20_000], [600]):
        found.append(Case("footnotes", f"{count:,}", b.many_footnotes(count)))
    for chars in sizes([50_000, 1_000_000, 5_000_000], [1_000_000]):
        found.append(Case("one long line", f"{chars:,} chars", b.long_paragraph(chars)))
    for count in sizes([1_000, 3_000, 10_000], [1_000, 3_000]):
        found.append(Case("identical headings", f"{count:,}", b.repeated_headings(count)))
    for count in sizes([10_000, 30_000, 100_000], [10_000]):
        found.append(Case('"[" in one paragraph', f"{count:,}", b.open_brackets(count)))
    for count in sizes([6_000, 10_000, 50_000], [6_000]):
        found.append(Case("list items", f"{count:,}", b.dense_list(count)))
    # The most expensive inputs known that the limits let through: markup in every
    # character, up to the size, line and paragraph limits.
    for name, unit in [
        ('"["', "["),
        ("links", "[a](b) "),
        ("emphasis", "*a* "),
        ('"_"', "a_ _"),
        ('"<"', "<"),
        ("inline code", "`a` "),
    ]:
        paragraph = (unit * 10_000)[:9_990]
        source = "\n\n".join([paragraph] * 5)
        found.append(Case(f"{name}, 5 paragraphs", f"{len(paragraph):,} chars each", source))
    return found


def largest_real_body() -> Case | None:
    from frontmatter.sourcefiles import SourceError, split_source

    roots = [PROJECT_DIR.parent / "shared" / "corpus", PROJECT_DIR / "demo"]
    bodies = []
    for root in roots:
        for path in root.rglob("*.md") if root.is_dir() else ():
            text = path.read_text()
            try:
                bodies.append(split_source(text, path.name)[2])
            except SourceError:
                bodies.append(text)
    if not bodies:
        return None
    body = max(bodies, key=len)
    return Case("largest real body", f"{len(body):,} chars", body)


# --- The two pipelines -------------------------------------------------------------------------


def bounded(source: str) -> str:
    from publishing.markdown import MarkdownTooComplex, render_document

    try:
        render_document(source)
    except MarkdownTooComplex as error:
        return f"refused: {error}"
    return "rendered"


_UNBOUNDED = None


def unbounded(source: str) -> str:
    """render_document without its limits, as it was before they existed."""
    global _UNBOUNDED
    from mdit_py_plugins.anchors import anchors_plugin

    from publishing import markdown

    if _UNBOUNDED is None:
        _UNBOUNDED = markdown._build_markdown()
        _UNBOUNDED.core.ruler.disable(["check_blocks", "check_html_depth", "heading_ids"])
        _UNBOUNDED.use(anchors_plugin, min_level=1, max_level=6)
    text = markdown._NUNJUCKS_RAW_RE.sub("", source)
    env: dict = {}
    tokens = _UNBOUNDED.parse(text, env)
    markdown._finish(_UNBOUNDED.renderer.render(tokens, _UNBOUNDED.options, env))
    excerpt = markdown._excerpt_tokens(tokens, text)
    if excerpt:
        markdown._finish(_UNBOUNDED.renderer.render(excerpt, _UNBOUNDED.options, env))
    return "rendered"


# --- Measuring in a child process --------------------------------------------------------------


@dataclass
class Measure:
    wall_ms: float | None  # None: stopped at the budget
    cpu_ms: float | None = None
    memory_mb: float | None = None
    outcome: str = ""


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb(pid: int) -> float | None:
    """Peak resident memory of a running process (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def in_child(action: Callable[[], str], budget: float) -> Measure:
    """Run `action` in a forked child; stop it after `budget` seconds."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            start_rss = _resident_mb()
            started, cpu = time.perf_counter(), time.process_time()
            outcome = action()
            result = {
                "wall_ms": 1000 * (time.perf_counter() - started),
                "cpu_ms": 1000 * (time.process_time() - cpu),
                "memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - start_rss,
                "outcome": outcome,
            }
        except BaseException as error:  # reported; a forked child must never raise
            result = {"wall_ms": None, "outcome": f"error: {type(error).__name__}: {error}"}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    start_rss = _resident_mb()  # the child starts as a copy of this process
    ready, _, _ = select.select([read_end], [], [], budget)
    if not ready:
        peak = _peak_mb(pid)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return Measure(None, memory_mb=peak - start_rss if peak else None, outcome="stopped")
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return Measure(**json.loads(b"".join(chunks)))


def median(values: list[float | None]) -> float | None:
    if any(value is None for value in values) or not values:
        return None
    return statistics.median(values)


# --- The whole path: preview request and import -----------------------------------------------


def end_to_end(
    largest: list[Case], rounds: int, workdir: Path
) -> list[tuple[str, str, float, float]]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from frontmatter.importer import import_paths

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    # A request the site refuses is an answer here (a source over Django's 2.5 MB request
    # limit gets its 400), not an exception.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    rows = []
    for case in largest:
        preview, imported = [], []
        for number in range(rounds):
            started = time.perf_counter()
            response = client.post(
                "/admin/markdown-preview/", {"source": case.source}, secure=True
            )
            preview.append(1000 * (time.perf_counter() - started))
            site = workdir / f"site-{len(rows)}-{number}"
            talk = site / "speaking" / "2024-01-01_hostile.md"
            talk.parent.mkdir(parents=True)
            talk.write_text(
                "---\ntitle: Hostile\nslug: hostile-"
                f"{len(rows)}-{number}\ndate: 2024-01-01T10:00:00.000Z\nevent_name: X\n---\n"
                + case.source
            )
            started = time.perf_counter()
            report = import_paths([site])
            imported.append(1000 * (time.perf_counter() - started))
        outcome = f"{response.status_code}; import " + (
            report.errors[0].split(": ", 1)[1][:60] if report.errors else "created"
        )
        rows.append((f"{case.family}, {case.size}", outcome, median(preview), median(imported)))
    return rows


# --- The report --------------------------------------------------------------------------------


def memory(runs: list[Measure]) -> str:
    """Peak memory growth; "≥" when a run was stopped before it finished."""
    grown = [run.memory_mb for run in runs if run.memory_mb is not None]
    if not grown:
        return "—"
    stopped = any(run.wall_ms is None for run in runs)
    return ("≥ " if stopped else "") + f"{max(grown):,.0f}"


def fmt(value: float | None, budget: float) -> str:
    if value is None:
        return f"> {budget:.0f} s"
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per run at most")
    parser.add_argument("--quick", action="store_true", help="fewer and smaller inputs")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="hostile-rendering-"))
    try:
        return run(options, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(options: argparse.Namespace, workdir: Path) -> int:
    setup_django(workdir)
    all_cases = cases(options.quick)
    real = largest_real_body()
    if real:
        all_cases.insert(0, real)
    # Children start as copies of this process: what the first render loads (Pygments
    # lexers, the parser) is loaded here once, not in every measured run.
    for case in all_cases[:1]:
        bounded(case.source)
        unbounded(case.source)
    for name in ("django.request", "django.security"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # the 400s are expected

    results: dict[tuple[str, str], list[Measure]] = {}
    # Round 1 takes the inputs in order, smallest first, and decides which unbounded runs
    # are measurable; later rounds rotate the order and repeat only those.
    measurable: set[str] = set()
    for number in range(options.rounds):
        shift = number % len(all_cases)
        ordered = all_cases if number == 0 else all_cases[shift:] + all_cases[:shift]
        too_slow: set[str] = set()  # families whose unbounded run got too slow in round 1
        for case in ordered:
            key = case.family + case.size
            variants = [("bounded", bounded), ("unbounded", unbounded)]
            for name, pipeline in variants if number % 2 == 0 else variants[::-1]:
                if name == "unbounded":
                    if number == 0 and case.family in too_slow:
                        continue
                    if number > 0 and key not in measurable:
                        continue
                source = case.source
                measure = in_child(lambda run=pipeline, text=source: run(text), options.budget)
                results.setdefault((name, key), []).append(measure)
                if name == "unbounded" and number == 0:
                    if measure.wall_ms is not None:
                        measurable.add(key)
                    if measure.wall_ms is None or measure.wall_ms > 250 * options.budget:
                        too_slow.add(case.family)

    load = os.getloadavg()
    print(f"# Hostile Markdown: median of {options.rounds} rounds, ms (wall / CPU)")
    print(
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; "
        f"budget {options.budget:.0f} s per run\n"
    )
    print(
        "| input | size | chars | bounded wall | bounded CPU | what the bounded pipeline does "
        "| unbounded wall | unbounded CPU | unbounded memory MB |"
    )
    print("|---|---|---:|---:|---:|---|---:|---:|---:|")
    largest: dict[str, Case] = {}
    for case in all_cases:
        largest[case.family] = case
        mine = results[("bounded", case.family + case.size)]
        theirs = results.get(("unbounded", case.family + case.size))
        outcome = mine[-1].outcome.replace("|", "\\|")
        row = [
            case.family,
            case.size,
            f"{len(case.source):,}",
            fmt(median([m.wall_ms for m in mine]), options.budget),
            fmt(median([m.cpu_ms for m in mine]), options.budget),
            outcome[:80],
        ]
        if theirs:
            row += [
                fmt(median([m.wall_ms for m in theirs]), options.budget),
                fmt(median([m.cpu_ms for m in theirs]), options.budget),
                memory(theirs),
            ]
        else:
            row += ["—", "—", "—"]
        print("| " + " | ".join(row) + " |")

    print(f"\n# The whole path, bounded, largest input of each kind: median of {options.rounds}\n")
    print("| input | preview status; import | preview request ms | import of the file ms |")
    print("|---|---|---:|---:|")
    for name, outcome, preview, imported in end_to_end(
        list(largest.values()), options.rounds, workdir
    ):
        print(f"| {name} | {outcome} | {fmt(preview, 0)} | {fmt(imported, 0)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
