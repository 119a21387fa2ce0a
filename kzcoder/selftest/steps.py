"""The self-test's steps, in order (``STEPS``); each raises SelfTestFailure naming what did
not hold. The window step is in ``selftest.window`` (it is the only one that loads Qt)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kzcoder.selftest.failure import SelfTestFailure
from kzcoder.selftest.protection import check_encryption

#: a few codings the exports carry besides the one the window makes: (document, start, end, memo)
EXTRA_CODINGS = ((1, 0, 40, "a memo with = at the start? no: =1+1"), (3, 10, 90, ""),
                 (5, 100, 180, "Жаңаөзен 😀"))
#: the sample corpus as shipped
SAMPLE_FILES = ("manifest.csv", "codebook.json")
SAMPLE_ARTICLES = 5


@dataclass
class Context:
    """What one step leaves for the next, all inside the self-test's temporary folder."""

    work: Path
    sample: Path = field(init=False)
    qdpx: Path = field(init=False)

    def __post_init__(self) -> None:
        self.sample = self.work / "sample.kzc"
        self.qdpx = self.work / "exports" / "sample.qdpx"


def expect(condition: bool, message: str) -> None:
    """SelfTestFailure(*message*) unless *condition*."""
    if not condition:
        raise SelfTestFailure(message)


def check_files(_context: Context) -> None:
    """Every file kzcoder reads at run time is where this installation looks for it."""
    from kzcoder.db.engine import KNOWN_REVISIONS
    from kzcoder.db.migrate import MIGRATIONS
    from kzcoder.exchange import readers
    from kzcoder.paths import resource

    def present(path: Path, what: str) -> None:
        expect(path.is_file(), f"missing {path} ({what})")

    present(MIGRATIONS / "env.py", "the database migrations")
    for revision in KNOWN_REVISIONS:
        present(MIGRATIONS / "versions" / f"{revision}.py", "a database migration")
    corpus = resource("sample_corpus")
    for name in SAMPLE_FILES:
        present(corpus / name, "the sample corpus")
    found = len(list(corpus.glob("*.txt"))) if corpus.is_dir() else 0
    expect(found == SAMPLE_ARTICLES,
           f"missing sample articles in {corpus} ({found} of {SAMPLE_ARTICLES})")
    present(resource("resources", "kzcoder.svg"), "the icon")
    for reader in readers.readers():
        expect(bool(format_files(reader.suffixes)),
               f"missing a self-test document for {reader.name} in {selftest_folder()}")


def selftest_folder() -> Path:
    """The bundled documents, one of every format kzcoder reads."""
    from kzcoder.paths import resource

    return resource("resources", "selftest")


def format_files(suffixes: frozenset[str]) -> list[Path]:
    """The bundled self-test documents with one of *suffixes*."""
    folder = selftest_folder()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in suffixes and not p.name.startswith("README"))


def make_sample(context: Context) -> None:
    """A project from the bundled sample corpus: five articles, four codes."""
    from kzcoder.services.codebook.editing import list_codes
    from kzcoder.services.documents import list_documents
    from kzcoder.services.sample import create_project

    with create_project(context.sample, sample=True) as project:
        documents, codes = list_documents(project), list_codes(project)
    expect(len(documents) == SAMPLE_ARTICLES,
           f"the sample project has {len(documents)} documents, not {SAMPLE_ARTICLES}")
    expect(len(codes) == 4, f"the sample project has {len(codes)} codes, not 4")


def check_window(context: Context) -> None:
    """The main window, offscreen: a keypress codes a span; undo and redo."""
    from kzcoder.selftest.window import code_in_window

    code_in_window(context.sample)


def import_formats(context: Context) -> None:
    """One file of every format the readers accept goes into a new project, each read by its
    reader (files holding the same article are recognised as the same text)."""
    from kzcoder.exchange import readers
    from kzcoder.services.documents import document_text, import_paths
    from kzcoder.services.project import Project

    with Project.create(context.work / "formats.kzc") as project:
        for reader in readers.readers():
            for path in format_files(reader.suffixes):
                report = import_paths(project, [path]).value
                expect(not report.refused, f"{path.name}: "
                       f"{report.refused[0].reason if report.refused else ''}")
                if report.duplicates:
                    continue  # its text was read: it is one already imported
                expect(len(report.imported) == 1, f"{path.name}: nothing imported")
                text = document_text(project, report.imported[0].id)
                expect(len(text.split()) >= 5, f"{path.name} ({reader.name}): read as "
                       f"{len(text)} characters")


