"""Benchmark Markdown import and export on SQLite: files per second and peak memory.

    .venv/bin/python bench/run.py [--sizes 1000,10000] [--keep] [--seed S] [--tracemalloc]

For each size N: generate a synthetic corpus of N files (bench/make_corpus.py), then in a
fresh subprocess (so that the process-wide peak RSS belongs to one phase) create a new
SQLite database, migrate it, time ``import_paths()`` of the corpus and a second import of
the same, unchanged tree; in another fresh subprocess time ``export_items()`` of everything
into an empty folder. Each phase is checked: the first import creates N items and fails
none, the second creates none, the export writes N Markdown files.

Prints one Markdown table row per N and, for two or more sizes, the ratio of ms/file at the
largest N to the smallest (1.0 = perfectly flat). The targets from the issue (import at
least 500 files/s, export at least 1,000 files/s, flat time per file) are checked at the
end. Exits 1 when a correctness check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
IMPORT_TARGET = 500.0  # files per second
EXPORT_TARGET = 1000.0
FLAT_LIMIT = 1.25  # ms/file at the largest N over ms/file at the smallest
PHASES = ("import", "reimport", "export")


@dataclass
class Phase:
    """One timed run of the engine."""

    files: int
    seconds: float
    cpu_seconds: float
    queries: int
    peak_rss_mb: float
    traced_peak_mb: float | None = None
    # ms/file over the first and the last tenth of the files (import only): flatness
    # within one run, where the database grows.
    first_tenth_ms: float | None = None
    last_tenth_ms: float | None = None
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def files_per_second(self) -> float:
        return self.files / self.seconds if self.seconds else float("inf")

    @property
    def ms_per_file(self) -> float:
        return 1000 * self.seconds / self.files if self.files else 0.0


@dataclass
class SizeResult:
    n: int
    corpus_seconds: float
    baseline_rss_mb: float
    phases: dict[str, Phase]
    failures: list[str]


# --- The measured side (runs in a child process) ---------------------------------------


def configure_django(workdir: Path, debug: bool = True, project: Path = PROJECT_DIR) -> None:
    """Point settings at a fresh SQLite file and media folder, then set Django up with the
    code found in `project`."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if debug:
        os.environ["DJANGO_DEBUG"] = "1"
    else:
        os.environ["DJANGO_DEBUG"] = "0"
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
        # Production settings ask for the host names; nothing is served here.
        os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    # A developer's local .env must not change what is measured.
    os.environ["DJANGO_ENV_FILE"] = os.devnull
    sys.path.insert(0, str(project))

    import django

    django.setup()
    import publishing

    if not Path(publishing.__file__).is_relative_to(project):
        raise RuntimeError(f"publishing imported from {publishing.__file__}, not {project}")


def project_of(workdir: Path) -> Path:
    """The code a run measures: its snapshot when one was taken, else the working tree."""
    snapshot = workdir / "project"
    return snapshot if snapshot.is_dir() else PROJECT_DIR


