"""The undo stack as a state machine (Hypothesis): random sequences of every command, undo and
redo, against a model that knows what the project must be at each place on the stack.

The model is a stack of snapshots of the whole project — codings by GUID (document, code,
span, coder, memo, id, creation time), codes by GUID (id, name, parent, colour,
description, key, position), journal entries, annotations and code sets whole — with
QUndoStack's rules: a new command drops what could be redone. Each command's own effect is
checked against a simple expectation; every undo must give back exactly the snapshot below,
every redo exactly the one above.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from kzcoder.core.errors import KzError
from kzcoder.core.records import MemoTarget
from kzcoder.services import annotation, code_sets, journal, memos
from kzcoder.services.codebook.editing import list_codes
from kzcoder.services.codebook.tree import MergeCodes, MoveCode
from kzcoder.services.codings import codings_by_id
from kzcoder.services.project import Project
from kzcoder.services.removals import DeleteCode, RemoveCodings
from kzcoder.services.sample import create_project
from kzcoder.services.segments import list_segments
from kzcoder.services.undoable import AddCode, AddCoding, EditCode, EditCoding, RemoveCoding
from kzcoder.services.undoable_notes import (
    AddAnnotation,
    AddCodeSet,
    AddJournalEntry,
    EditCodeSet,
    EditJournalEntry,
    RemoveAnnotation,
    RemoveCodeSet,
    RemoveJournalEntry,
)

_TEMPLATE: Path | None = None


def _template() -> Path:
    global _TEMPLATE
    if _TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix="kz-undo-sm-"))
        _TEMPLATE = folder / "template.kzc"
        create_project(_TEMPLATE, sample=True).close()
    return _TEMPLATE


def snapshot(project: Project) -> tuple:
    codes = tuple(sorted((c.guid, c.id, c.name, c.parent_id, c.color, c.description,
                          c.shortcut, c.position) for c in list_codes(project)))
    ids = [s.id for s in list_segments(project)]
    codings = tuple(sorted((c.guid, c.id, c.document_id, c.code_id, c.start, c.end, c.coder,
                            c.memo, c.created)
                           for c in codings_by_id(project, ids).values()))
    times = tuple(sorted(memos.memo_times(project).items()))  # kept exactly by undo
    memos_ = tuple(memos.get_memo(project, "document", i).text for i in range(1, 6))
    return (codes, codings, tuple(journal.list_entries(project)),
            tuple(annotation.all_annotations(project)), tuple(code_sets.list_code_sets(project)),
            times, memos_)


CODERS = st.sampled_from(["ana", "bo", "Айгерим"])
MEMOS = st.sampled_from(["", "why", "почему\nещё"])


class UndoStack(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kz-undo-run-"))
        path = self.folder / "p.kzc"
        shutil.copy(_template(), path)
        self.project = Project.open(path)
        self.commands: list = []
        self.states = [snapshot(self.project)]
        self.index = 0  # commands[:index] are done

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers ------------------------------------------------------------------------
    def _now(self) -> tuple:
        return self.states[self.index]

    # sorted by id: snapshots are sorted by GUID, which is random, and Hypothesis needs the
    # same choices to mean the same thing when it replays a sequence
    def _coding_ids(self) -> list[int]:
        return sorted(c[1] for c in self._now()[1])

    def _code_ids(self) -> list[int]:
        return sorted(c[1] for c in self._now()[0])

    def _push(self, command, expect) -> None:  # noqa: ANN001
        before = self._now()
        try:
            command.do(self.project)
        except KzError:
            assert snapshot(self.project) == before  # a refused command changes nothing
            return
        after = snapshot(self.project)
        expect(before, after)
        del self.commands[self.index:]
        del self.states[self.index + 1:]
        self.commands.append(command)
        self.states.append(after)
        self.index += 1

    # --- commands -----------------------------------------------------------------------
    @rule(doc=st.integers(1, 5), code=st.integers(1, 4), start=st.integers(0, 300),
          size=st.integers(1, 40), coder=CODERS, memo=MEMOS)
    def add_coding(self, doc, code, start, size, coder, memo):  # noqa: ANN001
        if code not in self._code_ids():
            return
        command = AddCoding(doc, code, start, start + size, coder, memo=memo)

        def expect(before, after):  # noqa: ANN001
            assert before[0] == after[0] and len(after[1]) == len(before[1]) + 1
            [new] = set(after[1]) - set(before[1])
            assert new[2:8] == (doc, code, start, start + size, coder, memo)

        self._push(command, expect)

    @precondition(lambda self: self._coding_ids())
    @rule(data=st.data())
    def remove_coding(self, data):  # noqa: ANN001
        coding_id = data.draw(st.sampled_from(self._coding_ids()))
        self._push(RemoveCoding(coding_id), lambda before, after: (
            [c[1] for c in set(before[1]) - set(after[1])] == [coding_id]
            and len(after[1]) == len(before[1]) - 1) or _fail())

    @precondition(lambda self: len(self._coding_ids()) >= 2)
    @rule(data=st.data())
    def remove_codings(self, data):  # noqa: ANN001
        ids = data.draw(st.lists(st.sampled_from(self._coding_ids()), min_size=1, max_size=3,
                                 unique=True))
        self._push(RemoveCodings(tuple(ids)), lambda before, after: (
            {c[1] for c in set(before[1]) - set(after[1])} == set(ids)) or _fail())

    @precondition(lambda self: self._coding_ids())
    @rule(data=st.data(), memo=MEMOS, code=st.none() | st.integers(1, 4))
    def edit_coding(self, data, memo, code):  # noqa: ANN001
        coding_id = data.draw(st.sampled_from(self._coding_ids()))
        if code is not None and code not in self._code_ids():
            code = None

        def expect(before, after):  # noqa: ANN001
            old = next(c for c in before[1] if c[1] == coding_id)
            new = next(c for c in after[1] if c[1] == coding_id)
            assert new[3] == (code if code is not None else old[3]) and new[7] == memo
            assert new[0] == old[0] and new[4:7] == old[4:7]

        self._push(EditCoding(coding_id, code_id=code, memo=memo), expect)

    @precondition(lambda self: self._code_ids())
    @rule(data=st.data(), name=st.sampled_from(["Force", "Violence", "Сила", "Dissent"]),
          color=st.sampled_from(["#112233", "#AABBCC", None]))
    def edit_code(self, data, name, color):  # noqa: ANN001
        code_id = data.draw(st.sampled_from(self._code_ids()))

        def expect(before, after):  # noqa: ANN001
            new = next(c for c in after[0] if c[1] == code_id)
            assert new[2] == name and (color is None or new[4] == color)
            assert before[1] == after[1]

        self._push(EditCode(code_id, name=name, color=color), expect)

    @rule(data=st.data(), name=st.sampled_from(["New", "Новый", "Police"]),
          under=st.booleans())
    def add_code(self, data, name, under):  # noqa: ANN001
        parent = data.draw(st.sampled_from(self._code_ids())) if under and self._code_ids() \
            else None

        def expect(before, after):  # noqa: ANN001
            [new] = set(after[0]) - set(before[0])
            assert new[2:4] == (name, parent) and before[1] == after[1]

        self._push(AddCode(name, "#123456", parent), expect)

    @precondition(lambda self: len(self._code_ids()) > 1)
    @rule(data=st.data(), lift=st.booleans())
    def delete_code(self, data, lift):  # noqa: ANN001
        code_id = data.draw(st.sampled_from(self._code_ids()))

        def expect(before, after):  # noqa: ANN001
            gone = {code_id}
            if not lift:  # the sub-codes go too
                for _depth in before[0]:  # as many rounds as codes: enough for any depth
                    gone |= {c[1] for c in before[0] if c[3] in gone}
            assert not gone & {c[1] for c in after[0]}
            assert {c for c in before[1] if c[3] not in gone} == set(after[1])

        self._push(DeleteCode(code_id, lift_children=lift), expect)

    @precondition(lambda self: len(self._code_ids()) > 1)
    @rule(data=st.data(), position=st.none() | st.integers(0, 4), to_root=st.booleans())
    def move_code(self, data, position, to_root):  # noqa: ANN001
        code_id = data.draw(st.sampled_from(self._code_ids()))
        parent = None if to_root else data.draw(st.sampled_from(self._code_ids()))

        def expect(before, after):  # noqa: ANN001
            moved = next(c for c in after[0] if c[1] == code_id)
            assert moved[3] == parent and before[1] == after[1]
            assert len(before[0]) == len(after[0])

        self._push(MoveCode(code_id, parent, position), expect)

    @precondition(lambda self: len(self._code_ids()) > 1)
    @rule(data=st.data())
    def merge_codes(self, data):  # noqa: ANN001
        source, target = data.draw(st.lists(st.sampled_from(self._code_ids()), min_size=2,
                                            max_size=2, unique=True))

        def expect(before, after):  # noqa: ANN001
            assert source not in [c[1] for c in after[0]]
            assert all(c[3] != source for c in after[1])
            spans = {(c[2], c[4], c[5], c[6]) for c in before[1] if c[3] in (source, target)}
            assert {(c[2], c[4], c[5], c[6]) for c in after[1] if c[3] == target} == spans
            # the target takes the source's place in its code sets
            sets = {s.name: set(s.codes) for s in after[4]}
            assert sets == {s.name: {target if c == source else c for c in s.codes}
                            for s in before[4]}

        self._push(MergeCodes(source, target), expect)

    # --- the journal, annotations, code sets ----------------------------------------------
    @rule(title=st.sampled_from(["Plan", "День 2"]), text=MEMOS)
    def add_journal_entry(self, title, text):  # noqa: ANN001
        def expect(before, after):  # noqa: ANN001
            [new] = set(after[2]) - set(before[2])
            assert (new.title, new.text) == (title, text) and before[:2] == after[:2]

        self._push(AddJournalEntry(title, text), expect)

    @precondition(lambda self: self._now()[2])
    @rule(data=st.data(), text=MEMOS)
    def edit_journal_entry(self, data, text):  # noqa: ANN001
        title = data.draw(st.sampled_from(sorted(e.title for e in self._now()[2])))

        def expect(before, after):  # noqa: ANN001
            new = next(e for e in after[2] if e.title == title)
            assert new.text == text and new.modified and len(after[2]) == len(before[2])

        self._push(EditJournalEntry(title, text), expect)

    @precondition(lambda self: self._now()[2])
    @rule(data=st.data())
    def remove_journal_entry(self, data):  # noqa: ANN001
        title = data.draw(st.sampled_from(sorted(e.title for e in self._now()[2])))
        self._push(RemoveJournalEntry(title), lambda before, after: (
            [e.title for e in set(before[2]) - set(after[2])] == [title]
            and len(after[2]) == len(before[2]) - 1) or _fail())

    @rule(doc=st.integers(1, 5), start=st.integers(0, 300), size=st.integers(1, 40),
          note=st.sampled_from(["note", "заметка 😀"]))
    def add_annotation(self, doc, start, size, note):  # noqa: ANN001
        def expect(before, after):  # noqa: ANN001
            [new] = set(after[3]) - set(before[3])
            assert (new.document_id, new.start, new.end, new.text) == (doc, start,
                                                                      start + size, note)

        self._push(AddAnnotation(doc, start, start + size, note), expect)

    @precondition(lambda self: self._now()[3])
    @rule(data=st.data())
    def remove_annotation(self, data):  # noqa: ANN001
        found = data.draw(st.sampled_from(sorted(a.id for a in self._now()[3])))
        self._push(RemoveAnnotation(found), lambda before, after: (
            [a.id for a in set(before[3]) - set(after[3])] == [found]) or _fail())

    @precondition(lambda self: self._code_ids())
    @rule(data=st.data(), name=st.sampled_from(["State", "Люди"]))
    def add_or_edit_code_set(self, data, name):  # noqa: ANN001
        members = tuple(data.draw(st.lists(st.sampled_from(self._code_ids()), max_size=3,
                                           unique=True)))

        def expect(before, after):  # noqa: ANN001
            found = next(s for s in after[4] if s.name == name)
            assert set(found.codes) == set(members) and before[:4] == after[:4]

        exists = name in {s.name for s in self._now()[4]}
        self._push((EditCodeSet if exists else AddCodeSet)(name, members), expect)

    @precondition(lambda self: self._now()[4])
    @rule(data=st.data())
    def remove_code_set(self, data):  # noqa: ANN001
        name = data.draw(st.sampled_from(sorted(s.name for s in self._now()[4])))
        self._push(RemoveCodeSet(name), lambda before, after: (
            name not in {s.name for s in after[4]} and before[:4] == after[:4]) or _fail())

    @rule(doc=st.integers(1, 5), memo=MEMOS)
    def edit_document_memo(self, doc, memo):  # noqa: ANN001
        def expect(before, after):  # noqa: ANN001
            assert after[6][doc - 1] == memo and before[:5] == after[:5]

        self._push(memos.EditMemo(MemoTarget("document", doc), memo), expect)

    @precondition(lambda self: self.index > 0)
    @rule()
    def undo(self):
        self.commands[self.index - 1].undo(self.project)
        self.index -= 1

    @precondition(lambda self: self.index < len(self.commands))
    @rule()
    def redo(self):
        self.commands[self.index].do(self.project)
        self.index += 1

    @invariant()
    def the_project_is_what_the_stack_says(self):
        assert snapshot(self.project) == self._now()


def _fail() -> None:
    raise AssertionError("the command did not do what it says")


# 60 sequences of up to 30 steps in the suite; KZCODER_FUZZ_LONG=1 runs 2,000 of them.
UndoStack.TestCase.settings = settings(
    max_examples=2000 if os.environ.get("KZCODER_FUZZ_LONG") else 60, stateful_step_count=30,
    deadline=None, suppress_health_check=[HealthCheck.too_slow])
test_undo_stack = UndoStack.TestCase


def test_the_sequence_from_the_issue_undoes_and_redoes_cleanly(sample_project):
    """Code A, code B, edit A's memo, remove A, then undo four times and redo four times."""
    project = sample_project
    start = snapshot(project)
    a = AddCoding(1, 1, 0, 10, "ana")
    b = AddCoding(1, 2, 20, 30, "ana")
    steps = [a, b]
    for command in steps:
        command.do(project)
    memo = EditCoding(a.added.id, memo="note")
    memo.do(project)
    remove = RemoveCoding(a.added.id)
    remove.do(project)
    steps += [memo, remove]
    done = snapshot(project)
    for command in reversed(steps):
        command.undo(project)
    assert snapshot(project) == start
    for command in steps:
        command.do(project)
    assert snapshot(project) == done