def check_exports(context: Context) -> None:
    """Every export format, written from the sample project and read back."""
    from kzcoder.services.codebook.exchange import export_codebook, read_codebook
    from kzcoder.services.codings import add_coding
    from kzcoder.services.exports import export_report, export_segments
    from kzcoder.services.project import Project
    from kzcoder.services.refi.exporting import export_qdpx
    from kzcoder.services.segments import list_segments

    out = context.qdpx.parent
    out.mkdir()
    with Project.open(context.sample) as project:
        for document, start, end, memo in EXTRA_CODINGS:
            add_coding(project, document, "Force", start, end, coder="self-test", memo=memo)
        segments = list_segments(project)
        texts = sorted(s.text for s in segments)
        for fmt in ("csv", "xlsx", "json"):
            export_segments(project, out / f"segments.{fmt}")
        export_report(project, out / "report.html")
        for fmt in ("qdc", "csv", "md"):
            export_codebook(project, out / f"codebook.{fmt}")
        export_qdpx(project, context.qdpx)
    _read_segment_exports(out, texts)
    page = (out / "report.html").read_text("utf-8")
    expect(page.startswith("<!DOCTYPE html>") and "Force" in page, "report.html: not a report")
    names = [e.name for e in read_codebook(out / "codebook.qdc")]
    expect(names[:4] == ["State justification", "Dissent", "Force", "International reaction"],
           f"codebook.qdc: read back as {names}")
    expect("Force" in (out / "codebook.md").read_text("utf-8"), "codebook.md: no codes")
    expect("project.qde" in zipfile.ZipFile(context.qdpx).namelist(),
           "sample.qdpx: no project.qde")


def _read_segment_exports(out: Path, texts: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO((out / "segments.csv").read_text("utf-8-sig"))))
    expect(sorted(r["text"] for r in rows) == texts, "segments.csv: texts differ")
    from openpyxl import load_workbook

    book = load_workbook(out / "segments.xlsx", read_only=True)
    try:
        header, *cells = list(book["segments"].iter_rows(values_only=True))
    finally:
        book.close()
    expect(sorted(r[list(header).index("text")] for r in cells) == texts,
           "segments.xlsx: texts differ")
    data = json.loads((out / "segments.json").read_text("utf-8"))
    expect(sorted(s["text"] for s in data["segments"]) == texts, "segments.json: texts differ")


def check_round_trip(context: Context) -> None:
    """The .qdpx imported into a second project holds the same documents and codings, and
    exported again gives the same project.qde."""
    from kzcoder.services.documents import list_documents
    from kzcoder.services.project import Project
    from kzcoder.services.refi.exporting import export_qdpx
    from kzcoder.services.refi.importing import import_qdpx
    from kzcoder.services.segments import list_segments

    copy = context.work / "copy.kzc"
    import_qdpx(context.qdpx, copy)

    def contents(path: Path) -> tuple[list, list]:
        with Project.open(path) as project:
            documents = sorted((d.guid, d.name, d.length) for d in list_documents(project))
            codings = sorted((s.document, s.code, s.coder, s.start, s.end, s.text, s.memo)
                             for s in list_segments(project))
        return documents, codings

    expect(contents(copy) == contents(context.sample),
           "the imported .qdpx differs from the project it was exported from")
    again = context.work / "again.qdpx"
    with Project.open(copy) as project:
        export_qdpx(project, again)
    first = zipfile.ZipFile(context.qdpx).read("project.qde")
    expect(zipfile.ZipFile(again).read("project.qde") == first,
           "exporting the imported project gives another project.qde")


STEPS = (("files", check_files), ("sample project", make_sample), ("window", check_window),
         ("import formats", import_formats), ("exports", check_exports),
         ("REFI-QDA round trip", check_round_trip), ("encryption", check_encryption))