def snapshot_project(workdir: Path) -> Path:
    """Copy the project's code, so that edits made while a run lasts do not change what
    is measured halfway through (or break a subprocess with a half-written file)."""
    ignored = shutil.ignore_patterns(
        ".*", "__pycache__", "media", "staticfiles", "node_modules", "bench", "*.sqlite3*"
    )
    return Path(shutil.copytree(PROJECT_DIR, workdir / "project", ignore=ignored))


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the import's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    from django.db import connection

    counter = [0]

    def count(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def timed(
    files: int, action: Callable[[Callable[[int, int], None]], Any], trace: bool
) -> tuple[Phase, Any]:
    """Run `action(progress)` once, measuring it; `progress(done, total)` stamps files."""
    stamps: list[float] = []

    def progress(done: int, total: int) -> None:
        stamps.append(time.perf_counter())

    if trace:
        tracemalloc.start()
    with counting_queries() as queries:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        result = action(progress)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    traced = None
    if trace:
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    phase = Phase(files, seconds, cpu, queries[0], peak_rss_mb(), traced)
    tenth = len(stamps) // 10
    if tenth:
        phase.first_tenth_ms = 1000 * (stamps[tenth - 1] - started) / tenth
        phase.last_tenth_ms = 1000 * (stamps[-1] - stamps[-tenth - 1]) / tenth
    return phase, result


def child_import(n: int, workdir: Path, trace: bool, debug: bool) -> dict[str, Any]:
    configure_django(workdir, debug, project_of(workdir))
    from django.core.management import call_command

    from frontmatter.importer import import_paths

    call_command("migrate", verbosity=0, interactive=False)
    corpus = workdir / "corpus"
    baseline = peak_rss_mb()
    failures = []
    phases = {}
    for name in ("import", "reimport"):
        phase, report = timed(
            n,
            lambda progress: import_paths(
                [corpus], assets_root=corpus / "mainmatter", progress=progress
            ),
            trace,
        )
        phase.report = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "failed": report.failed,
            "warnings": len(report.warnings),
            "people_created": report.people_created,
            "first_errors": report.errors[:5],
            "first_warnings": report.warnings[:5],
        }
        phases[name] = phase
        if report.failed:
            failures.append(f"{name}: {report.failed} files failed: {report.errors[:3]}")
        expected_created = n if name == "import" else 0
        if report.created != expected_created:
            failures.append(f"{name}: created {report.created}, expected {expected_created}")
    return {"baseline_rss_mb": baseline, "phases": phases, "failures": failures}


def child_export(n: int, workdir: Path, trace: bool, debug: bool) -> dict[str, Any]:
    configure_django(workdir, debug, project_of(workdir))
    from frontmatter.exporter import export_items

    outdir = workdir / "export"
    shutil.rmtree(outdir, ignore_errors=True)
    baseline = peak_rss_mb()
    phase, report = timed(n, lambda progress: export_items(outdir), trace)
    markdown_files = sum(1 for _ in outdir.rglob("*.md"))
    # Not a failure, but worth seeing: unedited items should come back byte-identical.
    corpus = workdir / "corpus"
    identical = sum(
        1
        for path in outdir.rglob("*.md")
        if (corpus / path.relative_to(outdir)).is_file()
        and (corpus / path.relative_to(outdir)).read_bytes() == path.read_bytes()
    )
    phase.report = {
        "items": report.items,
        "files": report.files,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "markdown_files": markdown_files,
        "identical_to_source": identical,
        "first_errors": report.errors[:5],
        "first_warnings": report.warnings[:5],
    }
    failures = []
    if report.errors:
        failures.append(f"export: {len(report.errors)} errors: {report.errors[:3]}")
    if markdown_files != n:
        failures.append(f"export: wrote {markdown_files} .md files, expected {n}")
    return {"baseline_rss_mb": baseline, "phases": {"export": phase}, "failures": failures}


def child_main(args: argparse.Namespace) -> int:
    run = child_import if args.child == "import" else child_export
    result = run(args.n, args.workdir, args.trace, args.debug)
    result["phases"] = {name: asdict(phase) for name, phase in result["phases"].items()}
    (args.workdir / f"result-{args.child}-{int(args.trace)}.json").write_text(
        json.dumps(result, indent=2)
    )
    return 0


# --- The driver ------------------------------------------------------------------------


class ChildFailed(Exception):
    """A measured subprocess exited with an error (its traceback is on stderr)."""


