"""Every bad file of an import gets one line naming it and why; the good files of the same
import go in; the project is otherwise unchanged (compared before and after)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kzcoder.cli.main import main
from kzcoder.db.backends.sqlite_fts import INDEX_TABLES
from kzcoder.exchange.readers import MIB

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
GOOD = {"article.docx": FIXTURES / "office" / "article.docx",
        "news-article.html": FIXTURES / "web" / "news-article.html",
        "multipage.pdf": FIXTURES / "office" / "multipage.pdf"}
BAD = {"encrypted.pdf": FIXTURES / "office" / "encrypted.pdf",
       "scanned.pdf": FIXTURES / "office" / "scanned.pdf",
       "password.docx": FIXTURES / "office" / "password.docx",
       "no-article.html": FIXTURES / "web" / "no-article.html"}


def make_bad_files(folder: Path) -> list[str]:
    """The committed bad fixtures, plus a truncated Word file, an unsupported type and a PDF
    over the size limit (sparse: it takes no room on disk); returns their names."""
    for name, source in BAD.items():
        shutil.copy(source, folder / name)
    whole = (FIXTURES / "office" / "article.docx").read_bytes()
    (folder / "truncated.docx").write_bytes(whole[: len(whole) // 2])
    (folder / "notes.xyz").write_text("not a document kzcoder reads", encoding="utf-8")
    with (folder / "huge.pdf").open("wb") as huge:
        huge.write(b"%PDF-1.4\n")
        huge.truncate(101 * MIB)
    return [*BAD, "truncated.docx", "notes.xyz", "huge.pdf"]


def dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if row[0] not in INDEX_TABLES]  # the search index follows documents by itself
        return {table: sorted(db.execute(f'SELECT * FROM "{table}"'), key=repr)
                for table in tables}


@pytest.fixture
def sample(tmp_path, sample_template) -> Path:
    path = tmp_path / "p.kzc"
    shutil.copy(sample_template, path)
    return path


def test_bad_files_alone_change_nothing(tmp_path, sample, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    names = make_bad_files(folder)
    before = dump(sample)
    assert main(["import", str(sample), str(folder)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == len(names), err
    for name in names:
        [line] = [line for line in lines if name in line]
        assert line.startswith(f"kzcoder: refused {name}: ")
        assert len(line) > len(f"kzcoder: refused {name}: ") + 10  # says why
    assert "Traceback" not in err and "unexpected" not in err
    assert out.splitlines()[-1].startswith("imported 0 document(s)")
    assert dump(sample) == before


def test_the_good_files_of_a_mixed_import_go_in_and_nothing_else_changes(tmp_path, sample,
                                                                         capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    names = make_bad_files(folder)
    for name, source in GOOD.items():
        shutil.copy(source, folder / name)
    before = dump(sample)
    assert main(["import", str(sample), str(folder)]) == 1
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == len(names)
    assert sorted(line.split("\t")[1] for line in out.splitlines()[:-1]) == sorted(
        Path(name).stem for name in GOOD)
    after = dump(sample)
    new_ids = {row[0] for row in after["documents"]} - {row[0] for row in before["documents"]}
    assert len(new_ids) == len(GOOD)
    for table, rows in after.items():
        if table in ("documents", "document_attributes", "original_files"):
            document_column = 0
            kept = [row for row in rows if row[document_column] not in new_ids]
            assert kept == before[table], table
            added = [row for row in rows if row[document_column] in new_ids]
            assert added, table
        elif table in ("history", "history_rows"):  # it only grows: the import is in it
            assert set(before[table]) < set(rows), table
        else:
            assert rows == before[table], table
    # the originals are the files, byte for byte
    for name, source in GOOD.items():
        out_path = tmp_path / f"back-{name}"
        assert main(["original", str(sample), f"name:{Path(name).stem}", "-o",
                     str(out_path)]) == 0
        assert out_path.read_bytes() == source.read_bytes()
