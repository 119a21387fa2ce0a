"""REFI-QDA export (.qdpx) and import into a new project: every archive kzcoder writes validates
against Project-mrt2019.xsd, and export -> import -> export is the identity (GUIDs, texts,
spans, memos, coders, attributes, times, originals byte for byte)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcoder.core.errors import KzError
from kzcoder.db.queries import raw
from kzcoder.services import originals
from kzcoder.services.codebook.editing import add_code
from kzcoder.services.codings import add_coding
from kzcoder.services.documents import import_paths, update_document
from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from kzcoder.services.refi.importing import import_qdpx, report_path

# The REFI-QDA schemas and real tools' exports, vendored with their provenance.
REFI_DATA = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
SCHEMA_PATH = REFI_DATA / "Project-mrt2019.xsd"
OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "office"
_schema = None


def validate(archive: Path) -> bytes:
    """The archive's project.qde, after checking it against the schema."""
    global _schema
    qde = zipfile.ZipFile(archive).read("project.qde")
    if SCHEMA_PATH.is_file():
        if _schema is None:
            _schema = xmlschema.XMLSchema(str(SCHEMA_PATH))
        _schema.validate(qde.decode("utf-8"))
    return qde


def state(path: Path) -> dict[str, object]:
    """Everything a project holds that REFI-QDA carries, by GUID (ids left out)."""
    with sqlite3.connect(path) as db:
        q = db.execute
        docs = {i: g for i, g in q("SELECT id, guid FROM documents")}
        codes = {i: g for i, g in q("SELECT id, guid FROM codes")}
        coders = {i: g for i, g in q("SELECT id, guid FROM coders")}
        attributes = sorted((docs[d], n, v) for d, n, v in q(
            "SELECT document_id, name, value FROM document_attributes"))
        originals_ = sorted((docs[d], *rest) for d, *rest in q(
            "SELECT document_id, file_name, media_type, size, sha256, data FROM original_files"))
        return {
            "project": q("SELECT name, memo, created FROM project").fetchall(),
            "coders": sorted(q("SELECT guid, name FROM coders").fetchall()),
            # siblings in their order under each parent (positions count per parent; ids differ
            # after an import, so they cannot order codes of different parents)
            "codes": sorted((codes.get(p) or "", rank, g, n, c, d, m, s, k) for rank, (
                g, p, n, c, d, m, s, k) in _ranked(q(
                    "SELECT guid, parent_id, name, color, description, memo, shortcut, "
                    "codable, position, id FROM codes ORDER BY parent_id, position, id"
                ).fetchall())),
            "journal": sorted(q("SELECT guid, title, text, author, created, modified "
                                "FROM journal").fetchall()),
            "code sets": sorted((g, n, d, tuple(sorted(codes[c] for (c,) in q(
                "SELECT code_id FROM code_set_members WHERE set_id = ?", (i,)))))
                for i, g, n, d in q("SELECT id, guid, name, description FROM code_sets")),
            "guid forms": sorted(q("SELECT guid, form FROM guid_forms").fetchall()),
            "annotations": sorted((g, docs[d], *rest) for g, d, *rest in q(
                'SELECT guid, document_id, start, "end", text, author, created '
                "FROM annotations")),
            "documents": q("SELECT guid, name, text, length, sha256, source_encoding, memo, "
                           "created FROM documents ORDER BY id").fetchall(),
            "attributes": attributes,
            "codings": sorted((g, docs[d], codes[c], coders[k], s, e, m, t) for
                              g, d, c, k, s, e, m, t in q(
                'SELECT guid, document_id, code_id, coder_id, start, "end", memo, created '
                "FROM codings")),
            "originals": originals_,
            # when memos of documents, codes and codings changed (a project memo travels as
            # the project's Description, which has no time; a removed row's time stays behind)
            "memo times": sorted(q(
                "SELECT guid, modified FROM memo_times WHERE guid IN (SELECT guid FROM "
                "documents UNION SELECT guid FROM codes UNION SELECT guid FROM codings)"
            ).fetchall()),
        }


def _ranked(rows: list[tuple]) -> list[tuple[int, tuple]]:
    """Each code with its rank among its siblings (rows ordered by parent, position, id)."""
    ranked, rank, parent = [], 0, object()
    for *row, _position, _id in rows:
        rank = rank + 1 if row[1] == parent else 0
        parent = row[1]
        ranked.append((rank, tuple(row)))
    return ranked


FILES = {
    # CRLF and a BOM: the stored text has LF, the original keeps both
    "crlf.txt": "\ufeffМитинг в Жаңаөзен.\r\nПолиция 😀 разогнала 𝕏.\r\nКонец.\r\n"
                .encode("utf-8"),
    "accents.txt": "Cafe\u0301 cre\u0300me — Қазақстан билігі 👩‍👩‍👧 and 🇰🇿 flags.\n"
                   .encode("utf-8"),
    "cp1251.txt": "Власти заявили о порядке. Оппозиция не согласна.\n".encode("cp1251"),
}