def run_child(kind: str, n: int, workdir: Path, trace: bool, debug: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--n", str(n)]
    command += ["--workdir", str(workdir)]
    command += ["--trace"] if trace else []
    command += ["--debug"] if debug else []
    completed = subprocess.run(command, check=False, cwd=project_of(workdir))
    if completed.returncode:
        raise ChildFailed(f"the {kind} subprocess exited with status {completed.returncode}")
    return json.loads((workdir / f"result-{kind}-{int(trace)}.json").read_text())


def reset_database(workdir: Path) -> None:
    for path in [workdir / "media", workdir / "export"]:
        shutil.rmtree(path, ignore_errors=True)
    for path in workdir.glob("bench.sqlite3*"):
        path.unlink()


def measure(n: int, seed: int, keep: bool, trace: bool, debug: bool, snapshot: bool) -> SizeResult:
    sys.path.insert(0, str(BENCH_DIR))
    from make_corpus import generate

    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
    print(f"N={n}: working in {workdir}", file=sys.stderr)
    result = SizeResult(n, 0.0, 0.0, {}, [])
    try:
        if snapshot:
            snapshot_project(workdir)
        started = time.perf_counter()
        generate(n, workdir / "corpus", seed)
        result.corpus_seconds = time.perf_counter() - started
        for kind in ("import", "export"):
            measured = run_child(kind, n, workdir, False, debug)
            result.phases |= {name: Phase(**data) for name, data in measured["phases"].items()}
            result.failures += measured["failures"]
            if kind == "import":
                result.baseline_rss_mb = measured["baseline_rss_mb"]
        if trace:
            # tracemalloc slows allocation-heavy code several times over, so it gets runs
            # of its own whose timings are thrown away.
            reset_database(workdir)
            traced = run_child("import", n, workdir, True, debug)["phases"]
            traced |= run_child("export", n, workdir, True, debug)["phases"]
            for name, data in traced.items():
                result.phases[name].traced_peak_mb = data["traced_peak_mb"]
    except ChildFailed as error:
        result.failures.append(str(error))
    finally:
        if keep:
            print(f"N={n}: kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def machine_line() -> str:
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.release()}"
    )


