"""Searching a project (services/search/searching.py) against plain regular expressions over
the stored texts, and the index's freshness: after import, merge (and its undo), REFI-QDA
import, an edit or removal of a document's text, and after upgrading a 0004 project."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from kzcoder.core.errors import KzError
from kzcoder.db.queries import is_postgres, raw
from kzcoder.services import documents
from kzcoder.services.merge.merging import merge, take_out
from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from kzcoder.services.refi.importing import import_qdpx
from kzcoder.services.search import searching
from kzcoder.services.search.searching import SearchStopped, search
from kzcoder.services.search.variants import add_variants

TEXTS = {
    "2005.txt": "In 2005 the terrorist threat was named. Terrorists 😀 were shot.\n\n"
                "Тоқаев said nothing.",
    "2011.txt": "Zhanaozen, 2011: протестующие и бандиты. Террористы? ТЕРРОРИСТ!\n"
                "Токаев 𝔘 молчал.",
    "2022.txt": "Қаңтар 2022: террористер, лаңкестер. Тоқаев: «shoot to kill» "
                "without warning. Shoot-to-kill.",
}


def new_file_project(tmp_path: Path, name: str) -> Project:
    return Project.create(tmp_path / name)


#: where ``make`` creates its project: a file here; tests/server/test_search_on_server.py
#: swaps in a new server database
NEW_PROJECT = new_file_project


def make(tmp_path: Path, name: str = "p.kzc", texts: dict[str, str] = TEXTS) -> Project:
    folder = tmp_path / f"src-{name}"
    folder.mkdir()
    for file, text in texts.items():
        (folder / file).write_text(text, encoding="utf-8")
    project = NEW_PROJECT(tmp_path, name)
    documents.import_paths(project, sorted(folder.iterdir()))
    return project


def stored(project: Project) -> dict[int, tuple[str, str]]:
    with project.unit() as session:
        return {i: (n, t) for i, n, t in raw(session).execute(
            "SELECT id, name, text FROM documents ORDER BY id")}


def expected(project: Project, pattern: str) -> list[tuple[int, int, int]]:
    """Independent: Python's re over each stored text, whole words, case-insensitive."""
    found = []
    for document_id, (_name, text) in stored(project).items():
        found += [(document_id, *m.span())
                  for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)]
    return found


def spans(hits) -> list[tuple[int, int, int]]:
    return [(h.document_id, h.start, h.end) for h in hits]


def index_is_consistent(project: Project) -> None:
    with project.unit() as session:
        if is_postgres(session):  # the trigram index is PostgreSQL's own, kept by it
            from kzcoder.db.backends.pg_trigram import PgTrigram

            assert PgTrigram.has_index(session)
            return
        # FTS5 compares the index with documents.text
        session.execute(sql("INSERT INTO search_index (search_index, rank) "
                            "VALUES ('integrity-check', 1)"))


@pytest.mark.parametrize(("query", "pattern"), [
    ("terrorist", "terrorist"),
    ("ТЕРРОРИСТ", "террорист"),
    ("тоқаев", "Тоқаев"),
    ("2022", "2022"),
    ("shoot", "shoot"),
])
def test_word_hits_equal_a_regex_over_the_texts(tmp_path, query, pattern):
    with make(tmp_path) as project:
        hits = search(project, query)
        assert spans(hits) == expected(project, pattern)
        texts = stored(project)
        for hit in hits:
            text = texts[hit.document_id][1]
            assert hit.text == text[hit.start:hit.end]
            assert hit.left == text[max(0, hit.start - 40):hit.start]
            assert hit.right == text[hit.end:hit.end + 40]
            assert hit.document == texts[hit.document_id][0]


def test_boolean_operators_choose_documents_hits_are_occurrences(tmp_path):
    with make(tmp_path) as project:
        both = search(project, "terrorist 2005")
        assert spans(both) == sorted(expected(project, "terrorist")
                                     + [e for e in expected(project, "2005") if e[0] == 1])
        assert {h.document_id for h in search(project, "тоқаев -terrorist")} == {3}
        assert {h.document_id for h in search(project, "бандиты OR лаңкестер")} == {2, 3}
        phrase = search(project, '"shoot to kill"')
        assert [h.text for h in phrase] == ["shoot to kill", "Shoot-to-kill"]
        prefix = search(project, "террорист*")
        assert [h.text for h in prefix] == ["Террористы", "ТЕРРОРИСТ", "террористер"]


def test_documents_restrict_the_search(tmp_path):
    with make(tmp_path) as project:
        assert {h.document_id for h in search(project, "2005 OR 2011 OR 2022",
                                              documents=[2, 3])} == {2, 3}
        assert search(project, "terrorist", documents=[]) == []


def test_variants_and_forms(tmp_path):
    with make(tmp_path) as project:
        add_variants(project, ["Tokayev", "Toqaev", "Токаев", "Тоқаев"])
        assert [h.text for h in search(project, "Tokayev")] == ["Тоқаев", "Токаев", "Тоқаев"]
        assert search(project, "Tokayev", variants=False) == []
        forms = search(project, "террористы", forms=True)
        assert [h.text for h in forms] == ["Террористы", "ТЕРРОРИСТ"]