def build(tmp_path: Path) -> Path:
    """A project with emoji, CRLF files, combining accents, Cyrillic and Kazakh, nested
    codes, two coders, every kind of memo, attributes and a Word original."""
    folder = tmp_path / "files"
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    shutil.copy(OFFICE / "article.docx", folder / "article.docx")
    path = tmp_path / "source.kzc"
    with Project.create(path) as project:
        report = import_paths(project, [folder]).value
        assert not report.refused, report.summary_lines()
        docs = {d.name: d for d in report.imported}
        top = add_code(project, "Реакция & <власти>", "#112233",
                       description="Что говорят власти.\r\nВторая \"строка\".").value
        mid = add_code(project, "Қазақстан билігі", "#A1B2C3", parent=top.id, shortcut="5").value
        leaf = add_code(project, "Emoji 😀", "#0F0F0F", parent=mid.id).value
        other = add_code(project, "Second root", "#FFEEDD").value
        crlf, accents = docs["crlf"], docs["accents"]
        add_coding(project, crlf.id, top.id, 0, 6, coder="Айгүл", memo="Первая\r\nпамятка\t!")
        add_coding(project, crlf.id, leaf.id, 28, 30, coder="Айгүл")  # the emoji and after
        add_coding(project, crlf.id, leaf.id, 28, 30, coder="bob")  # the same span again
        add_coding(project, accents.id, mid.id, 3, 5, coder="bob",
                   memo="a combining accent cut in two\x0b(a control character)")
        add_coding(project, accents.id, other.id, 0, accents.length, coder="bob")
        add_coding(project, docs["article"].id, other.id, 10, 50, coder="Айгүл")
        update_document(project, crlf.id, set_attributes={"outlet": "Азаттық & <Co>",
                                                         "published": "2022-01"})
        with project.unit() as session:
            db = raw(session)
            db.execute("UPDATE project SET memo = ?", ("Проект\nмемо & <x>",))
            db.execute("UPDATE documents SET memo = ? WHERE id = ?", ("Документ 😀", crlf.id))
            db.execute("UPDATE codes SET memo = ? WHERE id = ?", ("Code memo\r\n", leaf.id))
    return path


def test_round_trip_is_the_identity(tmp_path):
    source = build(tmp_path)
    with Project.open(source) as project:
        result = export_qdpx(project, tmp_path / "one.qdpx").value
    assert (result.documents, result.codes, result.codings, result.coders) == (4, 4, 6, 2)
    first = validate(tmp_path / "one.qdpx")
    report = import_qdpx(tmp_path / "one.qdpx", tmp_path / "copy.kzc")
    assert report.not_imported == [] and report.remapped == [] and report.changed == []
    assert report.counts["codings"] == 6 and report.counts["memos"] == 5
    assert report.path == report_path(tmp_path / "copy.kzc") and report.path.is_file()
    assert state(tmp_path / "copy.kzc") == state(source)
    with Project.open(tmp_path / "copy.kzc") as copy:
        export_qdpx(copy, tmp_path / "two.qdpx")
    assert validate(tmp_path / "two.qdpx") == first  # the same XML, byte for byte
    one, two = zipfile.ZipFile(tmp_path / "one.qdpx"), zipfile.ZipFile(tmp_path / "two.qdpx")
    assert {n: one.read(n) for n in one.namelist()} == {n: two.read(n) for n in two.namelist()}


def test_originals_come_back_byte_for_byte(tmp_path):
    source = build(tmp_path)
    with Project.open(source) as project:
        export_qdpx(project, tmp_path / "one.qdpx")
    import_qdpx(tmp_path / "one.qdpx", tmp_path / "copy.kzc")
    wanted = {**FILES, "article.docx": (OFFICE / "article.docx").read_bytes()}
    with Project.open(tmp_path / "copy.kzc") as copy:
        for name, data in wanted.items():
            out = tmp_path / "back" / name
            out.parent.mkdir(exist_ok=True)
            info = originals.save_original(copy, f"name:{Path(name).stem}", out)
            assert out.read_bytes() == data
            assert info.file_name == name and info.sha256 == hashlib.sha256(data).hexdigest()
    names = zipfile.ZipFile(tmp_path / "one.qdpx").namelist()
    # a Word original is the rich text; a plain-text one is not (ATLAS.ti refuses a .txt there)
    qde = zipfile.ZipFile(tmp_path / "one.qdpx").read("project.qde").decode()
    assert qde.count("richTextPath=") == 1 and '.docx"' in qde
    assert sum(n.endswith(".original.txt") for n in names) == 2  # crlf (BOM) and cp1251


