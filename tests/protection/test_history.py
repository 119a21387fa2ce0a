"""The tamper-evident history: every unit of work that changes a project appends one entry
(in its own transaction), merges and REFI imports included; ``verify`` finds each kind of edit
made outside kzcoder and names it; ``--head`` finds a recorded head; an old project starts its
history when it is upgraded."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from kzcoder.cli.main import main
from kzcoder.core.errors import KzError
from kzcoder.core.history import GENESIS
from kzcoder.db import engine as db_engine
from kzcoder.services import history
from kzcoder.services.codings import add_coding, remove_coding
from kzcoder.services.documents import import_paths, update_document
from kzcoder.services.project import Project
from kzcoder.services.sample import create_project


def run(capfd, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def entries_in_file(path: Path) -> list[tuple]:
    """The history as plain SQL sees it, independently of kzcoder's code."""
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT id, coder, action, previous, hash FROM history "
                          "ORDER BY id").fetchall()
    finally:
        db.close()


def outside(path: Path, *statements: str, params: tuple = ()) -> None:
    """Change the file as another program would (no kzcoder connection, so no history)."""
    db = sqlite3.connect(path)
    try:
        for statement in statements:
            db.execute(statement, params if "?" in statement else ())
        db.commit()
    finally:
        db.close()


@pytest.fixture
def sample(tmp_path, sample_template) -> Path:
    path = tmp_path / "s.kzc"
    path.write_bytes(sample_template.read_bytes())
    return path


