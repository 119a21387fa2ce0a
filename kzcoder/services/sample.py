"""The sample project: the five Kazakhstan articles and the default codebook."""

from __future__ import annotations

from pathlib import Path

from kzcoder.core.changes import Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import ImportReport
from kzcoder.exchange.codebook.json_file import CodeEntry, read_codebook_json
from kzcoder.paths import default_project_path, resource
from kzcoder.services.codebook.editing import add_code
from kzcoder.services.documents import import_paths
from kzcoder.services.project import Project

SAMPLE_CODEBOOK = "codebook.json"


def sample_corpus_dir() -> Path:
    """The shipped ``sample_corpus/`` folder."""
    return resource("sample_corpus")


def load_codebook(project: Project, entries: list[CodeEntry], parent: int | None = None) -> Changes:
    """Add the codes of *entries* (and their children) under *parent*."""
    changes = Changes()
    for entry in entries:
        added = add_code(project, entry.name, entry.color, parent=parent,
                         description=entry.description, shortcut=entry.shortcut)
        changes |= added.changes | load_codebook(project, list(entry.children), added.value.id)
    return changes


def load_sample(project: Project) -> ImportReport:
    """Import the sample articles (with the manifest's attributes) and the default codebook."""
    folder = sample_corpus_dir()
    load_codebook(project, read_codebook_json(folder / SAMPLE_CODEBOOK))
    report = import_paths(project, sorted(folder.glob("*.txt"))).value
    if report.refused:  # an import keeps what went in; the sample goes in whole or not at all
        raise KzError(report.refused[0].reason)
    return report


def create_project(path: str | Path, *, sample: bool = False,
                   passphrase: str | None = None) -> Project:
    """Create a project file, optionally filled with the sample corpus and default codebook,
    encrypted with *passphrase* if given; it gets its name only once complete (see
    ``Project.create``)."""
    return Project.create(path, fill=load_sample if sample else None, passphrase=passphrase)


def open_default_project() -> Project:
    """Open the default project, creating it from the sample corpus on first start."""
    path = default_project_path()
    if path.exists():
        return Project.open(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return create_project(path, sample=True)
