"""Exchange fidelity (issue 24): memos in both REFI-QDA forms, notes with times and users,
categories, the journal, code sets and GUIDs in the form they came in; read back by kzcoder as
the identity and by a reader that follows QualCoder's importer's rules (tests/services/
qualcoder_rules.py)."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from kzcoder.db.queries import raw
from kzcoder.exchange.refi.memos import (
    MEMO_HEADING,
    code_description,
    richest,
    split_code_description,
)
from kzcoder.services.annotation import add_annotation
from kzcoder.services.codebook.editing import add_code, list_codes
from kzcoder.services.codings import codings_by_id, update_coding
from kzcoder.services.documents import list_documents
from kzcoder.services.journal import add_entry, list_entries, set_text
from kzcoder.services.memos import get_memo, set_memo
from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from kzcoder.services.refi.importing import import_qdpx
from tests.services import qualcoder_rules
from tests.services.test_refi_import import SAMPLES
from tests.services.test_refi_roundtrip import build, state, validate

NS = "{urn:QDA-XML:project:1.0}"


def build_full(tmp_path: Path) -> Path:
    """The round-trip project, plus a category with a sub-code, two journal entries (one by
    someone who codes nothing, one edited, one with a control character) and a code set."""
    path = build(tmp_path)
    with Project.open(path) as project:
        category = add_code(project, "Actors", "#445566", codable=False,
                            description="who acts").value
        add_code(project, "Police", "#665544", parent=category.id)
        add_entry(project, "Research plan", "Plan 😀\nline two", author="Айгүл",
                  created="2024-01-02T03:04:05Z")
        add_entry(project, "Field note", "odd \x0b char", author="someone else",
                  created="2024-01-03T03:04:05Z")
        set_text(project, "Research plan", "Plan 😀\nline two, edited")
        for kind, ref, table in (("document", "crlf", "documents"),
                                 ("code", "Emoji 😀", "codes")):
            memo = get_memo(project, kind, ref)
            set_memo(project, kind, ref, memo.text + " (edited)")  # now it has a time
            with project.unit() as session:  # and its text back exactly (\r\n and all)
                raw(session).execute(f"UPDATE {table} SET memo = ? WHERE id = ?",  # noqa: S608
                                     (memo.text, memo.target.id))
        crlf = next(d for d in list_documents(project) if d.name == "crlf")
        add_annotation(project, crlf.id, 28, 30, "an emoji, anchored", author="Айгүл")
        add_annotation(project, crlf.id, 0, 6, "odd \x0c annotation", author="reader")
        codes = {c.name: c for c in list_codes(project)}
        with project.unit() as session:
            db = raw(session)
            set_id = db.execute("INSERT INTO code_sets (guid, name, description) VALUES "
                                "('5d1c4c1e-0000-4000-8000-00000000abcd', 'Core', 'the core')"
                                ).lastrowid
            for name in ("Second root", "Police"):
                db.execute("INSERT INTO code_set_members VALUES (?, ?)",
                           (set_id, codes[name].id))
    return path


def test_everything_round_trips_to_the_identity_and_validates(tmp_path):
    source = build_full(tmp_path)
    with Project.open(source) as project:
        export_qdpx(project, tmp_path / "one.qdpx")
    first = validate(tmp_path / "one.qdpx")
    report = import_qdpx(tmp_path / "one.qdpx", tmp_path / "copy.kzc")
    assert report.not_imported == [] and report.changed == []
    assert (report.counts["journal"], report.counts["code sets"]) == (2, 1)
    assert report.counts["annotations"] == 2
    assert report.counts["coders"] == 2  # the journal's other author is no coder
    assert state(tmp_path / "copy.kzc") == state(source)
    with Project.open(tmp_path / "copy.kzc") as copy:
        export_qdpx(copy, tmp_path / "two.qdpx")
    assert validate(tmp_path / "two.qdpx") == first


def test_notes_carry_times_and_users_and_memos_are_descriptions_too(tmp_path):
    source = build_full(tmp_path)
    with Project.open(source) as project:
        export_qdpx(project, tmp_path / "one.qdpx")
        memos = {"document": raw_memo(project, "documents"), "code": raw_memo(project, "codes")}
    root = ElementTree.fromstring(validate(tmp_path / "one.qdpx"))
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    notes = root.findall(f"{NS}Notes/{NS}Note")
    assert notes and all(n.get("creationDateTime") and n.get("creatingUser") in users
                         for n in notes)
    journal = {n.get("name"): n for n in notes if n.get("name") in ("Research plan",
                                                                     "Field note")}
    plan = journal["Research plan"]
    assert plan.get("creationDateTime") == "2024-01-02T03:04:05Z"
    assert plan.get("modifiedDateTime") and users[plan.get("creatingUser")] == "Айгүл"
    assert users[journal["Field note"].get("creatingUser")] == "someone else"
    assert journal["Field note"].get("plainTextPath")  # XML cannot carry \x0b
    referred = {r.get("targetGUID") for r in root.iter(f"{NS}NoteRef")}
    assert not {n.get("guid") for n in journal.values()} & referred  # free memos
    described = {s.get("name"): s.findtext(f"{NS}Description") for s in
                 root.iter(f"{NS}TextSource")}
    assert described["crlf"] == memos["document"] == "Документ 😀"
    code_descriptions = {c.get("name"): c.findtext(f"{NS}Description")
                         for c in root.iter(f"{NS}Code")}
    assert code_descriptions["Emoji 😀"] == f"{MEMO_HEADING}\nCode memo\r\n"
    assert code_descriptions["Actors"] == "who acts"
    codable = {c.get("name"): c.get("isCodable") for c in root.iter(f"{NS}Code")}
    assert codable["Actors"] == "false" and codable["Police"] == "true"
    selection_memos = sorted(s.findtext(f"{NS}Description") or "" for s in
                             root.iter(f"{NS}PlainTextSelection")
                             if s.find(f"{NS}Coding") is not None)
    anchored = [(s.get("startPosition"), s.get("endPosition"), s.findtext(f"{NS}Description"))
                for s in root.iter(f"{NS}PlainTextSelection") if s.find(f"{NS}Coding") is None]
    assert sorted(anchored, key=str) == sorted([("28", "30", "an emoji, anchored"),
                                                ("0", "6", None)], key=str)
    # the memo with a control character travels only as a note file
    assert [m for m in selection_memos if m] == ["Первая\r\nпамятка\t!"]
    sets = root.findall(f"{NS}Sets/{NS}Set")
    assert [(s.get("name"), s.findtext(f"{NS}Description"), len(s.findall(f"{NS}MemberCode")))
            for s in sets] == [("Core", "the core", 2)]


def test_memo_notes_carry_when_the_memo_changed_and_it_comes_back(tmp_path):
    source = build_full(tmp_path)
    with Project.open(source) as project:
        coding = next(c for c in codings_by_id(project, range(1, 50)).values() if c.memo)
        update_coding(project, coding.id, memo=coding.memo + " (again)")
        export_qdpx(project, tmp_path / "one.qdpx")
        guids = {d.name: d.guid for d in list_documents(project)}
        guids.update({c.name: c.guid for c in list_codes(project)})
    with sqlite3.connect(source) as db:
        times = dict(db.execute("SELECT guid, modified FROM memo_times"))
    assert set(times) == {guids["crlf"], guids["Emoji 😀"], coding.guid}
    root = ElementTree.fromstring(validate(tmp_path / "one.qdpx"))
    notes = {n.get("guid"): n for n in root.iter(f"{NS}Note")}

    def note_of(element) -> ElementTree.Element:  # noqa: ANN001
        return notes[element.find(f"{NS}NoteRef").get("targetGUID")]

    by_guid = {e.get("guid").lower(): e for tag in ("TextSource", "Code")
               for e in root.iter(f"{NS}{tag}")}
    assert note_of(by_guid[guids["crlf"]]).get("modifiedDateTime") == times[guids["crlf"]]
    code_note = note_of(by_guid[guids["Emoji 😀"]])
    assert code_note.get("modifiedDateTime") == times[guids["Emoji 😀"]]
    selection = next(s for s in root.iter(f"{NS}PlainTextSelection")
                     if (c := s.find(f"{NS}Coding")) is not None
                     and c.get("guid").lower() == coding.guid)
    assert note_of(selection).get("modifiedDateTime") == times[coding.guid]
    # a memo never changed here has no modification time
    unchanged = [n for n in notes.values() if n.get("name", "").startswith("Memo on")
                 and n is not code_note and n is not note_of(by_guid[guids["crlf"]])
                 and n is not note_of(selection)]
    assert unchanged and all(n.get("modifiedDateTime") is None for n in unchanged)
    import_qdpx(tmp_path / "one.qdpx", tmp_path / "copy.kzc")
    with sqlite3.connect(tmp_path / "copy.kzc") as db:
        assert dict(db.execute("SELECT guid, modified FROM memo_times")) == times


def raw_memo(project: Project, table: str) -> str:
    with project.unit() as session:
        return raw(session).execute(f"SELECT memo FROM {table} WHERE memo != '' "
                                    "ORDER BY id LIMIT 1").fetchone()[0]


def test_a_reader_with_qualcoders_rules_finds_everything_in_place(tmp_path):
    source = build_full(tmp_path)
    with Project.open(source) as project:
        export_qdpx(project, tmp_path / "one.qdpx")
    peer = qualcoder_rules.read(tmp_path / "one.qdpx")
    by_name = {c["name"]: c for c in peer.codes.values()}
    assert by_name["Actors"]["category"] and not by_name["Police"]["category"]
    assert peer.codes[by_name["Police"]["parent"]]["name"] == "Actors"
    assert by_name["Emoji 😀"]["memo"].endswith("Code memo\r\n")
    assert by_name["Реакция & <власти>"]["memo"] == "Что говорят власти.\r\nВторая \"строка\"."
    assert {s["name"]: s["memo"] for s in peer.sources.values()}["crlf"] == "Документ 😀"
    assert len(peer.codings) == 6
    assert sorted(c["memo"] for c in peer.codings if c["memo"]) == ["Первая\r\nпамятка\t!"]
    journals = {j["name"]: j for j in peer.journals}
    assert journals["Research plan"]["text"] == "Plan 😀\nline two, edited"
    assert journals["Research plan"]["owner"] == "Айгүл"
    assert journals["Research plan"]["date"] == "2024-01-02 03:04:05"
    assert journals["Field note"]["text"] == "odd \x0b char"
    # memos XML cannot carry go as note files, which QualCoder lists as journal entries: their
    # text reaches its user there rather than nowhere
    assert {n for n in journals if n not in ("Research plan", "Field note")} == {
        "Annotation", *(n for n in journals if n.startswith("Memo on coding "))}
    assert ("an emoji, anchored", 28, 30, "Айгүл") in [
        (a["text"], a["start"], a["end"], a["owner"]) for a in peer.annotations]


def test_guids_keep_the_form_they_came_in(tmp_path):
    """NVivo writes lower-case GUIDs: they go back out lower-case; kzcoder's own go out in
    upper case."""
    original = ElementTree.fromstring(zipfile.ZipFile(SAMPLES / "nvivo_project.qdpx").read(
        "project.qde"))
    written = {c.get("guid") for c in original.iter(f"{NS}Code")}
    assert written and all(g == g.lower() for g in written)
    import_qdpx(SAMPLES / "nvivo_project.qdpx", tmp_path / "nvivo.kzc")
    with Project.open(tmp_path / "nvivo.kzc") as project:
        new = add_code(project, "New code", "#123456").value
        export_qdpx(project, tmp_path / "out.qdpx")
    root = ElementTree.fromstring(validate(tmp_path / "out.qdpx"))
    out = {c.get("guid") for c in root.iter(f"{NS}Code")}
    assert written <= out and new.guid.upper() in out
    referred = {r.get("targetGUID") for r in root.iter(f"{NS}CodeRef")}
    assert referred <= out  # every reference in the same form as its target
    assert qualcoder_rules.read(tmp_path / "out.qdpx").codes  # resolves strictly


def test_memos_in_both_forms_are_read_once_preferring_the_richer(tmp_path):
    def qde(description: str, note: str) -> str:
        return (f'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">'
                f'<Sources><TextSource guid="00000000-0000-4000-8000-000000000001" name="a">'
                f"<Description>{description}</Description>"
                "<PlainTextContent>Some text.</PlainTextContent>"
                '<NoteRef targetGUID="00000000-0000-4000-8000-000000000002"/></TextSource>'
                '</Sources><Notes><Note guid="00000000-0000-4000-8000-000000000002" name="n">'
                f"<PlainTextContent>{note}</PlainTextContent></Note></Notes></Project>")

    for number, (description, note, memo) in enumerate([
            ("same", "same", "same"),
            ("short", "short, and longer", "short, and longer"),
            ("the longer one", "longer", "the longer one"),
            ("one", "two", "one\n\ntwo")]):
        path = tmp_path / f"{number}.qdpx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("project.qde", qde(description, note))
        import_qdpx(path, tmp_path / f"{number}.kzc")
        with Project.open(tmp_path / f"{number}.kzc") as project:
            assert raw_memo(project, "documents") == memo
            assert list_entries(project) == []  # the note was the memo, not a free memo


def test_memo_helpers():
    assert split_code_description(code_description("def", "memo")) == ("def", "memo")
    assert split_code_description(code_description("", "memo")) == ("", "memo")
    assert split_code_description(code_description("def", "")) == ("def", "")
    assert split_code_description("plain definition") == ("plain definition", "")
    assert richest("a", "", "a", "xa y", "b") == "xa y\n\nb"


def test_a_project_of_schema_0004_upgrades_and_has_every_new_feature(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from kzcoder.db import engine as db_engine
    from kzcoder.db.migrate import alembic_config
    from kzcoder.services.codebook.editing import update_code
    from kzcoder.services.codings import add_coding

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004_code_memos")
        connection.execute(text("INSERT INTO project (id, guid, name, memo, created) "
                                "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
        connection.execute(text("INSERT INTO documents (id, guid, name, text, length, sha256, "
                                "source_encoding, memo, created) VALUES (1, 'd', 'old doc', "
                                "'text', 4, 's', 'utf-8', '', '2024-01-01T00:00:00Z')"))
        connection.execute(text("INSERT INTO codes (id, guid, name, color, description, memo, "
                                "position) VALUES (1, 'c', 'Old', '#112233', '', '', 0)"))
    engine.dispose()
    with Project.open(path) as project:
        assert db_engine.read_revision(path) == db_engine.HEAD_REVISION
        assert list_codes(project)[0].codable is True  # old codes stay codable
        add_coding(project, 1, 1, 0, 2, coder="ana")
        category = add_code(project, "Group", "#445566", codable=False).value
        update_code(project, category.id, codable=True)
        add_entry(project, "After the upgrade", "works", author="ana")
        export_qdpx(project, tmp_path / "old.qdpx")
    import_qdpx(tmp_path / "old.qdpx", tmp_path / "new.kzc")
    with Project.open(tmp_path / "new.kzc") as project:
        assert [e.title for e in list_entries(project)] == ["After the upgrade"]


def test_the_export_for_nvivo_counts_utf16_over_crlf_and_round_trips(tmp_path):
    from kzcoder.exchange.refi.extra import NVIVO

    source = build_full(tmp_path)
    with Project.open(source) as project:
        export_qdpx(project, tmp_path / "nvivo.qdpx", for_tool="nvivo")
    archive = zipfile.ZipFile(tmp_path / "nvivo.qdpx")
    root = ElementTree.fromstring(validate(tmp_path / "nvivo.qdpx"))
    assert f'"positions": "{NVIVO}"' in archive.read("kzcoder.json").decode()
    with Project.open(source) as project, project.unit() as session:
        stored = dict(raw(session).execute("SELECT upper(guid), text FROM documents"))
        coded = {(g.upper(), s, e) for g, s, e in raw(session).execute(
            'SELECT documents.guid, start, "end" FROM codings JOIN documents '
            "ON documents.id = document_id")}
    found, emoji_or_crlf = set(), 0
    for text_source in root.iter(f"{NS}TextSource"):
        guid = text_source.get("guid")
        file_text = archive.read(f"sources/{guid}.txt").decode("utf-8")
        assert file_text == stored[guid].replace("\n", "\r\n")
        units = file_text.encode("utf-16-le")
        for selection in text_source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            piece = units[2 * start:2 * end].decode("utf-16-le")  # NVivo's way of counting
            # the same characters as the stored span they came from (independently found)
            matches = [(s, e) for g, s, e in coded
                       if g == guid and stored[guid][s:e].replace("\n", "\r\n") == piece
                       and len(stored[guid][:s].replace("\n", "\r\n").encode("utf-16-le"))
                       == 2 * start]
            assert matches, (guid, start, end, piece)
            found.add((guid, *matches[0]))
            emoji_or_crlf += start != len(stored[guid][:matches[0][0]])
    assert found == coded and emoji_or_crlf >= 2  # spans after an emoji or a CRLF moved
    report = import_qdpx(tmp_path / "nvivo.qdpx", tmp_path / "back.kzc")
    assert report.remapped == [] and report.not_imported == [] and report.changed == []
    assert state(tmp_path / "back.kzc") == state(source)


def test_notices_are_one_line_per_kind_with_the_full_list_in_the_report(tmp_path):
    """1,000 documents without creation times on their codings: one line, not 1,000."""
    sources = "".join(
        f'<TextSource guid="00000000-0000-4000-8000-{n:012d}" name="d{n}">'
        f"<PlainTextContent>Text number {n}.</PlainTextContent>"
        f'<PlainTextSelection guid="10000000-0000-4000-8000-{n:012d}" startPosition="0" '
        f'endPosition="4"><Coding guid="20000000-0000-4000-8000-{n:012d}">'
        '<CodeRef targetGUID="30000000-0000-4000-8000-000000000001"/></Coding>'
        f'<Coding guid="21000000-0000-4000-8000-{n:012d}">'
        '<CodeRef targetGUID="30000000-0000-4000-8000-000000000001"/></Coding>'
        "</PlainTextSelection></TextSource>" for n in range(1000))
    qde = ('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x" '
           'origin="Some {tool}"><CodeBook><Codes><Code '
           'guid="30000000-0000-4000-8000-000000000001" name="c" isCodable="true"/></Codes>'
           f"</CodeBook><Sources>{sources}</Sources></Project>")
    with zipfile.ZipFile(tmp_path / "many.qdpx", "w") as archive:
        archive.writestr("project.qde", qde)
    report = import_qdpx(tmp_path / "many.qdpx", tmp_path / "many.kzc")
    lines = report.summary_lines()
    undated = [line for line in lines if "no creation time" in line]
    assert undated == ["changed: 1,000 documents: 2,000 coding(s) had no creation time and "
                       "were given the time of the import"]
    assert len(lines) < 10
    saved = report.path.read_text(encoding="utf-8")
    per_document = [line for line in saved.splitlines()
                    if line.startswith("document 'd") and "no creation time" in line]
    assert len(per_document) == 1000 and "document 'd999': 2 coding(s)" in saved


def test_the_remap_notice_speaks_of_crlf_only_when_the_text_has_it(tmp_path):
    text = "Emoji 😀 then words here and more words there.\n"
    words = ["then", "words", "here", "more", "there"]

    def utf16(word: str) -> tuple[int, int]:
        start = len(text[:text.index(word)].encode("utf-16-le")) // 2
        return start, start + len(word)

    selections = "".join(
        f'<PlainTextSelection guid="10000000-0000-4000-8000-{n:012d}" startPosition="{a}" '
        f'endPosition="{b}"><Coding guid="20000000-0000-4000-8000-{n:012d}" '
        'creationDateTime="2024-01-01T00:00:00Z"><CodeRef '
        'targetGUID="30000000-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>'
        for n, (a, b) in enumerate(utf16(w) for w in words))
    qde = ('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x" '
           'origin="NVivo for Mac 15.0.0"><CodeBook><Codes><Code '
           'guid="30000000-0000-4000-8000-000000000001" name="c" isCodable="true"/></Codes>'
           '</CodeBook><Sources><TextSource guid="00000000-0000-4000-8000-000000000001" '
           f'name="mac" plainTextPath="internal://a.txt">{selections}</TextSource></Sources>'
           "</Project>")
    with zipfile.ZipFile(tmp_path / "mac.qdpx", "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.txt", text.encode("utf-8"))
    report = import_qdpx(tmp_path / "mac.qdpx", tmp_path / "mac.kzc")
    assert len(report.remapped) == 1 and "UTF-16" in report.remapped[0]
    assert "CRLF" not in report.remapped[0] and "document 'mac'" in report.remapped[0]


def test_a_text_of_one_line_break_is_not_called_missing(tmp_path):
    report = import_qdpx(SAMPLES / "nvivo_project.qdpx", tmp_path / "nvivo.kzc")
    lines = [line for line in report.not_imported if "has no text" in line]
    assert len(lines) == 2
    assert all("its plain text is only a line break" in line and "missing" not in line
               for line in lines)


def test_annotations_are_checked_listed_and_removed(tmp_path):
    import pytest

    from kzcoder.core.errors import KzError
    from kzcoder.services.annotation import list_annotations, remove_annotation

    path = tmp_path / "a.kzc"
    with Project.create(path) as project:
        (tmp_path / "t.txt").write_text("Ten chars.", encoding="utf-8")
        from kzcoder.services.documents import import_paths

        doc = import_paths(project, [tmp_path / "t.txt"]).value.imported[0]
        with pytest.raises(KzError, match="end offset 11"):
            add_annotation(project, doc.id, 0, 11, "too far")
        with pytest.raises(KzError, match="needs a text"):
            add_annotation(project, doc.id, 0, 3, " \n")
        added = add_annotation(project, doc.id, 4, 9, "chars\r\nhere", author="ana").value
        assert (added.start, added.end, added.text, added.author) == (4, 9, "chars\nhere", "ana")
        assert list_annotations(project, doc.id) == [added]
        assert remove_annotation(project, added.id).value == added
        assert list_annotations(project, doc.id) == []
        with pytest.raises(KzError, match=f"no annotation numbered {added.id}"):
            remove_annotation(project, added.id)


def test_undoing_a_code_deletion_puts_it_back_in_its_code_sets(tmp_path):
    from kzcoder.services.removals import delete_code, restore_codes

    source = build_full(tmp_path)

    def members(project):
        with project.unit() as session:
            return sorted(raw(session).execute(
                "SELECT code_sets.name, codes.name FROM code_set_members "
                "JOIN code_sets ON code_sets.id = set_id JOIN codes ON codes.id = code_id"))

    with Project.open(source) as project:
        before = members(project)
        assert ("Core", "Police") in before
        removed = delete_code(project, "Actors").value  # Police goes with its parent
        assert ("Core", "Police") not in members(project)
        restore_codes(project, removed)
        assert members(project) == before


def test_a_category_merged_in_stays_a_category(tmp_path):
    from kzcoder.services.merge.merging import merge_project

    with Project.create(tmp_path / "theirs.kzc") as theirs:
        category = add_code(theirs, "Actors", "#445566", codable=False).value
        add_code(theirs, "Police", "#665544", parent=category.id)
        export_qdpx(theirs, tmp_path / "theirs.qdpx")
    for other in ("theirs.kzc", "theirs.qdpx"):
        with Project.create(tmp_path / f"ours-{other}.kzc") as ours:
            merge_project(ours, tmp_path / other)
            assert {c.name: c.codable for c in list_codes(ours)} == {"Actors": False,
                                                                      "Police": True}
