"""The merge rule of memo edits on the real undo stack, against a model of the steps expected.

The rule (services.memos.EditMemo.absorb, gui/operations/undo.py): a save of a memo merges into
the step on top of the stack when that step edits the same memo, nothing was undone or redone
since, and the typing began less than MERGE_PAUSE_S after the step's typing ended; a step that
ends where it began is dropped. Random sequences of saves to several memos with pauses, other
commands, undos and redos must give the steps the model gives, and undoing and redoing them
must walk through the memos the model says.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kzcoder.core.changes import Changes
from kzcoder.core.records import MemoTarget
from kzcoder.gui.operations.session import ProjectSession
from kzcoder.services import codings
from kzcoder.services.memos import MERGE_PAUSE_S, EditMemo, get_memo, set_memo
from kzcoder.services.undoable import Command

TARGETS = (MemoTarget("project"), MemoTarget("document", 1), MemoTarget("code", 3),
           MemoTarget("coding", 1))


class Other(Command):
    """A change of something else (it changes nothing, but it is a step of its own)."""

    text = "Other"

    def do(self, project) -> Changes:  # noqa: ANN001
        return Changes()

    def undo(self, project) -> Changes:  # noqa: ANN001
        return Changes()


@dataclass
class Step:
    target: MemoTarget | None  # None: another command
    before: str = ""
    after: str = ""
    until: float = 0.0
    moves: int = 0


class Model:
    def __init__(self) -> None:
        self.memos = dict.fromkeys(TARGETS, "")
        self.steps: list[Step] = []
        self.index = 0
        self.moves = 0  # undos and redos so far

    def push(self, step: Step) -> None:
        del self.steps[self.index:]
        self.steps.append(step)
        self.index = len(self.steps)

    def save(self, target: MemoTarget, text: str, began: float, ended: float) -> None:
        del self.steps[self.index:]
        top = self.steps[-1] if self.steps else None
        if top is not None and top.target == target and top.moves == self.moves \
                and began - top.until < MERGE_PAUSE_S:
            top.after, top.until = text, max(top.until, ended)
            if top.after == top.before:
                self.steps.pop()
                self.index -= 1
        else:
            self.push(Step(target, self.memos[target], text, ended, self.moves))
        self.memos[target] = text

    def undo(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.moves += 1
            step = self.steps[self.index]
            if step.target is not None:
                self.memos[step.target] = step.before

    def redo(self) -> None:
        if self.index < len(self.steps):
            step = self.steps[self.index]
            self.index += 1
            self.moves += 1
            if step.target is not None:
                self.memos[step.target] = step.after


SAVE = st.tuples(st.just("save"), st.sampled_from([0, 0, 0, 1, 2, 3]),  # mostly one memo
                 st.sampled_from([0.0, 0.6, 2.9, MERGE_PAUSE_S, 3.1, 12.0]),
                 st.sampled_from([0.0, 0.5, 4.0]), st.sampled_from(["", "a", "b", "ab"]))
EVENTS = st.lists(st.one_of(SAVE, SAVE, st.sampled_from([("other",), ("undo",), ("redo",)])),
                  max_size=12)


@pytest.fixture
def session(qapp, sample_project):
    codings.add_coding(sample_project, 1, 3, 0, 5, coder="ana")  # coding 1
    opened = ProjectSession(sample_project, "tester")
    yield opened
    opened.undo_stack.clear()


def _memos(session) -> dict[MemoTarget, str]:  # noqa: ANN001
    return {t: get_memo(session.project, *t).text for t in TARGETS}


def _save(text: str, pause: float = 0.0, which: int = 0) -> tuple:
    return ("save", which, pause, 0.5, text)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=EVENTS)
@example(events=[_save("a"), ("undo",), ("redo",), _save("ab")])  # no merge across a redo
@example(events=[_save("a"), ("other",), ("undo",), _save("ab")])  # nor across an undo
@example(events=[_save("a"), _save("ab", 2.9), _save("b", MERGE_PAUSE_S)])  # the pause
@example(events=[("other",), _save("a"), _save("")])  # typed and deleted: no step
@example(events=[_save("a"), _save("b", which=2), _save("ab")])  # another memo between
def test_saves_merge_into_one_step_per_burst(session, events):
    stack = session.undo_stack
    stack.clear()
    for target in TARGETS:
        set_memo(session.project, target.kind, target.id, "")
    model, clock = Model(), 0.0
    for event in events:
        if event[0] == "save":
            _, which, pause, duration, text = event
            target = TARGETS[which]
            began, clock = clock + pause, clock + pause + duration
            if text == model.memos[target]:
                continue  # the dock saves only a change
            assert session.run_command(EditMemo(target, text, typed_from=began,
                                                typed_until=clock))
            model.save(target, text, began, clock)
        elif event[0] == "other":
            assert session.run_command(Other())
            model.push(Step(None))
        else:
            getattr(stack, event[0])()
            getattr(model, event[0])()
        assert (stack.count(), stack.index()) == (len(model.steps), model.index)
    assert _memos(session) == model.memos
    while model.index > 0:  # each undo step gives back what the model says
        stack.undo()
        model.undo()
        assert _memos(session) == model.memos
    while model.index < len(model.steps):
        stack.redo()
        model.redo()
        assert _memos(session) == model.memos
