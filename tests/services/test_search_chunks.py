"""The search index holds a large text as chunks (db/queries/search_chunks): words placed
across every kind of chunk edge, in Latin and in Cyrillic (where an edge can cut a
character in two), are found exactly as a plain regular expression over the stored text
finds them; an AND of words in different chunks, a phrase across an edge and a prefix too.
The index stays equal to what the chunks of the stored texts hold (FTS5's integrity-check
against the view of them) after import, a changed text, a removal and an upgrade; and, as a
state machine (Hypothesis), through any sequence of large texts added, changed and removed."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import text as sql

from kzcoder.db.queries import raw
from kzcoder.db.queries.search_chunks import CHUNK, OVERLAP, SHIFT
from kzcoder.services import documents
from kzcoder.services.project import Project
from kzcoder.services.search.searching import search

FILLER = {"latin": "lorem ipsum dolor sit amet rally square ",
          "cyrillic": "жел соқты қала бойынша митинг алаң "}
PREFIX = {"latin": "zhanaozen", "cyrillic": "жаңаөзен"}
SUFFIX = {"latin": "abcdefghijklmnopqrstuvwxyz", "cyrillic": "абвгдежзиклмнопрстуфхцчшщ"}
# where a word is cut: the first byte of every chunk after the first, and the byte where
# each chunk's reach (CHUNK + OVERLAP bytes) ends
EDGES = (CHUNK, 2 * CHUNK, 3 * CHUNK, CHUNK + OVERLAP, 2 * CHUNK + OVERLAP, 3 * CHUNK + OVERLAP)
# how far before an edge a word starts: 0 (at the edge), or cut after 1, 2, 3, 10, 11 bytes
SHIFTS = (0, 1, 2, 3, 10, 11)
SIZE = 3 * CHUNK + OVERLAP + 5_000  # four chunks


def marker(script: str, number: int) -> str:
    letters = SUFFIX[script]
    return PREFIX[script] + letters[number // len(letters)] + letters[number % len(letters)]


def pad(size: int, filler: str) -> str:
    """Exactly *size* (>= 2) bytes: a space, filler words cut at a character and made up
    with spaces, a space."""
    core = (filler * (size // len(filler.encode()) + 1)).encode()[:size - 2]
    text = core.decode("utf-8", errors="ignore")
    return " " + text + " " * (size - 1 - len(text.encode()))


def build(script: str, placed: dict[int, str]) -> str:
    """A text of SIZE bytes with each word of *placed* starting at its byte offset."""
    parts, at = [], 0
    for offset, word in sorted(placed.items()):
        parts += [pad(offset - at, FILLER[script]), word]
        at = offset + len(word.encode())
    parts.append(pad(SIZE - at, FILLER[script]))
    text = "".join(parts)
    data = text.encode()
    assert len(data) == SIZE
    for offset, word in placed.items():
        assert data[offset:offset + len(word.encode())] == word.encode()
    return text


def texts(script: str) -> dict[str, str]:
    """One document per shift, its words at every edge; the first also has a phrase whose
    space is the first byte of a chunk, and a word at its very start and end."""
    found, number = {}, 0
    for shift in SHIFTS:
        placed = {}
        for edge in EDGES:
            placed[edge - shift] = marker(script, number)
            number += 1
        if shift == 0:
            placed[100] = marker(script, 600)
            phrase = f"{marker(script, 601)} {marker(script, 602)}"
            placed[2 * CHUNK + 500_000 - len(phrase.split()[0].encode())] = phrase
        found[f"{script}-{shift}.txt"] = build(script, placed)
    return found


def make(tmp_path: Path, script: str) -> Project:
    folder = tmp_path / script
    folder.mkdir()
    for name, text in texts(script).items():
        (folder / name).write_text(text, encoding="utf-8")
    project = Project.create(tmp_path / f"{script}.kzc")
    assert len(documents.import_paths(project, sorted(folder.iterdir())).value.imported) == 6
    return project


def stored(project: Project) -> dict[int, str]:
    with project.unit() as session:
        return dict(raw(session).execute("SELECT id, text FROM documents ORDER BY id"))


def expected(project: Project | dict[int, str], pattern: str, *,
             every: tuple[str, ...] = ()) -> list:
    """Independent: (document, start, end) of each whole-word match of *pattern* in the
    stored texts (or those given), case-insensitive; only in texts that also match each of
    *every*."""
    found = []
    texts = stored(project) if isinstance(project, Project) else project
    for document_id, text in texts.items():
        if all(re.search(rf"(?<!\w){other}(?!\w)", text, re.I) for other in every):
            found += [(document_id, *m.span())
                      for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)]
    return found


def spans(hits) -> list[tuple[int, int, int]]:
    return [(h.document_id, h.start, h.end) for h in hits]


def index_is_consistent(project: Project) -> None:
    with project.unit() as session:  # FTS5 compares the index with the view of the chunks
        session.execute(sql("INSERT INTO search_index (search_index, rank) "
                            "VALUES ('integrity-check', 1)"))


def check_search(project: Project, script: str) -> None:
    words = [marker(script, n) for n in range(len(EDGES) * len(SHIFTS))]
    kept = stored(project)
    every_marker = expected(kept, PREFIX[script] + r"\w*")  # one pass over the texts
    for word in words:
        found = [(d, start, end) for d, start, end in every_marker
                 if kept[d][start:end].lower() == word]
        assert len(found) == 1, word  # the text holds it once, whole
        assert spans(search(project, word)) == found, word
    first, last = words[0], words[len(EDGES) - 1]  # at CHUNK and at 3 * CHUNK + OVERLAP
    assert spans(search(project, f"{first} {last}")) == sorted(
        expected(kept, first, every=(last,)) + expected(kept, last, every=(first,)))
    assert search(project, f"{first} {words[len(EDGES)]}") == []  # in different documents
    phrase = f"{marker(script, 601)} {marker(script, 602)}"
    assert spans(search(project, f'"{phrase}"')) == expected(kept, phrase)
    assert spans(search(project, marker(script, 600))) == expected(kept, marker(script, 600))
    prefix = search(project, f"{PREFIX[script]}*")
    assert spans(prefix) == every_marker
    assert len(prefix) == len(words) + 3


@pytest.mark.parametrize("script", sorted(FILLER))
def test_words_at_chunk_edges_are_found_as_a_regex_finds_them(tmp_path, script):
    with make(tmp_path, script) as project:
        assert all(len(text.encode()) == SIZE for text in stored(project).values())
        check_search(project, script)
        index_is_consistent(project)
        with project.unit() as session:  # four chunks a document, each a row of the index
            rows = [r[0] for r in raw(session).execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rowid",
                (FILLER[script].split()[0],))]
        assert rows == [(document << SHIFT) + k for document in stored(project)
                        for k in range(4)]


def test_a_changed_or_removed_large_text_leaves_the_index_exact(tmp_path):
    script = "cyrillic"
    with make(tmp_path, script) as project:
        ids = list(stored(project))
        old_word = marker(script, 0)
        new_text = build(script, {CHUNK - 1: "алмалыбақ", 2 * CHUNK + OVERLAP - 3: "шымкент"})
        with project.unit() as session:  # any change of a text, however made
            raw(session).execute("UPDATE documents SET text = ?, length = ? WHERE id = ?",
                                 (new_text, len(new_text), ids[0]))
        index_is_consistent(project)
        assert search(project, old_word) == []
        for word in ("алмалыбақ", "шымкент"):
            assert spans(search(project, word)) == expected(project, word) != []
        with project.unit() as session:
            raw(session).execute("DELETE FROM documents WHERE id = ?", (ids[1],))
        index_is_consistent(project)
        assert search(project, marker(script, len(EDGES))) == []
        assert {h.document_id for h in search(project, f"{PREFIX[script]}*")} == set(ids[2:])


def test_a_document_the_index_lacks_is_still_searched(tmp_path):
    """A document added by a way that did not index it (another program) is read by every
    search until it is indexed."""
    with make(tmp_path, "latin") as project:
        with project.unit() as session:
            raw(session).execute(
                "INSERT INTO documents (guid, name, text, length, sha256, source_encoding, "
                "memo, created) VALUES ('g-x', 'x', 'unindexed zhanaozenzz here', 26, 'x', "
                "'utf-8', '', '2024')")
        assert spans(search(project, "zhanaozenzz")) == expected(project, "zhanaozenzz") != []
        index_is_consistent(project)


def test_a_0009_project_with_a_large_text_is_indexed_in_chunks_on_upgrade(tmp_path):
    from alembic import command

    from kzcoder.db import engine as db_engine
    from kzcoder.db.migrate import alembic_config

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009_history")
        connection.execute(sql("INSERT INTO project (id, guid, name, memo, created) "
                               "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
        for number, (name, text) in enumerate(texts("cyrillic").items(), start=1):
            connection.execute(sql(
                "INSERT INTO documents (id, guid, name, text, length, sha256, source_encoding, "
                "memo, created) VALUES (:i, :g, :n, :t, :l, :s, 'utf-8', '', '2024')"),
                {"i": number, "g": f"g{number}", "n": name, "t": text, "l": len(text),
                 "s": f"s{number}"})
    engine.dispose()
    with sqlite3.connect(path) as connection:  # the old index: one row a document
        assert connection.execute("SELECT count(*) FROM search_index WHERE search_index "
                                  "MATCH 'жел'").fetchone() == (6,)
    with Project.open(path) as project:
        check_search(project, "cyrillic")
        index_is_consistent(project)


# --- a state machine: large documents added, changed and removed, searched meanwhile ---------

VOCABULARY = ("жаңаөзен", "zhanaozen", "ереуіл")
TWO_CHUNKS = CHUNK + OVERLAP + 3_000


def placed_text(script: str, number: int, words: list[tuple[int, int, str]]) -> str:
    """About two chunks of filler, a word naming the text (so that no two are the same) and
    each of *words* as (edge, shift, word): starting *shift* bytes before *edge*."""
    placed = {0: f"doc{number}"}
    for edge, shift, word in words:
        at = edge - shift
        if all(abs(at - other) > 40 for other in placed):
            placed[at] = word
    parts, at = [], 0
    for offset, word in sorted(placed.items()):
        parts += [pad(offset - at, FILLER[script]) if offset else "", word]
        at = offset + len(word.encode())
    parts.append(pad(TWO_CHUNKS - at, FILLER[script]))
    return "".join(parts)


placements = st.lists(st.tuples(st.sampled_from([CHUNK, CHUNK + OVERLAP, 500_000]),
                                st.integers(0, 12), st.sampled_from(VOCABULARY)),
                      min_size=2, max_size=4)


class ChunkedIndex(RuleBasedStateMachine):
    """The model: nothing but the stored texts, searched with re. The index must give the
    same hits after every change, and stay equal to the chunks of the texts."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kz-chunks-sm-"))
        self.project = Project.create(self.folder / "p.kzc")
        self.made = 0

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def ids(self) -> list[int]:
        return sorted(stored(self.project))

    @rule(script=st.sampled_from(sorted(FILLER)), words=placements)
    def add(self, script, words):
        self.made += 1
        path = self.folder / f"d{self.made}.txt"
        path.write_text(placed_text(script, self.made, words), encoding="utf-8")
        before = len(self.ids())
        assert len(documents.import_paths(self.project, [path]).value.imported) == 1
        assert len(self.ids()) == before + 1

    @precondition(lambda self: self.made > 0)
    @rule(pick=st.integers(0, 10), script=st.sampled_from(sorted(FILLER)), words=placements)
    def change(self, pick, script, words):
        ids = self.ids()
        if not ids:
            return
        self.made += 1
        text = placed_text(script, self.made, words)
        with self.project.unit() as session:  # any change of a text, however made
            raw(session).execute("UPDATE documents SET text = ?, length = ? WHERE id = ?",
                                 (text, len(text), ids[pick % len(ids)]))

    @precondition(lambda self: self.made > 0)
    @rule(pick=st.integers(0, 10))
    def remove(self, pick):
        ids = self.ids()
        if ids:
            with self.project.unit() as session:
                raw(session).execute("DELETE FROM documents WHERE id = ?",
                                     (ids[pick % len(ids)],))

    @rule(first=st.sampled_from(VOCABULARY), second=st.sampled_from(VOCABULARY),
          how=st.sampled_from(["word", "and", "or", "prefix"]))
    def searched(self, first, second, how):
        kept = stored(self.project)
        if how == "word":
            assert spans(search(self.project, first)) == expected(kept, first)
        elif how == "and":
            assert spans(search(self.project, f"{first} {second}")) == sorted(set(
                expected(kept, first, every=(second,)) + expected(kept, second, every=(first,))))
        elif how == "or":
            assert spans(search(self.project, f"{first} OR {second}")) == sorted(set(
                expected(kept, first) + expected(kept, second)))
        else:
            stem = first[:4]
            assert spans(search(self.project, f"{stem}*")) == expected(kept, stem + r"\w*")

    @invariant()
    def index_equals_the_chunks_of_the_texts(self):
        index_is_consistent(self.project)


TestChunkedIndex = ChunkedIndex.TestCase
TestChunkedIndex.settings = settings(max_examples=8, stateful_step_count=8, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])
