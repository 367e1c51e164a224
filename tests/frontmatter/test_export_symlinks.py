"""Export into an OUTDIR someone planted links in: nothing is created or written outside it,
and a file that cannot be written safely fails alone with one line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from frontmatter.exporter import export_items
from talks.models import Talk
from tests.publishing import builders
from tests.publishing.builders import (
    GOOD_TALK_FILE,
    POST_FILE,
    POST_FOLDER,
    write_good_talk,
    write_post_bundle,
)

pytestmark = pytest.mark.django_db

GOOD_IMAGE = builders.png_bytes(color="olive")
LINK_REFUSED = "links in the output folder are never followed"


@pytest.fixture
def site(tmp_path, run_import):
    """A post bundle with its picture and a talk, imported."""
    root = tmp_path / "site"
    write_good_talk(root)
    write_post_bundle(root, "![good](./good.png)\n", {"good.png": GOOD_IMAGE})
    report = run_import(root)
    assert (report.created, report.errors) == (2, [])
    return root


@pytest.fixture
def outside(tmp_path) -> Path:
    """Somewhere beside OUTDIR: a victim file and an empty folder that must stay as they are."""
    folder = tmp_path / "outside"
    (folder / "empty").mkdir(parents=True)
    (folder / "victim.txt").write_bytes(b"precious\n")
    return folder


@pytest.fixture
def outdir(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def snapshot(root: Path) -> dict[str, object]:
    """Everything under `root`: file bytes, folders and where links point."""
    tree: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            tree[name] = ("link", str(path.readlink()))
        elif path.is_dir():
            tree[name] = "folder"
        else:
            tree[name] = path.read_bytes()
    return tree


def assert_exported(site: Path, outdir: Path, relpath: str) -> None:
    assert (outdir / relpath).read_bytes() == (site / relpath).read_bytes()


def test_export_leaves_no_temporary_files(site, outdir):
    report = export_items(outdir, force=True)

    assert (report.errors, report.items, report.files) == ([], 2, 1)
    assert set(snapshot(outdir)) == {
        "posts",
        POST_FOLDER,
        POST_FILE,
        f"{POST_FOLDER}/good.png",
        "speaking",
        GOOD_TALK_FILE,
    }


def test_symlink_planted_at_the_temporary_name_is_never_written_through(site, outside, outdir):
    folder = outdir / POST_FOLDER
    folder.mkdir(parents=True)
    for name in ("index.md", "good.png"):
        (folder / f".{name}.export-tmp").symlink_to(outside / "victim.txt")
    before = snapshot(outside)

    report = export_items(outdir, force=True)

    assert (report.errors, report.items, report.files) == ([], 2, 1)
    assert snapshot(outside) == before
    assert_exported(site, outdir, POST_FILE)
    assert (folder / "good.png").read_bytes() == GOOD_IMAGE
    assert (folder / ".index.md.export-tmp").readlink() == outside / "victim.txt"


@pytest.mark.parametrize("linked", ["posts", POST_FOLDER], ids=["top-folder", "item-folder"])
def test_symlinked_folder_fails_its_items_alone_and_nothing_is_created_outside(
    site, outside, outdir, linked
):
    (outdir / linked).parent.mkdir(parents=True, exist_ok=True)
    (outdir / linked).symlink_to(outside / "empty")
    before = snapshot(outside)

    report = export_items(outdir, force=True)

    assert report.errors == [
        f"{POST_FILE}: not written: {linked} is a symbolic link ({LINK_REFUSED})"
    ]
    assert (report.items, report.files) == (1, 0)
    assert snapshot(outside) == before
    assert_exported(site, outdir, GOOD_TALK_FILE)


def test_symlink_at_the_target_file_name_fails_that_file_alone(site, outside, outdir):
    (outdir / "speaking").mkdir()
    (outdir / GOOD_TALK_FILE).symlink_to(outside / "victim.txt")
    before = snapshot(outside)

    report = export_items(outdir, force=True)

    assert report.errors == [
        f"{GOOD_TALK_FILE}: not written: the target is a symbolic link ({LINK_REFUSED})"
    ]
    assert snapshot(outside) == before
    assert (outdir / GOOD_TALK_FILE).is_symlink()
    assert_exported(site, outdir, POST_FILE)


def test_symlink_at_a_pictures_target_fails_the_picture_alone(site, outside, outdir):
    (outdir / POST_FOLDER).mkdir(parents=True)
    (outdir / POST_FOLDER / "good.png").symlink_to(outside / "victim.txt")
    before = snapshot(outside)

    report = export_items(outdir, force=True)

    assert report.errors == [
        f"{POST_FOLDER}/good.png: not written: the target is a symbolic link ({LINK_REFUSED})"
    ]
    assert (report.items, report.files) == (2, 0)
    assert snapshot(outside) == before
    assert_exported(site, outdir, POST_FILE)


def test_file_where_a_folder_should_be_fails_its_items_alone(site, outdir):
    (outdir / "posts").write_bytes(b"not a folder\n")

    report = export_items(outdir, force=True)

    assert report.errors == [f"{POST_FILE}: not written: posts is a file, not a folder"]
    assert (outdir / "posts").read_bytes() == b"not a folder\n"
    assert_exported(site, outdir, GOOD_TALK_FILE)


def test_folder_where_a_file_should_be_fails_that_file_alone(site, outdir):
    (outdir / GOOD_TALK_FILE).mkdir(parents=True)

    report = export_items(outdir, force=True)

    assert report.errors == [
        f"{GOOD_TALK_FILE}: not written: a folder or special file is in its place"
    ]
    assert (outdir / GOOD_TALK_FILE).is_dir()
    assert_exported(site, outdir, POST_FILE)


def test_command_reports_the_refused_file_exits_1_and_writes_the_others(site, outside, outdir):
    (outdir / "posts").symlink_to(outside / "empty")
    stdout, stderr = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as stopped:
        call_command("export_markdown", str(outdir), "--force", stdout=stdout, stderr=stderr)

    assert stopped.value.code == 1
    assert f"{POST_FILE}: not written: posts is a symbolic link" in stderr.getvalue()
    assert "exported 1 items and 0 files, failed 1" in stdout.getvalue()
    assert_exported(site, outdir, GOOD_TALK_FILE)
    assert list((outside / "empty").iterdir()) == []


def test_item_whose_stored_path_is_absolute_fails_alone(site, tmp_path, outdir):
    escaped = tmp_path / "escaped.md"
    Talk.objects.update(source_path=str(escaped))

    report = export_items(outdir, force=True)

    assert report.errors == [f"{escaped}: not written: it would be outside the output folder"]
    assert not escaped.exists()
    assert_exported(site, outdir, POST_FILE)
