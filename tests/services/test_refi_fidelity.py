"""Exchange fidelity (issue 24): memos in both REFI-QDA forms, notes with times and users,
categories, the journal, code sets and GUIDs in the form they came in; read back by kzcoder as
the identity and by a reader that follows QualCoder's importer's rules (tests/services/
qualcoder_rules.py)."""

from __future__ import annotations

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
from kzcoder.services.codebook.editing import add_code, list_codes
from kzcoder.services.journal import add_entry, list_entries, set_text
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
                             root.iter(f"{NS}PlainTextSelection"))
    # the memo with a control character travels only as a note file
    assert [m for m in selection_memos if m] == ["Первая\r\nпамятка\t!"]
    sets = root.findall(f"{NS}Sets/{NS}Set")
    assert [(s.get("name"), s.findtext(f"{NS}Description"), len(s.findall(f"{NS}MemberCode")))
            for s in sets] == [("Core", "the core", 2)]


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
    assert journals["Research plan"]["date"] == "2024-01-02 03:04:05Z"


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
