"""Matrix, co-occurrence, filters and sets over a coded sample project, each count checked
against an independent computation from the retrieved segments and the documents' attributes
and texts."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from kzcoder.core.errors import UsageError
from kzcoder.services import documents as document_service
from kzcoder.services.analysis import sets
from kzcoder.services.analysis.cooccurrence import cooccurring_segments, project_cooccurrence
from kzcoder.services.analysis.filters import filtered_documents
from kzcoder.services.analysis.matrix import cell_segments, project_matrix
from kzcoder.services.codebook.editing import list_codes
from kzcoder.services.segments import list_segments
from tests.analysis_corpus import code_by_keywords


@pytest.fixture
def coded(sample_project):
    assert code_by_keywords(sample_project) > 50
    return sample_project


def _docs(project):
    return {d.id: d for d in document_service.list_documents(project)}


def _parents(project):
    return {c.id: c.parent_id for c in list_codes(project)}


def _in_row(code_id, row_code, parents, rollup):
    node = code_id
    while node is not None:
        if node == row_code:
            return True
        node = parents[node] if rollup else None
    return False


@pytest.mark.parametrize("by", ["document", "outlet", "published:year", "published:month"])
@pytest.mark.parametrize("count", ["codings", "documents", "characters"])
@pytest.mark.parametrize("rollup", [False, True])
def test_matrix_equals_counts_from_segments(coded, by, count, rollup):
    docs = _docs(coded)
    parents = _parents(coded)
    segments = list(list_segments(coded))

    def label(document_id):
        info = docs[document_id]
        if by == "document":
            return info.name
        if by == "outlet":
            return info.outlet
        return info.published[:4] if by.endswith("year") else info.published[:7]

    matrix = project_matrix(coded, by=by, count=count, rollup=rollup)
    assert list(matrix.columns) == sorted({label(d) for d in docs}, key=(
        list(d.name for d in docs.values()).index if by == "document" else None))
    for row in matrix.rows:
        mine = [s for s in segments if _in_row(s.code_id, row.code_id, parents, rollup)]
        for j, column in enumerate(matrix.columns):
            here = [s for s in mine if label(s.document_id) == column]
            if count == "codings":
                expected = len(here)
            elif count == "documents":
                expected = len({s.document_id for s in here})
            else:
                expected = len({(s.document_id, i) for s in here for i in range(s.start, s.end)})
            assert row.counts[j] == expected, (row.code, column)


def test_matrix_cell_lists_exactly_its_segments(coded):
    matrix = project_matrix(coded, by="published:year", rollup=True)
    force = next(i for i, r in enumerate(matrix.rows) if r.code == "Force")
    column = matrix.columns.index("2022")
    found = cell_segments(coded, matrix, force, column, rollup=True)
    docs = _docs(coded)
    expected = [s for s in list_segments(coded) if s.code in ("Force", "Shooting")
                and docs[s.document_id].published.startswith("2022")]
    assert found == expected
    assert len(found) == matrix.rows[force].counts[column]


def test_filters_and_sets_keep_the_documents_a_plain_reading_keeps(coded):
    docs = _docs(coded)
    early = {i for i, d in docs.items() if "2005" <= d.published[:4] <= "2011"}
    assert filtered_documents(coded, ["published=2005..2011"]) == early
    assert filtered_documents(coded, ["outlet=IWPR", "published=2005"]) == {
        i for i, d in docs.items() if d.outlet == "IWPR" and d.published.startswith("2005")}
    with_word = {i for i in docs
                 if "shoot" in document_service.document_text(coded, i).casefold()}
    assert filtered_documents(coded, ["text~SHOOT"]) == with_word
    assert filtered_documents(coded) is None

    sets.add_dynamic_set(coded, "early", ["published=2005..2011"])
    picked = sorted(docs)[-2:]
    sets.add_static_set(coded, "picked", picked)
    listed = {s.name: s for s in sets.list_sets(coded)}
    assert listed["early"].documents == tuple(sorted(early))
    assert listed["picked"].documents == tuple(picked)
    assert filtered_documents(coded, docset="early") == early
    assert filtered_documents(coded, ["published=2022"], docset="picked") == {
        i for i in picked if docs[i].published.startswith("2022")}
    matrix = project_matrix(coded, documents=filtered_documents(coded, docset="early"))
    assert set(matrix.columns) == {docs[i].name for i in early}
    # a dynamic set follows the documents: a new date moves a document into it
    later = next(i for i, d in docs.items() if d.published.startswith("2022"))
    document_service.update_document(coded, later, set_attributes={"published": "2010-05"})
    assert later in filtered_documents(coded, docset="early")
    sets.remove_set(coded, "early")
    with pytest.raises(UsageError, match="no document set named 'early'"):
        filtered_documents(coded, docset="early")


def test_bad_sets_are_refused_and_change_nothing(coded):
    sets.add_static_set(coded, "one", [1])
    for call, message in [
        (lambda: sets.add_static_set(coded, "one", [2]), "already exists"),
        (lambda: sets.add_static_set(coded, "  ", [2]), "needs a name"),
        (lambda: sets.add_dynamic_set(coded, "bad", ["published=banana"]), "not a date"),
        (lambda: sets.add_dynamic_set(coded, "bad", ["nope=1"]), "unknown attribute"),
        (lambda: sets.add_static_set(coded, "bad", [999]), "no document with id 999"),
        (lambda: sets.add_static_set_by_names(coded, "bad", ["no such"]), "no document named"),
    ]:
        with pytest.raises(UsageError, match=message):
            call()
    assert [(s.name, s.documents) for s in sets.list_sets(coded)] == [("one", (1,))]


def _paragraph_units(text):
    units, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            units.append(set(range(start, start + len(line))))
        start += len(line) + 1
    return units


@pytest.mark.parametrize("mode", ["overlap", "paragraph", "document"])
def test_cooccurrence_equals_pairs_from_segments(coded, mode):
    codes, table = project_cooccurrence(coded, mode=mode)
    segments = list(list_segments(coded))
    units = {i: _paragraph_units(document_service.document_text(coded, i))
             for i in _docs(coded)}

    def touched(code_id):
        found = set()
        for s in segments:
            if s.code_id != code_id:
                continue
            if mode == "document":
                found.add(s.document_id)
            else:
                span = set(range(s.start, s.end))
                found |= {(s.document_id, k) for k, u in enumerate(units[s.document_id])
                          if u & span}
        return found

    for (x, a), (y, b) in itertools.product(enumerate(codes), repeat=2):
        if a.id == b.id:
            assert table.counts[x][y] == sum(1 for s in segments if s.code_id == a.id)
            continue
        if mode == "overlap":
            expected = sum(1 for s, t in itertools.product(segments, repeat=2)
                           if s.code_id == a.id and t.code_id == b.id
                           and s.document_id == t.document_id
                           and s.start < t.end and t.start < s.end)
        else:
            expected = len(touched(a.id) & touched(b.id))
        assert table.counts[x][y] == expected, (a.name, b.name)
    assert any(table.counts[x][y] for x in range(len(codes)) for y in range(len(codes))
               if x != y)


def test_cooccurring_segments_are_the_overlapping_ones(coded):
    codes = {c.name: c.id for c in list_codes(coded)}
    found = cooccurring_segments(coded, codes["Dissent"], codes["Force"])
    segments = list(list_segments(coded))
    expected = {s.id for s, t in itertools.product(segments, repeat=2)
                if {s.code, t.code} == {"Dissent", "Force"} and s.document_id == t.document_id
                and s.start < t.end and t.start < s.end}
    assert {s.id for s in found} == expected and expected


def test_coder_filter(coded):
    from kzcoder.services.codings import add_coding

    add_coding(coded, 1, "Dissent", 0, 5, coder="bek")
    matrix = project_matrix(coded, coder="bek")
    assert Counter({r.code: r.total for r in matrix.rows})["Dissent"] == 1
    assert sum(r.total for r in matrix.rows) == 1


def test_an_old_project_upgrades_and_keeps_sets(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from kzcoder.db import engine as db_engine
    from kzcoder.db.migrate import alembic_config
    from kzcoder.services.project import Project

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004_code_memos")
        connection.execute(text("INSERT INTO project (id, guid, name, memo, created) "
                                "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
        for i, year in ((1, "2005"), (2, "2022-01-07")):
            connection.execute(text(
                "INSERT INTO documents (id, guid, name, text, length, sha256, source_encoding, "
                "memo, created) VALUES (:i, :g, :n, 'text', 4, :s, 'utf-8', '', '2024')"),
                {"i": i, "g": f"d{i}", "n": f"doc {i}", "s": f"s{i}"})
            connection.execute(text("INSERT INTO document_attributes VALUES (:i, 'published', "
                                    ":y)"), {"i": i, "y": year})
    engine.dispose()
    with Project.open(path) as project:
        sets.add_dynamic_set(project, "old ones", ["published=2000..2010"])
        assert [s.documents for s in sets.list_sets(project)] == [(1,)]
    assert db_engine.read_revision(path) == db_engine.HEAD_REVISION


@pytest.mark.parametrize("count", ["codings", "documents", "characters"])
def test_a_kept_matrix_follows_codings_added_and_removed(coded, count):
    from kzcoder.services.analysis.live import KeptMatrix
    from kzcoder.services.codings import add_coding, remove_coding

    kept = KeptMatrix(coded, by="published:year", count=count, rollup=True)
    added = add_coding(coded, 1, "Shooting", 3, 40, coder="ana").value
    assert kept.update({1}) == project_matrix(coded, by="published:year", count=count,
                                              rollup=True)
    victim = list_segments(coded)[5]
    remove_coding(coded, victim.id)
    remove_coding(coded, added.id)
    assert kept.update({1, victim.document_id}) == project_matrix(
        coded, by="published:year", count=count, rollup=True)
