"""Merging projects (services/merge/merging.py): two coders' copies of one project merged lose
nothing, a .qdpx merges as its .kzc does, documents, codes and coders are matched as the
rules say, conflicts keep ours and are reported, merging again changes nothing, the other
file is only read, and undo/redo give back the exact states (ids included). The journal,
annotations and code sets are carried too (their own tests are in test_merge_notes.py)."""

from __future__ import annotations

import shutil
import sqlite3
import string
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcoder.core.errors import KzError
from kzcoder.db.models import new_guid, utc_now
from kzcoder.db.queries import raw
from kzcoder.db.queries import refi as refi_q
from kzcoder.services import annotation, code_sets, codings, documents, journal, memos
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.merge.merging import MergeProject, merge_project
from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from tests.services.test_refi_roundtrip import state


def dump(path: Path) -> list[str]:
    """The project's full state, ids included; not its history, which only grows (an undo is
    one more entry in it, tests/protection/test_history.py)."""
    connection = sqlite3.connect(path)
    try:
        return [line for line in connection.iterdump()
                if not line.startswith('INSERT INTO "history')]
    finally:
        connection.close()


def all_codings(path: Path) -> dict[str, tuple]:
    """GUID -> (document GUID, code GUID, coder GUID, coder name, start, end, memo)."""
    with sqlite3.connect(path) as db:
        return {row[0]: row[1:] for row in db.execute(
            'SELECT c.guid, d.guid, k.guid, u.guid, u.name, c.start, c."end", c.memo '
            "FROM codings c JOIN documents d ON d.id = c.document_id JOIN codes k ON "
            "k.id = c.code_id JOIN coders u ON u.id = c.coder_id")}


def set_span(project: Project, coding_id: int, start: int, end: int) -> None:
    """No service moves a coding's span; an edit of the span is made in SQL."""
    with project.unit() as session:
        raw(session).execute('UPDATE codings SET start = ?, "end" = ? WHERE id = ?',
                             (start, end, coding_id))


@pytest.fixture
def ancestor(tmp_path, sample_template) -> Path:
    """The sample project with four codings by a lead coder."""
    path = tmp_path / "ancestor.kzc"
    shutil.copy(sample_template, path)
    with Project.open(path) as project:
        for document, code, start in ((1, 1, 0), (2, 2, 10), (3, 3, 20), (4, 1, 30)):
            codings.add_coding(project, document, code, start, start + 15, coder="lead")
    return path


def two_coders(tmp_path: Path, ancestor: Path) -> tuple[Path, Path, dict[str, str]]:
    """A (ann) and B (bob) from *ancestor*, each adding, removing and editing codings; bob
    renames Force and edits the memo of an ancestor coding ann left alone. Returns the paths
    and the GUIDs worth naming."""
    a, b = tmp_path / "a.kzc", tmp_path / "b.kzc"
    shutil.copy(ancestor, a)
    shutil.copy(ancestor, b)
    names = {}
    with Project.open(a) as project:
        first = codings.add_coding(project, 1, 2, 100, 140, coder="ann").value
        second = codings.add_coding(project, 5, 3, 0, 50, coder="ann", memo="draft").value
        codings.update_coding(project, second.id, memo="ann's memo")
        set_span(project, first.id, 100, 150)
        codings.remove_coding(project, 1)
        names["ann"] = second.guid
    with Project.open(b) as project:
        first = codings.add_coding(project, 2, 1, 200, 260, coder="bob").value
        second = codings.add_coding(project, 3, 2, 5, 25, coder="bob").value
        codings.update_coding(project, second.id, memo="bob's memo")
        set_span(project, first.id, 210, 260)
        codings.remove_coding(project, 2)
        codings.update_coding(project, 3, memo="bob edited the lead's coding")
        codebook.update_code(project, "Force", name="Violence")
        names["bob"] = second.guid
        names["edited"] = codings.codings_by_id(project, [3])[3].guid
    return a, b, names