def table(results: list[SizeResult]) -> str:
    header = [
        "N",
        "import files/s",
        "import ms/file",
        "re-import files/s",
        "re-import ms/file",
        "export files/s",
        "export ms/file",
        "CPU ms/file (imp/re/exp)",
        "queries/file (imp/re/exp)",
        "peak RSS MB (import/export)",
    ]
    traced = any(r.phases["import"].traced_peak_mb is not None for r in results)
    if traced:
        header.append("tracemalloc peak MB (import/export)")
    rows = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    for result in results:
        imp, reimp, exp = (result.phases[k] for k in PHASES)
        cells = [
            f"{result.n:,}",
            f"{imp.files_per_second:,.0f}",
            f"{imp.ms_per_file:.2f}",
            f"{reimp.files_per_second:,.0f}",
            f"{reimp.ms_per_file:.2f}",
            f"{exp.files_per_second:,.0f}",
            f"{exp.ms_per_file:.2f}",
            " / ".join(f"{1000 * p.cpu_seconds / p.files:.2f}" for p in (imp, reimp, exp)),
            f"{imp.queries / imp.files:.1f} / {reimp.queries / reimp.files:.1f} / "
            f"{exp.queries / exp.files:.2f}",
            f"{max(imp.peak_rss_mb, reimp.peak_rss_mb):.0f} / {exp.peak_rss_mb:.0f}",
        ]
        if traced:
            cells.append(f"{imp.traced_peak_mb:.0f} / {exp.traced_peak_mb:.0f}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def summary(results: list[SizeResult]) -> list[str]:
    lines = []
    for result in results:
        imp, reimp, exp = (result.phases[k] for k in PHASES)
        lines.append(
            f"N={result.n:,}: corpus generated in {result.corpus_seconds:.1f}s; "
            f"import {imp.seconds:.1f}s (CPU {imp.cpu_seconds:.1f}s), "
            f"re-import {reimp.seconds:.1f}s (CPU {reimp.cpu_seconds:.1f}s), "
            f"export {exp.seconds:.1f}s (CPU {exp.cpu_seconds:.1f}s); "
            f"RSS after set-up {result.baseline_rss_mb:.0f} MB"
        )
        lines.append(
            f"  ms/file over the first / last tenth of the files: import "
            f"{imp.first_tenth_ms:.1f} / {imp.last_tenth_ms:.1f}, re-import "
            f"{reimp.first_tenth_ms:.1f} / {reimp.last_tenth_ms:.1f}"
        )
        lines.append(
            f"  import: {json.dumps({k: v for k, v in imp.report.items() if 'first' not in k})}"
        )
        lines.append(
            f"  re-import: "
            f"{json.dumps({k: v for k, v in reimp.report.items() if 'first' not in k})}"
        )
        lines.append(
            f"  export: {json.dumps({k: v for k, v in exp.report.items() if 'first' not in k})}"
        )
        for phase_name, phase in (("import", imp), ("re-import", reimp), ("export", exp)):
            for warning in phase.report.get("first_warnings", [])[:3]:
                lines.append(f"  {phase_name} warning: {warning}")
        if exp.report["identical_to_source"] != result.n:
            lines.append(
                f"  NOTE: {result.n - exp.report['identical_to_source']} exported files differ "
                "from their (unedited) source files"
            )
        if reimp.report["unchanged"] != result.n:
            lines.append(
                f"  NOTE: the second import of an unchanged tree reported "
                f"{reimp.report['updated']} updated (expected all {result.n} unchanged)"
            )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        ratios = {
            name: large.phases[name].ms_per_file / small.phases[name].ms_per_file
            for name in PHASES
        }
        cpu_ratios = {
            name: large.phases[name].cpu_seconds
            / large.n
            / (small.phases[name].cpu_seconds / small.n)
            for name in PHASES
        }
        lines.append(
            f"Flatness, ms/file at N={large.n:,} / N={small.n:,}: "
            + ", ".join(f"{name} {ratio:.2f}" for name, ratio in ratios.items())
            + " (CPU time: "
            + ", ".join(f"{name} {ratio:.2f}" for name, ratio in cpu_ratios.items())
            + f"; flat enough: <= {FLAT_LIMIT})"
        )
    for result in results:
        imp, exp = result.phases["import"], result.phases["export"]
        verdicts = [
            f"import {imp.files_per_second:,.0f} files/s "
            f"{'meets' if imp.files_per_second >= IMPORT_TARGET else 'MISSES'} "
            f"{IMPORT_TARGET:.0f}",
            f"export {exp.files_per_second:,.0f} files/s "
            f"{'meets' if exp.files_per_second >= EXPORT_TARGET else 'MISSES'} "
            f"{EXPORT_TARGET:.0f}",
        ]
        lines.append(f"Targets at N={result.n:,}: " + "; ".join(verdicts))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the Python heap peak, in extra runs whose timings are discarded",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="run with DJANGO_DEBUG=1 (Django logs every query) instead of production settings",
    )
    parser.add_argument(
        "--live",
        dest="snapshot",
        action="store_false",
        help="measure the working tree itself instead of a copy taken at the start of each N",
    )
    # Internal: the measured side, run in a fresh process per phase.
    parser.add_argument("--child", choices=["import", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)

    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    results = []
    for n in sizes:
        result = measure(n, args.seed, args.keep, args.tracemalloc, args.debug, args.snapshot)
        results.append(result)
        if len(result.phases) == len(PHASES):
            print(table([result]).splitlines()[-1], file=sys.stderr)
    failures = [(result.n, failure) for result in results for failure in result.failures]
    results = [result for result in results if len(result.phases) == len(PHASES)]
    print()
    print(f"Machine: {machine_line()}; DJANGO_DEBUG={int(args.debug)}")
    print()
    print(table(results))
    print()
    print("\n".join(summary(results)))
    for n, failure in failures:
        print(f"CHECK FAILED (N={n:,}): {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