def test_each_change_is_one_entry_chained_to_the_one_before(sample, capfd):
    before = entries_in_file(sample)
    with Project.open(sample) as project:
        project.actor = "ana"
        coding = add_coding(project, 1, 1, 5, 25, coder="ana").value
        update_document(project, 2, name="renamed")
        remove_coding(project, coding.id)
        with pytest.raises(KzError):  # refused: rolled back, so no entry either
            add_coding(project, 1, 1, 30, 10, coder="ana")
        history.list_history(project)  # reading changes nothing
    after = entries_in_file(sample)
    assert len(after) == len(before) + 3
    new = after[len(before):]
    assert [e[1] for e in new] == ["ana"] * 3
    assert [e[2] for e in new] == ["added 1 coder; added 1 coding", "changed 1 document",
                                   "removed 1 coding"]
    chain = [GENESIS] + [e[4] for e in after]
    assert [e[3] for e in after] == chain[:-1]  # each names the hash of the one before
    code, out, err = run(capfd, "history", sample, "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == len(after)
    assert {"time", "coder", "action", "hash", "previous"} <= set(listed[-1])
    assert listed[-1]["hash"] == after[-1][4]
    code, out, err = run(capfd, "history", sample, "--coding", coding.id, "--json")
    assert [e["action"] for e in json.loads(out)] == ["added 1 coder; added 1 coding",
                                                      "removed 1 coding"]
    code, out, err = run(capfd, "verify", sample)
    assert (code, err) == (0, "") and f"head {after[-1][4]}" in out


def _head(path: Path) -> str:
    return entries_in_file(path)[-1][4]


OUTSIDE_EDITS = {
    "a coding's span": (['UPDATE codings SET start = start + 1 WHERE id = 1'],
                        "coding 1: its span, code, coder or memo was changed outside kzcoder"),
    "a coding removed": (["DELETE FROM codings WHERE id = 2"], "coding 2: removed outside"),
    "a coding added": (['INSERT INTO codings (guid, document_id, code_id, coder_id, start, '
                        '"end", memo, created) SELECT \'x\', document_id, code_id, coder_id, 0, '
                        '3, \'\', created FROM codings WHERE id = 1'],
                       "not in the history (added outside kzcoder)"),
    "a document's text": (["UPDATE documents SET text = replace(text, 'the', 'a') "
                           "WHERE id = 3"],
                          "document 3 '2022-01-07_kazakh-president-gives-shoot-to-kill-order': "
                          "its text was changed outside kzcoder"),
    "a document's text and checksum": (
        ["UPDATE documents SET text = 'x' || text, sha256 = 'f' || substr(sha256, 2) "
         "WHERE id = 4"], "document 4: its name, text or memo was changed outside kzcoder"),
    "an original file": (["UPDATE original_files SET data = CAST('forged' AS BLOB), size = 6 "
                          "WHERE document_id = 5"],
                         "original file of document 5: its name, type, size or checksum"),
    "an original's bytes only": (
        ["UPDATE original_files SET data = CAST(upper(CAST(data AS TEXT)) AS BLOB) "
         "WHERE document_id = 6"],
        "document 6: its original file 'crlf.txt' was changed outside kzcoder"),
    "a history entry": (["UPDATE history SET coder = 'someone else' WHERE id = 3"],
                        "history entry 3"),
    "a history entry removed": (["DELETE FROM history_rows WHERE entry_id = 4",
                                 "DELETE FROM history WHERE id = 4"],
                                "history entry 5"),
}


@pytest.mark.parametrize("edit", sorted(OUTSIDE_EDITS))
def test_verify_names_each_kind_of_outside_edit(sample, capfd, edit):
    article = sample.with_name("crlf.txt")  # kept as its own bytes: not the stored text
    article.write_bytes(b"An article with Windows line ends.\r\nA second line.\r\n")
    with Project.open(sample) as project:
        assert import_paths(project, [article]).value.imported[0].id == 6
        for start in (0, 40, 80):
            add_coding(project, 1, 2, start, start + 20, coder="ana")
    statements, expected = OUTSIDE_EDITS[edit]
    assert run(capfd, "verify", sample)[0] == 0
    outside(sample, *statements)
    code, out, err = run(capfd, "verify", sample)
    assert code == 1 and out.startswith("head ")
    lines = err.splitlines()
    assert any(expected in line for line in lines), err
    assert lines[-1].endswith("it was changed outside kzcoder or damaged")


def test_a_recorded_head_is_found_later_and_a_rewritten_history_is_not(sample, capfd):
    with Project.open(sample) as project:
        add_coding(project, 1, 1, 0, 10, coder="ana")
    recorded = _head(sample)
    with Project.open(sample) as project:
        add_coding(project, 2, 1, 0, 10, coder="ana")
    total = len(entries_in_file(sample))
    code, out, err = run(capfd, "verify", sample, "--head", recorded.upper())
    assert (code, err) == (0, "") and f"is entry {total - 1} of {total}" in out
    code, out, err = run(capfd, "verify", sample, "--head", "ab" * 32)
    assert code == 1 and "the history does not hold" in err


def test_merges_and_refi_imports_enter_the_chain(sample, tmp_path, capfd):
    other = tmp_path / "other.kzc"
    create_project(other, sample=True).close()
    with Project.open(other) as project:
        add_coding(project, 1, 3, 0, 50, coder="bob")
    assert run(capfd, "merge", sample, other)[0] == 0
    assert entries_in_file(sample)[-1][2] == "merged other.kzc"
    qdpx = tmp_path / "s.qdpx"
    assert run(capfd, "export", sample, "--format", "qdpx", "-o", qdpx)[0] == 0
    imported = tmp_path / "imported.kzc"
    assert run(capfd, "import-project", qdpx, imported)[0] == 0
    assert any(e[2].startswith("imported the REFI-QDA project s.qdpx")
               for e in entries_in_file(imported))
    for path in (sample, imported):
        code, out, err = run(capfd, "verify", path)
        assert (code, err) == (0, ""), err


def test_a_project_from_before_the_history_starts_it_when_upgraded(tmp_path, capfd):
    from alembic import command

    from kzcoder.db.migrate import alembic_config

    path = tmp_path / "old.kzc"
    engine = db_engine.make_engine(path)
    config = alembic_config()
    body = "Old text of an old project."
    with engine.begin() as connection:  # a project as kzcoder wrote it at 0004
        config.attributes["connection"] = connection
        command.upgrade(config, "0004_code_memos")
        connection.execute(text("INSERT INTO project (id, guid, name, memo, created) "
                                "VALUES (1, 'g', 'old', '', '2024-01-01T00:00:00Z')"))
        connection.execute(text(
            "INSERT INTO documents (id, guid, name, text, length, sha256, source_encoding, "
            "memo, created) VALUES (1, 'd', 'old doc', :t, :n, :s, 'utf-8', '', "
            "'2024-01-01T00:00:00Z')"),
            {"t": body, "n": len(body), "s": hashlib.sha256(body.encode()).hexdigest()})
        connection.execute(text("INSERT INTO coders (id, guid, name) VALUES (1, 'c', 'ana')"))
        connection.execute(text("INSERT INTO codes (id, guid, name, color, description, "
                                "position) VALUES (1, 'k', 'Code', '#112233', '', 0)"))
        connection.execute(text('INSERT INTO codings (guid, document_id, code_id, coder_id, '
                                'start, "end", memo, created) VALUES (\'x\', 1, 1, 1, 0, 3, '
                                "'', '2024-01-01T00:00:00Z')"))
    engine.dispose()
    assert db_engine.read_revision(path) == "0004_code_memos"
    code, out, err = run(capfd, "verify", path)
    assert (code, err) == (0, "")
    first = entries_in_file(path)
    assert [(e[1], e[2]) for e in first] == [("kzcoder", "history begins")]
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM history_rows").fetchone()[0] == 5  # every row
    db.close()
    with Project.open(path) as project:
        add_coding(project, 1, 1, 4, 7, coder="ana")
    assert run(capfd, "verify", path)[0] == 0
    outside(path, 'UPDATE codings SET "end" = 4 WHERE id = 1')
    code, _out, err = run(capfd, "verify", path)
    assert code == 1 and "coding 1:" in err


def test_history_and_verify_on_an_encrypted_project(tmp_path, capfd, monkeypatch):
    path = tmp_path / "e.kzc"
    monkeypatch.setenv("KZCODER_PASSPHRASE", "pass phrase")
    create_project(path, sample=True, passphrase="pass phrase").close()
    assert run(capfd, "code", path, "1", "1", "0", "9", "--coder", "ana")[0] == 0
    code, out, err = run(capfd, "history", path, "--json")
    assert code == 0 and json.loads(out)[-1]["coder"] == "ana"
    code, out, err = run(capfd, "verify", path)
    assert (code, err) == (0, "") and out.startswith("head ")
    monkeypatch.delenv("KZCODER_PASSPHRASE")
    from kzcoder.db import cipher

    cipher.forget(path)
    assert run(capfd, "verify", path)[0] == 2