def test_two_coders_merged_lose_nothing_and_again_changes_nothing(tmp_path, ancestor):
    a, b, names = two_coders(tmp_path, ancestor)
    ours, theirs = all_codings(a), all_codings(b)
    with Project.open(a) as project:
        result = merge_project(project, b)
        assert result.changes.project
        report = result.value
        merged = dump(a)
        second = merge_project(project, b)
        again = second.value
        assert dump(a) == merged
        assert not again.changed and not second.changes
    got = all_codings(a)
    assert set(got) == set(ours) | set(theirs)
    for guid, coding in ours.items():
        assert got[guid] == coding
    for guid, coding in theirs.items():
        if guid not in ours:  # every coding of bob's arrives with its coder, span and memo
            assert got[guid] == coding
    assert got[names["bob"]][3:] == ("bob", 5, 25, "bob's memo")
    assert got[names["ann"]][3:] == ("ann", 0, 50, "ann's memo")
    lines = report.summary_lines()
    assert "renamed code: ours 'Force', theirs 'Violence' (kept ours)" in lines
    assert "renamed code: ours 'Force', theirs 'Violence' (kept ours)" in again.summary_lines()
    assert "added coder 'bob'" in lines
    conflict = [line for line in lines if names["edited"] in line]
    assert len(conflict) == 1 and "bob edited" in conflict[0] and "no memo" in conflict[0]
    assert report.added["codings"] == 2 + 1  # bob's two, and the lead's coding ann removed
    assert report.added["coders"] == 1 and report.added["documents"] == 0
    assert report.matched["documents"] == 5
    assert again.added == dict.fromkeys(again.added, 0)


def test_qdpx_merges_as_the_kzc_does(tmp_path, ancestor):
    a, b, _names = two_coders(tmp_path, ancestor)
    with Project.open(b) as project:
        export_qdpx(project, tmp_path / "b.qdpx")
    shutil.copy(a, tmp_path / "a2.kzc")
    with Project.open(a) as project:
        by_kzc = merge_project(project, b).value
    with Project.open(tmp_path / "a2.kzc") as project:
        by_qdpx = merge_project(project, tmp_path / "b.qdpx").value
        merged = dump(tmp_path / "a2.kzc")
        assert not merge_project(project, tmp_path / "b.qdpx").value.changed
        assert dump(tmp_path / "a2.kzc") == merged
    assert state(a) == state(tmp_path / "a2.kzc")
    assert dict(by_kzc.added) == dict(by_qdpx.added)


def _one_document(path: Path, text: str, name: str = "article") -> Project:
    folder = path.parent / f"{path.stem}-files"
    folder.mkdir()
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    project = Project.create(path)
    report = documents.import_paths(project, [folder / f"{name}.txt"]).value
    assert not report.refused
    return project


def test_same_guid_another_text_is_a_new_document(tmp_path):
    with _one_document(tmp_path / "a.kzc", "Our text of the article.\n") as project:
        guid = documents.get_document(project, 1).guid
    with _one_document(tmp_path / "b.kzc", "Their quite different text.\n") as project:
        with project.unit() as session:
            raw(session).execute("UPDATE documents SET guid = ?", (guid,))
        code = codebook.add_code(project, "Topic", "#112233").value
        coding = codings.add_coding(project, 1, code.id, 0, 5, coder="bob", memo="m").value
    with Project.open(tmp_path / "a.kzc") as project:
        report = merge_project(project, tmp_path / "b.kzc").value
        merged = dump(tmp_path / "a.kzc")
        assert not merge_project(project, tmp_path / "b.kzc").value.changed
        assert dump(tmp_path / "a.kzc") == merged
        docs = documents.list_documents(project)
    assert [d.guid == guid for d in docs] == [True, False]
    assert docs[1].name == "article (2)"
    assert any("has the same GUID as 'article' here but another text: added as a new "
               "document 'article (2)' (new GUID)" in line for line in report.summary_lines())
    got = all_codings(tmp_path / "a.kzc")
    assert got[coding.guid][0] == docs[1].guid  # on the new document, never on ours
    with Project.open(tmp_path / "a.kzc") as project:
        assert documents.document_text(project, docs[1].id) == "Their quite different text.\n"
        assert documents.document_text(project, docs[0].id) == "Our text of the article.\n"


