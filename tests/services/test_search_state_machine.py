"""Autocoding with undo and redo, and name variants, as state machines (Hypothesis) against
simple models: CodeHits adds exactly the expanded hits the coder does not have yet (found
independently with re over the stored texts), undo gives back the codings before, redo those
after; variant groups follow a model of sets joined and shrunk."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from kzcoder.core.errors import KzError
from kzcoder.db.queries import raw
from kzcoder.services import documents
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.project import Project
from kzcoder.services.search import variants
from kzcoder.services.search.autocode import hit_spans
from kzcoder.services.search.undoable import CodeHits

TEXTS = ["Terrorists attacked. The terrorist fled!\n\nБандиты и террористы. Тоқаев spoke.",
         "No terrorist here. Just bandits, бандиты. Toqaev said so.\nTERRORIST again."]
WORDS = ["terrorist", "бандиты", "bandits", "тоқаев"]


def codings(project: Project) -> frozenset:
    with project.unit() as session:
        return frozenset(raw(session).execute(
            'SELECT c.document_id, c.code_id, c.start, c."end", k.name FROM codings c '
            "JOIN coders k ON k.id = c.coder_id"))


def expected_hits(project: Project, word: str) -> set[tuple[int, int, int]]:
    with project.unit() as session:
        rows = raw(session).execute("SELECT id, text FROM documents").fetchall()
    return {(d, *m.span()) for d, text in rows
            for m in re.finditer(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE)}


def new_file_project(folder: Path) -> Project:
    return Project.create(folder / "p.kzc")


#: where each run's project is made: a file here; tests/server/test_search_on_server.py swaps
#: in a new server database
NEW_PROJECT = new_file_project


class Autocoding(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kz-search-sm-"))
        for number, text in enumerate(TEXTS):
            (self.folder / f"d{number}.txt").write_text(text, encoding="utf-8")
        self.project = NEW_PROJECT(self.folder)
        documents.import_paths(self.project, sorted(self.folder.glob("*.txt")))
        self.codes = [codebook.add_code(self.project, name, "#123456").value.id
                      for name in ("A", "B")]
        self.states = [codings(self.project)]  # the model: QUndoStack's snapshots
        self.commands: list[CodeHits] = []
        self.place = 0

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(word=st.sampled_from(WORDS), code=st.sampled_from([0, 1]),
          coder=st.sampled_from(["ana", "bek"]),
          unit=st.sampled_from(["hit", "word", "sentence", "paragraph"]))
    def code_hits(self, word, code, coder, unit):
        spans = hit_spans(self.project, word, expand_to=unit, variants=False)
        if unit == "hit":
            assert set(spans) == expected_hits(self.project, word)
        command = CodeHits(tuple(spans), self.codes[code], coder)
        command.do(self.project)
        before = self.states[self.place]
        wanted = {(d, self.codes[code], s, e, coder) for d, s, e in spans}
        assert codings(self.project) == before | wanted
        assert len(command.result.added) == len(wanted - before)
        del self.commands[self.place:]
        del self.states[self.place + 1:]
        self.commands.append(command)
        self.states.append(codings(self.project))
        self.place += 1

    @precondition(lambda self: self.place > 0)
    @rule()
    def undo(self):
        self.place -= 1
        self.commands[self.place].undo(self.project)

    @precondition(lambda self: self.place < len(self.commands))
    @rule()
    def redo(self):
        self.commands[self.place].do(self.project)
        self.place += 1

    @invariant()
    def matches_the_model(self):
        assert codings(self.project) == self.states[self.place]


class Variants(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kz-variants-sm-"))
        self.project = NEW_PROJECT(self.folder)
        self.model: list[set[str]] = []

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(spellings=st.lists(st.sampled_from(["Tokayev", "Toqaev", "Токаев", "Тоқаев",
                                              "Nazarbayev", "Назарбаев", "TOKAYEV"]),
                             min_size=1, max_size=4))
    def add(self, spellings):
        folded = {s.casefold() for s in spellings}
        touched = [g for g in self.model if {s.casefold() for s in g} & folded]
        joined = set().union(*touched) if touched else set()
        known = {s.casefold() for s in joined}
        for spelling in spellings:
            if spelling.casefold() not in known:
                joined.add(spelling)
                known.add(spelling.casefold())
        if len(joined) < 2:
            try:
                variants.add_variants(self.project, spellings)
            except KzError:
                return
            raise AssertionError("a group of one was accepted")
        variants.add_variants(self.project, spellings)
        self.model = [g for g in self.model if g not in touched] + [joined]

    @rule(spelling=st.sampled_from(["tokayev", "Toqaev", "токаев", "Назарбаев"]))
    def remove(self, spelling):
        group = next((g for g in self.model
                      if spelling.casefold() in {s.casefold() for s in g}), None)
        if group is None:
            try:
                variants.remove_variant(self.project, spelling)
            except KzError:
                return
            raise AssertionError("removed a spelling no group has")
        variants.remove_variant(self.project, spelling)
        rest = {s for s in group if s.casefold() != spelling.casefold()}
        self.model = [g for g in self.model if g is not group] + ([rest] if len(rest) > 1
                                                                   else [])

    @invariant()
    def matches_the_model(self):
        found = sorted(sorted(g) for g in variants.variant_groups(self.project))
        assert found == sorted(sorted(g) for g in self.model)


TestAutocoding = Autocoding.TestCase
TestAutocoding.settings = settings(max_examples=15, stateful_step_count=10, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])
TestVariants = Variants.TestCase
TestVariants.settings = settings(max_examples=30, stateful_step_count=12, deadline=None,
                                 suppress_health_check=[HealthCheck.too_slow])