def test_bad_input_is_refused_and_a_search_writes_nothing(tmp_path):
    with make(tmp_path) as project:
        before = dump(project)
        for query, regex in (("", False), ("  ", False), ("(", True), ('"open', False)):
            with pytest.raises(KzError):
                search(project, query, regex=regex)
        search(project, "terrorist")
        search(project, "террорист", forms=True)
        assert dump(project) == before


def dump(project: Project) -> list[str]:
    """Every row of the project, on either backend."""
    if project.is_server:
        from sqlalchemy import select

        from kzcoder.db.models import Base

        with project.unit(read=True) as session:
            return [f"{table.name}{tuple(row)}" for table in Base.metadata.sorted_tables
                    for row in session.execute(select(table).order_by(*table.primary_key))]
    connection = sqlite3.connect(project.path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_progress_can_stop_a_search(tmp_path):
    with make(tmp_path) as project, pytest.raises(SearchStopped):
        search(project, r"\w+", regex=True, progress=lambda done, total, name: done < 1)


def test_index_is_fresh_after_import_and_text_changes(tmp_path):
    with make(tmp_path) as project:
        index_is_consistent(project)
        extra = tmp_path / "extra.txt"
        extra.write_text("A new article about bandits.", encoding="utf-8")
        documents.import_paths(project, [extra])
        assert [h.text for h in search(project, "bandits")] == ["bandits"]
        index_is_consistent(project)
        with project.unit() as session:  # any change of a text, however made
            raw(session).execute("UPDATE documents SET text = 'calm day', length = 8 "
                                 "WHERE name = 'extra'")
        assert search(project, "bandits") == []
        assert [h.text for h in search(project, "calm")] == ["calm"]
        with project.unit() as session:
            raw(session).execute("DELETE FROM documents WHERE name = 'extra'")
        assert search(project, "calm") == []
        index_is_consistent(project)


def test_index_is_fresh_after_merge_and_its_undo(tmp_path):
    with make(tmp_path, "other.kzc", {"new.txt": "Бандиты и террористы в Алматы."}) as other:
        source = other.path  # a file, or a server project's location (tests/server)
    with make(tmp_path) as project:
        _report, added = merge(project, source)
        assert [h.text for h in search(project, "Алматы")] == ["Алматы"]
        index_is_consistent(project)
        take_out(project, added)
        assert search(project, "Алматы") == []
        index_is_consistent(project)


def test_index_is_fresh_after_refi_import(tmp_path):
    with make(tmp_path) as project:
        export_qdpx(project, tmp_path / "p.qdpx")
        wanted = spans(search(project, "тоқаев OR terrorist"))
    import_qdpx(tmp_path / "p.qdpx", tmp_path / "imported.kzc")
    with Project.open(tmp_path / "imported.kzc") as imported:
        assert spans(search(imported, "тоқаев OR terrorist")) == wanted
        index_is_consistent(imported)


def test_a_0004_project_gets_its_index_on_upgrade(tmp_path):
    from alembic import command

    from kzcoder.db import engine as db_engine
    from kzcoder.db.migrate import alembic_config

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004_code_memos")
        connection.execute(sql("INSERT INTO project (id, guid, name, memo, created) "
                               "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
        for number, (name, text) in enumerate(TEXTS.items(), start=1):
            connection.execute(sql(
                "INSERT INTO documents (id, guid, name, text, length, sha256, source_encoding, "
                "memo, created) VALUES (:i, :g, :n, :t, :l, :s, 'utf-8', '', '2024')"),
                {"i": number, "g": f"g{number}", "n": name, "t": text, "l": len(text),
                 "s": f"s{number}"})
    engine.dispose()
    assert "search_index" not in {r[0] for r in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master")}
    with Project.open(path) as project:
        assert spans(search(project, "terrorist")) == expected(project, "terrorist")
        assert [h.text for h in search(project, "тоқаев")] == ["Тоқаев", "Тоқаев"]
        index_is_consistent(project)
        add_variants(project, ["Tokayev", "Токаев"])  # the variants table came too


def test_the_index_chooses_the_documents_read(tmp_path, monkeypatch):
    with make(tmp_path) as project:
        read: list[list[int]] = []
        real = searching.document_q.texts_by_id
        monkeypatch.setattr(searching.document_q, "texts_by_id",
                            lambda session, ids: read.append(list(ids)) or real(session, ids))
        search(project, "бандиты")
        assert read == [[2]]


def test_letters_the_index_folds_otherwise_are_still_found(tmp_path):
    """Kazakh Latin's dotted and dotless i, and historic Cyrillic forms: the regex matcher
    takes 'İ' for 'i' and 'ᲂ' for 'о', SQLite's tokenizer folds them apart; the index is
    asked for those spellings too, so no hit is lost."""
    texts = {"a.txt": "İnternet jáne Qazaqstan: ISTANBUL.", "b.txt": "тᲂкаев",
             "c.txt": "nothing here"}
    with make(tmp_path, texts=texts) as project:
        assert [h.text for h in search(project, "internet")] == ["İnternet"]
        assert [h.text for h in search(project, "ıstanbul")] == ["ISTANBUL"]
        assert [h.text for h in search(project, "ТОКАЕВ")] == ["тᲂкаев"]
        assert spans(search(project, "internet OR токаев")) == sorted(
            expected(project, "internet") + [(2, 0, 6)])
