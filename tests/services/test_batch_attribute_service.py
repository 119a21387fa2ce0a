"""Setting or clearing one attribute of several documents at once (Documents ▸ Edit
attributes…): one unit of work, one undo step; a Hypothesis state machine checks random
sequences of batch edits, undo and redo against a model of every document's attributes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from kzcoder.core.errors import KzError
from kzcoder.services.documents import list_documents, update_documents
from kzcoder.services.project import Project
from kzcoder.services.sample import create_project
from kzcoder.services.undoable import EditDocuments

_TEMPLATE: list[Path] = []


def _template() -> Path:
    if not _TEMPLATE:
        path = Path(tempfile.mkdtemp(prefix="kz-batch-sm-")) / "t.kzc"
        create_project(path, sample=True).close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def attributes(project: Project) -> dict[int, dict[str, str]]:
    return {d.id: dict(d.attributes) for d in list_documents(project)}


def test_one_value_for_three_documents_and_back(sample_project):
    before = attributes(sample_project)
    command = EditDocuments((1, 3, 4), set_attributes={"period": " protests "})
    assert command.text == "Edit period of 3 documents"
    assert command.do(sample_project).documents == {1, 3, 4}
    after = attributes(sample_project)
    assert {i: a.get("period") for i, a in after.items()} == {
        i: ("protests" if i in (1, 3, 4) else None) for i in before}
    assert {i: {k: v for k, v in a.items() if k != "period"} for i, a in after.items()} == before
    command.undo(sample_project)
    assert attributes(sample_project) == before


def test_a_refused_value_changes_no_document(sample_project):
    before = attributes(sample_project)
    with pytest.raises(KzError, match="published date '2011-13' is not a date"):
        update_documents(sample_project, [1, 2], set_attributes={"published": "2011-13"})
    with pytest.raises(KzError, match="no document numbered 999"):
        update_documents(sample_project, [1, 999], set_attributes={"period": "x"})
    assert attributes(sample_project) == before


NAMES = st.sampled_from(["period", "Region", "outlet", "published"])
VALUES = st.sampled_from(["", "2011", "Жанаозен", "1999-05"])


class BatchEdits(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kz-batch-run-"))
        shutil.copy(_template(), self.folder / "p.kzc")
        self.project = Project.open(self.folder / "p.kzc")
        self.states = [attributes(self.project)]
        self.commands: list[EditDocuments] = []
        self.index = 0

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(ids=st.lists(st.integers(1, 5), min_size=1, max_size=5), name=NAMES, value=VALUES,
          clear=st.booleans())
    def edit(self, ids, name, value, clear):
        command = (EditDocuments(tuple(ids), unset=(name,)) if clear
                   else EditDocuments(tuple(ids), set_attributes={name: value}))
        expected = {i: dict(a) for i, a in self.states[self.index].items()}
        for i in ids:
            if clear or not value:
                expected[i].pop(name, None)
            else:
                expected[i][name] = value
        if not clear and name == "published" and value and not value[:1].isdigit():
            # not a date: refused in one line, nothing changed, nothing to undo
            with pytest.raises(KzError, match="is not a date"):
                command.do(self.project)
            return
        command.do(self.project)
        del self.commands[self.index:], self.states[self.index + 1:]
        self.commands.append(command)
        self.states.append(expected)
        self.index += 1

    @rule()
    def undo(self):
        if self.index:
            self.index -= 1
            self.commands[self.index].undo(self.project)

    @rule()
    def redo(self):
        if self.index < len(self.commands):
            self.commands[self.index].do(self.project)
            self.index += 1

    @invariant()
    def the_project_is_the_model(self):
        assert attributes(self.project) == self.states[self.index]


BatchEdits.TestCase.settings = settings(max_examples=40, stateful_step_count=15, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
test_batch_edits = BatchEdits.TestCase
