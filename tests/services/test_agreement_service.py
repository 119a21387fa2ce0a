"""Agreement between coders over a project: the character-level figures equal the textbook
functions applied to one 0/1 label per code point, the disagreements are exactly the code
points where coders differ, and the command line reports them (or refuses in one line)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcoder.core.agreement.coefficients import (
    binary_histogram_from_spans,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from kzcoder.core.agreement.report import compute_agreement, pattern_runs
from kzcoder.core.errors import KzError
from kzcoder.services.agreement import agreement
from kzcoder.services.codings import add_coding
from tests.cli.test_cli import run


def _spans(length: int):
    return st.lists(st.tuples(st.integers(0, length), st.integers(1, 12)), max_size=4).map(
        lambda items: [(s, min(length, s + w)) for s, w in items if s < length])


@st.composite
def projects(draw):
    m = draw(st.integers(2, 3))
    docs = [(i + 1, f"d{i}", draw(st.integers(1, 40))) for i in range(draw(st.integers(1, 3)))]
    codes = [(10 + i, f"c{i}") for i in range(draw(st.integers(1, 2)))]
    spans = {(d, c): [draw(_spans(length)) for _ in range(m)]
             for d, _n, length in docs for c, _name in codes}
    return [f"coder{k}" for k in range(m)], docs, codes, spans


def _labels(docs, code_ids, spans, m):
    """One 0/1 label per code point per coder, the documents (and codes) end to end."""
    labels = [[] for _ in range(m)]
    for code_id in code_ids:
        for doc_id, _name, length in docs:
            for k in range(m):
                marked = [0] * length
                for s, e in spans[(doc_id, code_id)][k]:
                    marked[s:e] = [1] * (e - s)
                labels[k] += marked
    return labels


def _same(a: float | None, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(projects())
def test_every_row_equals_the_textbook_functions_on_labels(case):
    coders, docs, codes, spans = case
    m = len(coders)
    report = compute_agreement(coders, docs, codes, spans)
    scopes = [([c], docs) for c, _ in codes] + [([c for c, _ in codes], [d]) for d in docs]
    scopes.append(([c for c, _ in codes], docs))
    assert len(report.rows) == len(scopes)
    for row, (code_ids, in_docs) in zip(report.rows, scopes, strict=True):
        labels = _labels(in_docs, code_ids, spans, m)
        assert row.units == len(labels[0])
        assert row.coded == sum(any(col) for col in zip(*labels, strict=True))
        assert _same(row.percent, percent_agreement(labels))
        assert _same(row.alpha, krippendorff_alpha(labels))
        if m == 2:
            assert _same(row.cohen, cohen_kappa(*labels)) and row.fleiss is None
        else:
            counts = [[m - sum(col), sum(col)] for col in zip(*labels, strict=True)]
            assert _same(row.fleiss, fleiss_kappa(counts)) and row.cohen is None


@settings(max_examples=150, deadline=None)
@given(projects())
def test_disagreements_are_exactly_where_coders_differ(case):
    coders, docs, codes, spans = case
    report = compute_agreement(coders, docs, codes, spans)
    for code_id, _name in codes:
        for doc_id, _n, length in docs:
            labels = _labels([(doc_id, "", length)], [code_id], spans, len(coders))
            differ = {i for i, col in enumerate(zip(*labels, strict=True)) if len(set(col)) > 1}
            listed = set()
            for d in report.disagreements:
                if (d.document_id, d.code_id) == (doc_id, code_id):
                    listed |= set(range(d.start, d.end))
                    column = labels[coders.index(d.coded_by[0])][d.start]
                    assert column == 1 and all(labels[coders.index(c)][d.start] == 0
                                               for c in d.not_by)
            assert listed == differ
            runs = list(pattern_runs(length, spans[(doc_id, code_id)]))
            histogram = [0] * (len(coders) + 1)
            for s, e, marks in runs:
                histogram[sum(marks)] += e - s
            assert histogram == binary_histogram_from_spans(length, spans[(doc_id, code_id)])


def test_identical_coders_agree_fully_and_unitizing_sees_boundaries():
    coders, docs, codes = ["a", "b"], [(1, "d", 100)], [(1, "c")]
    same = compute_agreement(coders, docs, codes, {(1, 1): [[(10, 20)], [(10, 20)]]})
    assert same.pooled().alpha == 1.0 and same.pooled().alpha_u == 1.0
    assert same.pooled().cohen == 1.0 and same.disagreements == ()
    # one span split in two by the other coder: the same code points, other boundaries
    split = compute_agreement(coders, docs, codes, {(1, 1): [[(10, 20)], [(10, 15), (15, 20)]]})
    assert split.pooled().alpha == 1.0 and split.pooled().alpha_u < 1.0


@pytest.fixture
def coded(sample_template, tmp_path):
    import shutil

    from kzcoder.services.project import Project

    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    with Project.open(path) as project:
        add_coding(project, 1, "Force", 0, 20, coder="ana")
        add_coding(project, 1, "Force", 10, 30, coder="bek")
        add_coding(project, 2, "Dissent", 5, 15, coder="ana")
    return path


def test_the_service_chooses_codes_and_documents(coded):
    from kzcoder.services.project import Project

    with Project.open(coded) as project:
        report = agreement(project, ["ana", "bek"])
        assert [r.code for r in report.rows[:2]] == ["Dissent", "Force"]
        assert [r.document for r in report.rows[2:4]] == [
            "2005-11-20_kazak-security-forces-bracing-for-trouble",
            "2011-12-20_kazakhstan-defends-use-of-force-against-protesters"]
        only = agreement(project, ["ana", "bek"], codes=["Force"], documents=["id:1"])
        assert [(r.code, r.document) for r in only.rows] == [
            ("Force", None), (None, "2005-11-20_kazak-security-forces-bracing-for-trouble"),
            (None, None)]
        assert only.pooled().units == 6490 and only.pooled().coded == 30
        for bad, says in ((["ana"], "two coders"), (["ana", "zed"], "zed"),):
            with pytest.raises(KzError, match=says):
                agreement(project, bad)
        with pytest.raises(KzError):
            agreement(project, ["ana", "bek"], codes=["No such code"])


def test_the_command_line(coded, capfd):
    code, out, err = run(capfd, "agreement", coded, "--coders", "ana", "bek", "--code",
                         "Force", "--disagreements")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split("\t")[5] == "Cohen's kappa"
    assert lines[1].split("\t")[:4] == ["Force", "(all documents)", "10329", "30"]  # docs 1, 2
    assert "\t0\t10\tana\tbek" in out and "\t20\t30\tbek\tana" in out
    code, out, err = run(capfd, "agreement", coded, "--coders", "ana", "bek", "--json")
    data = json.loads(out)
    assert data["unit"] == "code point" and data["rows"][-1]["document"] is None
    assert len(data["disagreements"]) == 3
    code, out, err = run(capfd, "agreement", coded, "--coders", "ana", "nobody")
    assert (code, out) == (1, "") and err.count("\n") == 1 and "nobody" in err
