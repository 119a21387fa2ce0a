"""Document sets as a state machine against a plain model (a dict of name -> members): adding
static and dynamic sets, refusals (a taken or empty name, a bad condition), removing, and a
document's date changing under a dynamic set; after every step the project lists exactly the
model's sets, and a refused step changes nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from kzcoder.core.errors import UsageError
from kzcoder.services import documents as document_service
from kzcoder.services.analysis import sets
from kzcoder.services.project import Project

NAMES = st.sampled_from(["a", "b", "early", " padded ", ""])
YEARS = st.sampled_from(["2005", "2011", "2022"])


class Sets(RuleBasedStateMachine):
    template: Path | None = None

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kzsets-"))
        path = self.folder / "p.kzc"
        shutil.copy(self.template, path)
        self.project = Project.open(path)
        self.published = {d.id: d.published for d in
                          document_service.list_documents(self.project)}
        # name -> ("static", ids) or ("dynamic", (first year, last year))
        self.model: dict[str, tuple[str, object]] = {}

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _members(self, name: str) -> tuple[int, ...]:
        kind, what = self.model[name]
        if kind == "static":
            return tuple(sorted(what))
        low, high = what
        return tuple(sorted(i for i, p in self.published.items() if low <= p[:4] <= high))

    @rule(name=NAMES, ids=st.sets(st.sampled_from([1, 2, 3, 4, 5]), min_size=1))
    def add_static(self, name, ids):
        clean = name.strip()
        if not clean or clean in self.model:
            with pytest.raises(UsageError):
                sets.add_static_set(self.project, name, ids)
            return
        sets.add_static_set(self.project, name, ids)
        self.model[clean] = ("static", frozenset(ids))

    @rule(name=NAMES, low=YEARS, high=YEARS)
    def add_dynamic(self, name, low, high):
        clean = name.strip()
        if not clean or clean in self.model or low > high:
            with pytest.raises(UsageError):
                sets.add_dynamic_set(self.project, name, [f"published={low}..{high}"])
            return
        sets.add_dynamic_set(self.project, name, [f"published={low}..{high}"])
        self.model[clean] = ("dynamic", (low, high))

    @rule(name=NAMES)
    def remove(self, name):
        if name not in self.model:
            with pytest.raises(UsageError):
                sets.remove_set(self.project, name)
            return
        sets.remove_set(self.project, name)
        del self.model[name]

    @rule(document=st.sampled_from([1, 2, 3, 4, 5]), year=YEARS)
    def redate(self, document, year):
        document_service.update_document(self.project, document,
                                         set_attributes={"published": f"{year}-06-01"})
        self.published[document] = f"{year}-06-01"

    @rule(name=st.sampled_from(["bad"]))
    def refuse_a_bad_condition(self, name):
        for where in (["published=banana"], ["nope=1"], ["published=2011..2005"]):
            with pytest.raises(UsageError):
                sets.add_dynamic_set(self.project, name, where)

    @invariant()
    def listed_as_the_model(self):
        listed = {s.name: s.documents for s in sets.list_sets(self.project)}
        assert listed == {name: self._members(name) for name in self.model}


@pytest.fixture(autouse=True)
def _template(sample_template):
    Sets.template = sample_template


Sets.TestCase.settings = settings(max_examples=25, stateful_step_count=12, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow])
test_sets = Sets.TestCase