def test_export_is_atomic_refuses_to_overwrite_and_stops_cleanly(tmp_path, sample_project):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "p.qdpx"
    out.write_bytes(b"keep me")
    with pytest.raises(KzError, match="already exists"):
        export_qdpx(sample_project, out)
    assert out.read_bytes() == b"keep me"
    calls = []
    with pytest.raises(KzError, match="stopped"):
        export_qdpx(sample_project, out, overwrite=True,
                    progress=lambda done, total, name: calls.append(done) or len(calls) < 2)
    assert out.read_bytes() == b"keep me" and os.listdir(tmp_path / "out") == ["p.qdpx"]
    export_qdpx(sample_project, out, overwrite=True)
    validate(out)
    with pytest.raises(KzError, match="open kzcoder project"):
        export_qdpx(sample_project, sample_project.path, overwrite=True)
    with pytest.raises(KzError, match="open kzcoder project"):
        import_qdpx(sample_project.path, tmp_path / "out" / "new.kzc")
    assert not (tmp_path / "out" / "new.kzc").exists()


def test_import_stopped_or_failing_leaves_nothing(tmp_path, sample_project):
    export_qdpx(sample_project, tmp_path / "p.qdpx")
    sample_project.close()
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(KzError, match="stopped"):
        import_qdpx(tmp_path / "p.qdpx", tmp_path / "new.kzc", progress=lambda *a: False)
    assert sorted(os.listdir(tmp_path)) == before
    (tmp_path / "taken.kzc").write_bytes(b"")
    with pytest.raises(KzError, match="already exists"):
        import_qdpx(tmp_path / "p.qdpx", tmp_path / "taken.kzc")
    assert (tmp_path / "taken.kzc").read_bytes() == b""


# --- random projects ----------------------------------------------------------------------

_LETTERS = st.sampled_from(list("abcxyz АБВжыңқүө") + ["😀", "𝕏", "👩‍👧", "\u0301", "\u0308",
                                                         "e\u0301", "\n", "\r\n", " ", "&", "<"])
_TEXTS = st.lists(_LETTERS, min_size=1, max_size=40).map("".join).filter(
    lambda t: t.replace("\r\n", "\n").strip())
_MEMOS = st.text(st.sampled_from(list("ab ж😀&<>\"'\t\r\n\x0b\u0301")), max_size=12)
_NAMES = st.text(st.sampled_from(list("abжқ😀&<> \"'")), min_size=1, max_size=8).filter(
    lambda n: n.strip())


@st.composite
def projects(draw):
    texts = draw(st.lists(_TEXTS, min_size=1, max_size=3, unique_by=lambda t:
                          t.replace("\r\n", "\n")))
    codes = draw(st.lists(st.tuples(_NAMES, st.integers(0, 5)), min_size=1, max_size=4))
    coders = draw(st.lists(_NAMES, min_size=1, max_size=3, unique_by=str.strip))
    codings = draw(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10),
                                      st.floats(0, 1), st.floats(0, 1), st.integers(0, 10),
                                      _MEMOS), max_size=8))
    memos = draw(st.tuples(_MEMOS, _MEMOS, _MEMOS))
    return texts, codes, coders, codings, memos


@given(projects())
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_random_projects_round_trip_to_the_identity(tmp_path_factory, generated):
    texts, code_specs, coders, coding_specs, (project_memo, document_memo, code_memo) = generated
    tmp = tmp_path_factory.mktemp("random")
    (tmp / "in").mkdir()
    for number, text in enumerate(texts):
        (tmp / "in" / f"t{number}.txt").write_bytes(text.encode("utf-8"))
    with Project.create(tmp / "a.kzc") as project:
        docs = import_paths(project, [tmp / "in"]).value.imported
        code_ids: list[int] = []
        for number, (name, parent) in enumerate(code_specs):
            under = code_ids[parent % len(code_ids)] if code_ids and parent else None
            code_ids.append(add_code(project, f"{name.strip()} {number}",
                                     f"#{number * 40:02X}2{number}4F", parent=under).value.id)
        for doc_n, code_n, a, b, coder_n, memo in coding_specs:
            doc = docs[doc_n % len(docs)]
            start, end = sorted((int(a * doc.length), int(b * doc.length)))
            if start == end:
                end = min(start + 1, doc.length)
                start = end - 1
            add_coding(project, doc.id, code_ids[code_n % len(code_ids)], start, end,
                       coder=coders[coder_n % len(coders)].strip(), memo=memo)
        with project.unit() as session:
            db = raw(session)
            db.execute("UPDATE project SET memo = ?", (project_memo,))
            db.execute("UPDATE documents SET memo = ? WHERE id = ?", (document_memo, docs[0].id))
            db.execute("UPDATE codes SET memo = ? WHERE id = ?", (code_memo, code_ids[0]))
        export_qdpx(project, tmp / "one.qdpx")
    first = validate(tmp / "one.qdpx")
    report = import_qdpx(tmp / "one.qdpx", tmp / "b.kzc")
    assert report.not_imported == [] and report.remapped == []
    assert state(tmp / "b.kzc") == state(tmp / "a.kzc")
    with Project.open(tmp / "b.kzc") as copy:
        export_qdpx(copy, tmp / "two.qdpx")
    assert zipfile.ZipFile(tmp / "two.qdpx").read("project.qde") == first
