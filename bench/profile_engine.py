"""Profile one phase of the Markdown engine with cProfile on a synthetic corpus.

    .venv/bin/python bench/profile_engine.py [--n 1000] [--phase import|reimport|export]
        [--top 30] [--out FILE.prof]

Generates the corpus (bench/make_corpus.py) and a fresh SQLite database in a temporary
folder, runs the phases up to the one asked for, and profiles only that one. Prints the
top functions by cumulative and by own time; ``--out`` keeps the raw profile for
``python -m pstats`` or snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from make_corpus import generate
from run import configure_django, snapshot_project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--phase", choices=["import", "reimport", "export"], default="import")
    parser.add_argument("--top", type=int, default=30, help="rows per listing (default 30)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write the raw profile here")
    parser.add_argument(
        "--debug", action="store_true", help="DJANGO_DEBUG=1 (default: production settings)"
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix=f"bench-profile-{args.n}-"))
    try:
        corpus = workdir / "corpus"
        generate(args.n, corpus, args.seed)
        # A copy of the code, as bench/run.py measures it (others may be editing the tree).
        configure_django(workdir, args.debug, snapshot_project(workdir))
        from django.core.management import call_command

        from frontmatter.exporter import export_items
        from frontmatter.importer import import_paths

        call_command("migrate", verbosity=0, interactive=False)

        def run_import() -> object:
            return import_paths([corpus], assets_root=corpus / "mainmatter")

        def run_export() -> object:
            return export_items(workdir / "export")

        if args.phase in {"reimport", "export"}:
            run_import()
        if args.phase == "export":
            run_import()  # the export benchmark follows a re-import too
        action = run_export if args.phase == "export" else run_import

        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        report = action()
        profiler.disable()
        seconds = time.perf_counter() - started
        print(f"{args.phase} of {args.n} files under cProfile: {seconds:.1f}s")
        print(report.summary())
        if args.out:
            profiler.dump_stats(args.out)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