def test_separately_made_projects_match_by_text_path_and_name(tmp_path):
    from kzcoder.services.sample import create_project

    create_project(tmp_path / "a.kzc", sample=True).close()
    create_project(tmp_path / "b.kzc", sample=True).close()  # other GUIDs everywhere
    with Project.open(tmp_path / "a.kzc") as project:
        codings.add_coding(project, 1, "Force", 0, 10, coder="ann")
    with Project.open(tmp_path / "b.kzc") as project:
        child = codebook.add_code(project, "Shooting", "#123456", parent="Force").value
        by_ann = codings.add_coding(project, 2, "Force", 5, 20, coder="ann").value
        by_zed = codings.add_coding(project, 3, child.id, 0, 9, coder="zed").value
        documents.update_document(project, 4, set_attributes={"outlet": "Theirs",
                                                               "section": "World"})
        memos.set_memo(project, "document", 4, "their memo")
        memos.set_memo(project, "project", None, "their project memo")
    before = dump(tmp_path / "a.kzc")
    with Project.open(tmp_path / "a.kzc") as project:
        command = MergeProject(tmp_path / "b.kzc")
        assert command.do(project).project
        report = command.report
        merged = dump(tmp_path / "a.kzc")
        lines = report.summary_lines()
        assert report.added["documents"] == 0 and report.matched["documents"] == 5
        assert report.added["codes"] == 1 and report.matched["codes"] == 4
        assert report.added["coders"] == 1 and report.matched["coders"] == 1
        assert report.added["attributes"] == 1 and report.added["memos"] == 2
        assert any(line.startswith("matched document '2011-12-20") and "by its text" in line
                   for line in lines)
        assert "matched code 'Force' by its path of names (GUIDs differ)" in lines
        assert "matched coder 'ann' by name (GUIDs differ)" in lines
        assert "added coder 'zed'" in lines and "added code 'Force / Shooting'" in lines
        assert any("attribute outlet is" in line and "(kept ours)" in line for line in lines)
        got = all_codings(tmp_path / "a.kzc")
        assert got[by_ann.guid][3] == "ann" and got[by_zed.guid][3] == "zed"
        doc = documents.get_document(project, 4)
        assert doc.attributes["section"] == "World" and doc.attributes["outlet"] != "Theirs"
        assert doc.memo == "their memo"
        assert memos.get_memo(project, "project").text == "their project memo"
        command.undo(project)
        assert dump(tmp_path / "a.kzc") == before
        command.do(project)
        assert dump(tmp_path / "a.kzc") == merged
        command.undo(project)
        assert dump(tmp_path / "a.kzc") == before


def test_the_other_file_is_only_read_even_while_open(tmp_path, ancestor):
    a, b, _names = two_coders(tmp_path, ancestor)
    with Project.open(b) as other:  # open here, as in another window
        codings.add_coding(other, 1, 1, 0, 3, coder="bob")
        theirs = dump(b)
        with Project.open(a) as project:
            merge_project(project, b)
        assert dump(b) == theirs
        codings.add_coding(other, 1, 1, 3, 6, coder="bob")  # still works
    assert set(all_codings(b)) <= set(all_codings(a)) | {
        g for g, c in all_codings(b).items() if c[4:6] == (3, 6)}
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*")) == []


def test_a_failure_or_a_stop_changes_nothing(tmp_path, ancestor, monkeypatch):
    a, b, _names = two_coders(tmp_path, ancestor)
    before = dump(a)
    with Project.open(a) as project:
        with pytest.raises(KzError, match="merge stopped"):
            merge_project(project, b, progress=lambda done, total, name: done < 2)
        assert dump(a) == before
        from kzcoder.services.merge import match as merge_match

        def broken(self):  # noqa: ANN001, ANN202
            raise RuntimeError("boom")

        monkeypatch.setattr(merge_match.Matcher, "_codings", broken)
        with pytest.raises(RuntimeError):
            merge_project(project, b)
        assert dump(a) == before


@pytest.mark.parametrize("case", ["missing", "suffix", "itself", "not-a-project", "bad-qdpx"])
def test_refusals(tmp_path, ancestor, case):
    a = tmp_path / "a.kzc"
    shutil.copy(ancestor, a)
    other = {"missing": tmp_path / "nope.kzc", "suffix": tmp_path / "x.txt", "itself": a,
             "not-a-project": tmp_path / "x.kzc", "bad-qdpx": tmp_path / "x.qdpx"}[case]
    if case in ("suffix", "not-a-project", "bad-qdpx"):
        other.write_bytes(b"not what it says")
    before = dump(a)
    with Project.open(a) as project, pytest.raises(KzError):
        merge_project(project, other)
    assert dump(a) == before


# --- a property: random projects from a common ancestor ----------------------------------

