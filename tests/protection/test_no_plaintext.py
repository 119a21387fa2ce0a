"""An encrypted project holds no readable text in any file: the project, its -wal while it is
open, rolling backups, saved copies, a decrypted-then-encrypted copy. The same search over a
plain project finds every marker, so the search itself is shown to work."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzcoder.services import backup, memos, originals
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.codings import add_coding
from kzcoder.services.documents import document_text, import_paths, list_documents
from kzcoder.services.project import Project
from kzcoder.services.sample import create_project

PASSPHRASE = "correct horse battery staple"
TEXT_MARKER = "Quokkaville protest organiser Zhanar"
ORIGINAL_MARKER = "only-in-the-original-file-7431"
CODE_MARKER = "Informant network"
MEMO_MARKER = "met the source at the bakery"


def _fill(path: Path, folder: Path, *, passphrase: str | None) -> tuple[Project, list[bytes]]:
    """A sample project with one imported HTML file (kept as its original), a new code, a
    coding and a memo; returns it open, and the byte strings that must not be readable."""
    folder.mkdir()
    page = folder / "leak.html"
    body = "".join(f"<p>{sentence}</p>" for sentence in (
        f"{TEXT_MARKER} said the police came at night and took the laptops away.",
        "Three witnesses described the raid in detail, and all of them asked not to be named.",
        "The regional office declined to comment on the operation or on the arrests.",
        "Lawyers for the detained said they had not been allowed to see their clients."))
    page.write_text(f'<html><head><meta name="source" content="{ORIGINAL_MARKER}">'
                    f"<title>Leak</title></head><body><article>{body}</article></body></html>",
                    encoding="utf-8")
    create_project(path, sample=True, passphrase=passphrase).close()
    project = Project.open(path)
    imported = import_paths(project, [page]).value.imported[0]
    code = codebook.add_code(project, CODE_MARKER, "#336699").value
    text = document_text(project, imported.id)
    start = text.index(TEXT_MARKER)
    add_coding(project, imported.id, code.id, start, start + len(TEXT_MARKER), coder="ana")
    memos.set_memo(project, "project", None, MEMO_MARKER)
    markers = [m.encode() for m in (TEXT_MARKER, ORIGINAL_MARKER, CODE_MARKER, MEMO_MARKER)]
    for info in list_documents(project):  # pieces of every sample text, and its name
        sample = document_text(project, info.id)
        markers += [sample[i:i + 24].encode() for i in range(0, len(sample) - 24, 997)]
        markers.append(info.name.encode())
    return project, markers


def _readable(files: list[Path], markers: list[bytes]) -> list[str]:
    found = []
    for file in files:
        data = file.read_bytes()
        found += [f"{file.name}: {m[:30]!r}" for m in markers if m in data]
    return found


def _every_file(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".html")


@pytest.mark.parametrize("encrypted", [True, False])
def test_no_marker_is_readable_in_any_file(tmp_path, encrypted):
    path = tmp_path / "p" / "interviews.kzc"
    path.parent.mkdir()
    project, markers = _fill(path, tmp_path / "in", passphrase=PASSPHRASE if encrypted else None)
    try:
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the latest commits are in it
        while_open = _readable([path, wal], markers)
        backup.backup_now(project)
        copy = backup.save_copy(project, tmp_path / "p" / "copy.kzc")
        assert originals.original_info(project, list_documents(project)[-1].id) is not None
    finally:
        project.close()
    after = _readable(_every_file(path.parent), markers)
    files = {p.name for p in _every_file(path.parent)}
    assert copy.name in files and any(name.startswith("interviews-") for name in files)
    if encrypted:
        assert while_open == [] and after == []
    else:  # the control: the same search finds them all in a plain project
        assert len(while_open) >= len(markers) and len(after) >= 3 * len(markers)
