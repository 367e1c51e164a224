"""An import tells each file's format whichever folder it is given: the site itself, one of
its folders (`authors/`, `posts/`, `speaking/`), or a single file."""

from pathlib import Path

import pytest
from django.conf import settings

from frontmatter.formats import detect
from frontmatter.sourcefiles import SourceError, read_source
from people.models import Person

DEMO = Path(settings.BASE_DIR) / "demo"
DEMO_AUTHORS = DEMO / "mainmatter" / "authors"


@pytest.mark.parametrize(
    "given",
    [DEMO / "mainmatter", DEMO_AUTHORS, DEMO_AUTHORS / "meilin.md"],
    ids=["site", "authors folder", "one profile"],
)
def test_author_profiles_import_whichever_folder_is_given(run_import, given):
    report = run_import(given)

    assert report.errors == []
    assert Person.objects.filter(slug="meilin", source_path__endswith="meilin.md").exists()


def test_the_readme_example_imports_the_authors_folder_beside_the_posts(run_import):
    report = run_import(DEMO / "mainmatter" / "posts", DEMO_AUTHORS)

    assert report.errors == []
    assert report.created == 3 + 3  # three posts, three profiles
    assert set(Person.objects.values_list("slug", flat=True)) >= {
        "ada_brennan",
        "meilin",
        "tomas-reyes",
    }


def detected_from_each_root(site: Path, file: Path) -> set:
    """What `detect` says of `file` when the import is given the site, each folder between
    the site and the file, or the file alone."""
    roots = [site, *[parent for parent in file.parents if parent.is_relative_to(site)], file]
    results = set()
    for root in roots:
        try:
            results.add(detect(read_source(file, root)))
        except (SourceError, ValueError) as error:
            results.add(str(error).split(":", 1)[-1])  # the reason, without the path
    return results


@pytest.mark.parametrize(
    "site", sorted(path for path in DEMO.iterdir() if path.is_dir()), ids=lambda path: path.name
)
def test_every_demo_file_has_one_format_whichever_folder_is_given(site):
    files = sorted(site.rglob("*.md"))
    assert files
    for file in files:
        assert len(detected_from_each_root(site, file)) == 1, file


def test_every_corpus_file_has_one_format_whichever_folder_is_given(corpus):
    sites = [path for path in corpus.iterdir() if path.is_dir()]
    checked = 0
    for site in sites:
        for file in sorted(site.rglob("*.md")):
            assert len(detected_from_each_root(site, file)) == 1, file
            checked += 1
    assert checked > 0