WORDS = st.text(alphabet=string.ascii_lowercase + " ", min_size=20, max_size=60)
EDIT = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 9), st.integers(0, 9), st.integers(0, 15),
              st.integers(1, 5), st.integers(0, 2), st.sampled_from(["", "m1", "m2"])),
    st.tuples(st.just("remove"), st.integers(0, 50)),
    st.tuples(st.just("memo"), st.integers(0, 50), st.sampled_from(["", "x", "y"])),
    st.tuples(st.just("span"), st.integers(0, 50), st.integers(0, 10)),
    st.tuples(st.just("rename"), st.integers(0, 9), st.sampled_from(["P", "Q", "R"])),
    st.tuples(st.just("code"), st.integers(0, 9), st.sampled_from(["N", "M"])),
    # titles and times from small sets, so that both sides often write the same key
    st.tuples(st.just("journal"), st.sampled_from(["J1", "J2"]),
              st.sampled_from(["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"]),
              st.sampled_from(["t1", "t2"])),
    st.tuples(st.just("unjournal"), st.integers(0, 9)),
    st.tuples(st.just("annotate"), st.integers(0, 9), st.integers(0, 15), st.integers(1, 4),
              st.sampled_from(["n1", "n2"])),
    st.tuples(st.just("unannotate"), st.integers(0, 20)),
    st.tuples(st.just("codeset"), st.sampled_from(["S1", "S2"]),
              st.lists(st.integers(0, 9), max_size=3)),
    st.tuples(st.just("uncodeset"), st.sampled_from(["S1", "S2"])),
)


def _build_ancestor(path: Path, texts: list[str], code_names: list[str], coded: list) -> None:
    with Project.create(path) as project:
        with project.unit() as session:
            for number, text in enumerate(texts):
                refi_q.insert_document(session, guid=new_guid(), name=f"d{number}",
                                       text=text + str(number), encoding="utf-8", memo="",
                                       created=utc_now(), attributes=[])
        ids = [codebook.add_code(project, name, "#101010").value.id for name in code_names]
        for document, code, start, coder in coded:
            codings.add_coding(project, document % len(texts) + 1, ids[code % len(ids)],
                               start, start + 3, coder=f"c{coder}")


def _edit(path: Path, edits: list, side: str) -> None:
    with Project.open(path) as project:
        ancestor_codes = [c.id for c in codebook.list_codes(project)]
        for edit in edits:
            existing = sorted(codings.codings_by_id(project, range(1, 200)))
            codes = codebook.list_codes(project)
            try:
                if edit[0] == "add":
                    _, document, code, start, length, coder, memo = edit
                    docs = documents.list_documents(project)
                    codings.add_coding(project, docs[document % len(docs)].id,
                                       codes[code % len(codes)].id, start, start + length,
                                       coder=f"{side}{coder}" if coder else "c0", memo=memo)
                elif edit[0] == "remove" and existing:
                    codings.remove_coding(project, existing[edit[1] % len(existing)])
                elif edit[0] == "memo" and existing:
                    codings.update_coding(project, existing[edit[1] % len(existing)],
                                          memo=edit[2])
                elif edit[0] == "span" and existing:
                    coding_id = existing[edit[1] % len(existing)]
                    set_span(project, coding_id, edit[2], edit[2] + 2)
                elif edit[0] == "rename":
                    codebook.update_code(project, codes[edit[1] % len(codes)].id,
                                         name=f"{edit[2]}{side}")
                elif edit[0] == "code":
                    codebook.add_code(project, edit[2], "#202020",
                                      parent=codes[edit[1] % len(codes)].id)
                else:
                    _edit_notes(project, edit, side, ancestor_codes)
            except KzError:  # a name taken: that edit is simply not made
                pass


def _edit_notes(project: Project, edit: tuple, side: str, ancestor_codes: list[int]) -> None:
    """The journal, annotation and code set edits of the property below."""
    if edit[0] == "journal":
        journal.add_entry(project, edit[1], edit[3], author=side, created=edit[2])
    elif edit[0] == "unjournal" and (entries := journal.list_entries(project)):
        journal.remove_entry(project, entries[edit[1] % len(entries)].title)
    elif edit[0] == "annotate":
        docs = documents.list_documents(project)
        annotation.add_annotation(project, docs[edit[1] % len(docs)].id, edit[2],
                                  edit[2] + edit[3], edit[4], author=side)
    elif edit[0] == "unannotate":
        found = [a for d in documents.list_documents(project)
                 for a in annotation.list_annotations(project, d.id)]
        if found:
            annotation.remove_annotation(project, found[edit[1] % len(found)].id)
    elif edit[0] == "codeset":
        # members among the common ancestor's codes (ids 1..), which have one GUID on both
        # sides: a code both sides added is matched by path, and the model below keys by GUID
        members = [ancestor_codes[i % len(ancestor_codes)] for i in edit[2]]
        if edit[1] in {s.name for s in code_sets.list_code_sets(project)}:
            code_sets.set_codes(project, edit[1], members)
        else:
            code_sets.add_code_set(project, edit[1], members)
    elif edit[0] == "uncodeset":
        code_sets.remove_code_set(project, edit[1])


