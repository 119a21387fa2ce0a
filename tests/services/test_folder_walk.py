"""Issue 20: a folder import reads what the folder holds, never what its links point to."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kzcoder.services.documents import import_paths

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _import(project, *paths: Path):  # noqa: ANN001, ANN202
    """import_paths in a thread, failing (not hanging the run) if it takes more than 60 s."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(import_paths(project, paths).value),
                              daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the folder walk did not end"
    return result[0]


def _names(report) -> list[str]:  # noqa: ANN001
    return sorted(d.name for d in report.imported)


def test_two_links_to_the_parent_folder_do_not_loop(project, tmp_path):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("The first article.\n")
    (folder / "sub" / "two.txt").write_text("The second article.\n")
    os.symlink("..", folder / "sub" / "up")
    os.symlink("..", folder / "sub" / "up2")
    report = _import(project, folder)
    assert _names(report) == ["one", "two"]
    reasons = sorted(r.reason for r in report.refused)
    assert reasons == sorted(f"{folder / 'sub' / name}: a link to a folder, not followed; "
                             "import that folder itself" for name in ("up", "up2"))


def test_links_out_of_the_folder_are_not_imported(project, tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Not part of the corpus.\n")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("The first article.\n")
    os.symlink(outside / "secret.txt", folder / "secret.txt")
    os.symlink(outside, folder / "etc")
    os.symlink("/etc/hostname", folder / "hostname.txt")
    report = _import(project, folder)
    assert _names(report) == ["one"]
    reasons = {r.path.name: r.reason for r in report.refused}
    assert reasons["secret.txt"] == (f"{folder / 'secret.txt'}: a link to "
                                     f"{outside / 'secret.txt'}, outside the folder; not "
                                     "imported")
    assert "a link to a folder, not followed" in reasons["etc"]
    assert "outside the folder" in reasons["hostname.txt"] or "nothing" in reasons["hostname.txt"]


def test_a_link_to_a_file_inside_the_folder_is_a_file(project, tmp_path):
    folder = tmp_path / "articles"
    (folder / "kept").mkdir(parents=True)
    (folder / "kept" / "one.txt").write_text("The first article.\n")
    os.symlink("kept/one.txt", folder / "alias.txt")
    os.symlink("missing.txt", folder / "broken.txt")
    report = _import(project, folder)
    # the link and its target are one text: the second is a duplicate, not a second document
    assert len(report.imported) == 1 and len(report.duplicates) == 1
    assert [r.reason for r in report.refused] == [
        f"{folder / 'broken.txt'}: a link to nothing that exists; not imported"]


def test_a_pipe_in_the_folder_is_not_read(project, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("The first article.\n")
    os.mkfifo(folder / "pipe.txt")
    report = _import(project, folder)
    assert _names(report) == ["one"]
    assert [r.reason for r in report.refused] == [
        f"{folder / 'pipe.txt'}: not a file; not imported"]


def test_an_empty_folder_says_no_documents_found(project, tmp_path):
    folder = tmp_path / "empty"
    (folder / ".hidden").mkdir(parents=True)
    report = _import(project, folder)
    assert report.imported == ()
    assert [r.reason for r in report.refused] == [f"{folder}: no documents found"]
    assert report.summary_lines()[0] == f"refused {folder}: no documents found"