def notes_of(path: Path) -> tuple[list[tuple], Counter, dict[str, set[str]]]:
    """The journal as (title, created, text, author), the annotations as a multiset of
    (document GUID, start, end, text), and each code set's member code GUIDs, read in SQL."""
    with sqlite3.connect(path) as db:
        entries = db.execute("SELECT title, created, text, author FROM journal").fetchall()
        notes = Counter(db.execute(
            'SELECT d.guid, a.start, a."end", a.text FROM annotations a '
            "JOIN documents d ON d.id = a.document_id").fetchall())
        sets: dict[str, set[str]] = {}
        for name, guid in db.execute(
                "SELECT s.name, c.guid FROM code_sets s LEFT JOIN code_set_members m "
                "ON m.set_id = s.id LEFT JOIN codes c ON c.id = m.code_id"):
            sets.setdefault(name, set()).update([guid] if guid else [])
    return entries, notes, sets


def check_notes_merged(ours: tuple, theirs: tuple, got: tuple) -> None:
    """The model: ours kept whole; each entry of theirs whose (title, created) is not ours
    added once, under its title or a numbered one; annotations of theirs not here added once;
    each code set has the members of both sides."""
    (our_entries, our_notes, our_sets), (their_entries, their_notes, their_sets) = ours, theirs
    got_entries, got_notes, got_sets = got
    assert set(our_entries) <= set(got_entries)
    keys = {(title, created) for title, created, _t, _a in our_entries}
    arriving = [e for e in their_entries if (e[0], e[1]) not in keys]
    assert len(got_entries) == len(our_entries) + len(arriving)
    added = [e for e in got_entries if e not in our_entries]
    for title, created, text, author in arriving:
        assert sum(1 for e in added if e[1:] == (created, text, author)
                   and (e[0] == title or e[0].startswith(f"{title} ("))) >= 1
    assert got_notes == our_notes + Counter(set(their_notes) - set(our_notes))
    assert got_sets == {name: our_sets.get(name, set()) | their_sets.get(name, set())
                        for name in {*our_sets, *their_sets}}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(WORDS, min_size=1, max_size=3),
       code_names=st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=1, max_size=3,
                           unique=True),
       coded=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 15),
                                st.integers(0, 2)), max_size=5),
       edits_a=st.lists(EDIT, max_size=6), edits_b=st.lists(EDIT, max_size=6))
def test_merge_keeps_every_coding_is_idempotent_and_undoes_exactly(texts, code_names, coded,
                                                                     edits_a, edits_b):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _build_ancestor(root / "o.kzc", texts, code_names, coded)
        shutil.copy(root / "o.kzc", root / "a.kzc")
        shutil.copy(root / "o.kzc", root / "b.kzc")
        _edit(root / "a.kzc", edits_a, "a")
        _edit(root / "b.kzc", edits_b, "b")
        ours, theirs = all_codings(root / "a.kzc"), all_codings(root / "b.kzc")
        our_notes, their_notes = notes_of(root / "a.kzc"), notes_of(root / "b.kzc")
        before = dump(root / "a.kzc")
        with Project.open(root / "a.kzc") as project:
            command = MergeProject(root / "b.kzc")
            command.do(project)
            merged = dump(root / "a.kzc")
            got = all_codings(root / "a.kzc")
            assert set(got) == set(ours) | set(theirs)
            for guid, coding in theirs.items():
                if guid not in ours:
                    assert got[guid][3:] == coding[3:]  # coder (by name), span, memo
            check_notes_merged(our_notes, their_notes, notes_of(root / "a.kzc"))
            merge_project(project, root / "b.kzc")
            assert dump(root / "a.kzc") == merged
            command.undo(project)
            assert dump(root / "a.kzc") == before
            command.do(project)
            assert dump(root / "a.kzc") == merged
