"""The Word (.docx) reader on real files (tests/fixtures/formats/office/README.md)."""

from __future__ import annotations

import datetime
import io
import random
import re
import shutil
import time
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.exchange.readers import ReadDocument
from kzcoder.exchange.readers import docx as docx_reader
from kzcoder.exchange.readers.common import tidy_text

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "office"
#: The table and what follows it in article.docx/.odt/.rtf, as stored (see make_fixtures.py).
TABLE_AND_AFTER = (
    "between police and protesters.\n\n"
    "Day\tEvent\n\n"
    "Friday 16 December\tClashes in Zhanaozen between police and oil workers\n\n"
    "Saturday 17 December\tThree-week state of emergency imposed\n\n"
    "Sunday 18 December\tInterior minister defends the use of firearms\n\n"
    "Filed from:\tZhanaozen\nMangystau region,  Kazakhstan\n\n"
    "First item of the list\n\nSecond item of the list\n\n"
    "The unrest is causing palpable tension")
PHRASES = ["live firearms will continue to be deployed against violent protesters",
           "Kalmukhambet Kasymov has taken residence in the remote town",
           "Nobody specifically gave the order to open fire in that situation"]


def one_line_naming(error: KzError, name: str) -> str:
    message = str(error)
    assert "\n" not in message and message.startswith(f"{name}: ")
    return message


def test_a_word_article_reads_paragraphs_and_table_in_order():
    document = readers.read_document(OFFICE / "article.docx")
    text = document.text
    positions = [text.index(phrase) for phrase in PHRASES]
    assert positions == sorted(positions)
    assert TABLE_AND_AFTER in text
    assert text.startswith("Tue, Dec 20, 2011 - Page 5 News List\n\n"
                           "Kazakhstan defends use of force against protesters\n\n")
    assert tidy_text(text) == text
    assert document.encoding == "DOCX"
    assert document.attributes == {"title": "Kazakhstan defends use of force against protesters",
                                   "author": "Taipei Times staff", "published": "2011-12-20"}


def test_the_same_article_reads_the_same_from_docx_odt_and_rtf():
    texts = {readers.read_document(OFFICE / f"article.{suffix}").text
             for suffix in ("docx", "odt", "rtf")}
    assert len(texts) == 1


def _rezip(source: Path, target: Path, change) -> None:
    """Copy the zip *source* to *target*, passing each member through change(name, data),
    which returns the new data or None to leave the member out."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item))
            if data is not None:
                new.writestr(item, data)


def test_a_file_without_core_properties_gets_no_made_up_title(tmp_path):
    path = tmp_path / "bare.docx"

    def drop_core(name, data):
        if name == "docProps/core.xml":
            return None
        return data.replace(b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                            b'officedocument/2006/relationships/metadata/core-properties" '
                            b'Target="docProps/core.xml"/>', b"")

    _rezip(OFFICE / "article.docx", path, drop_core)
    document = readers.read_document(path)
    assert document.attributes == {}  # python-docx itself would say "Word Document"
    assert TABLE_AND_AFTER in document.text


def test_a_python_docx_file_with_merged_cells_and_standard_properties(tmp_path):
    made = python_docx.Document()
    made.core_properties.title = "  Shoot to kill\norder "
    made.core_properties.author = "RFE/RL"
    made.core_properties.created = datetime.datetime(2022, 1, 7, 10, 0)
    made.add_paragraph("Before the table.")
    table = made.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "merged"
    table.cell(0, 2).text = "right"
    table.cell(1, 0).text = "a"
    table.cell(1, 2).add_paragraph("two paragraphs")
    table.cell(1, 2).paragraphs[0].text = "one"
    paragraph = made.add_paragraph("After ")
    paragraph.add_run("the").add_break()
    paragraph.add_run("table.\tEnd")
    made.add_paragraph("   ")
    made.save(tmp_path / "made.docx")
    document = readers.read_document(tmp_path / "made.docx")
    assert document.text == ("Before the table.\n\nmerged\tright\n\na\t\tone two paragraphs\n\n"
                             "After the\ntable.\tEnd")
    assert document.attributes == {"title": "Shoot to kill order", "author": "RFE/RL",
                                   "published": "2022-01-07"}


def test_a_docx_under_another_name_is_sniffed(tmp_path):
    path = tmp_path / "article.txt"
    shutil.copy(OFFICE / "article.docx", path)
    assert readers.reader_for(path) is docx_reader.READER
    assert readers.read_document(path).text == readers.read_document(OFFICE / "article.docx").text
    assert not docx_reader.sniff((OFFICE / "article.odt").read_bytes()[:4096])


def test_a_password_protected_docx_is_refused_in_one_line():
    assert (OFFICE / "password.docx").read_bytes()[:8] == docx_reader.OLE_MAGIC
    with pytest.raises(KzError) as info:
        readers.read_document(OFFICE / "password.docx")
    assert one_line_naming(info.value, "password.docx") == (
        "password.docx: is password-protected or an old .doc file: save it as .docx without "
        "a password")


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04", b"not a zip at all"])
def test_a_corrupt_docx_is_refused_in_one_line(tmp_path, data):
    path = tmp_path / "broken.docx"
    path.write_bytes(data or (OFFICE / "article.docx").read_bytes()[:3000])
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    assert one_line_naming(info.value, "broken.docx") == (
        "broken.docx: is damaged or not a Word document (.docx)")


def test_a_zip_that_is_no_word_document_is_refused(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    assert one_line_naming(info.value, "other.docx").endswith("not a Word document (.docx)")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 10_000)
    with pytest.raises(KzError) as info:
        readers.read_document(OFFICE / "article.docx")
    assert one_line_naming(info.value, "article.docx").endswith(
        "MiB limit for a Word document (.docx)")


ODD_TEXT = ["\ufb01", "\u2028", "\u200f", "\U0001f600", "e\u0301", "&amp;", "\t", "  ", "Ё",
            "\u00ad", "&#x1F600;", "&#xFFFE;", "\ufeff", "x" * 300]


def mutations(path: Path, inner: str, text_tag: bytes, seed: int) -> list[bytes]:
    """Truncated and garbled copies of the zip at *path*; copies whose member *inner* (the
    main XML) is truncated or garbled inside a sound zip; and copies whose XML stays well
    formed but whose text runs (elements *text_tag*) hold odd text or are moved about."""
    data = path.read_bytes()
    rng = random.Random(seed)
    copies = [data[:size] for size in (0, 4, 30, 200, len(data) // 2, len(data) - 22,
                                       len(data) - 1)]
    for _ in range(15):
        garbled = bytearray(data)
        for _ in range(rng.choice((1, 4, 40))):
            garbled[rng.randrange(len(garbled))] = rng.randrange(256)
        copies.append(bytes(garbled))
    with zipfile.ZipFile(path) as archive:
        members = {item.filename: archive.read(item) for item in archive.infolist()}
    xml = members[inner]
    runs = re.compile(rb"(<" + text_tag + rb"[^>]*>)([^<]*)(</" + text_tag + rb">)")
    for number in range(30):
        if number % 2:  # well formed: odd text in runs, runs swapped or emptied
            texts = [match.group(2) for match in runs.finditer(xml)]
            rng.shuffle(texts)
            for index in rng.sample(range(len(texts)), 5):
                texts[index] = "".join(rng.choices(ODD_TEXT, k=3)).encode()
            pieces = iter(texts)
            changed = runs.sub(lambda match, pieces=pieces: match.group(1) + next(pieces)
                               + match.group(3), xml)
        else:
            changed = bytearray(xml[:rng.randrange(len(xml))] if rng.random() < 0.5 else xml)
            for _ in range(rng.choice((1, 3, 30))):
                changed[rng.randrange(len(changed))] = rng.choice(b"<>&\"/ \x00\xff\xc3a")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, member in members.items():
                archive.writestr(name, bytes(changed) if name == inner else member)
        copies.append(buffer.getvalue())
    return copies


def read_or_refused(reader, path: Path, copies) -> set[str]:  # noqa: ANN001
    """Write each of *copies* at *path* and read it with *reader*: a document whose text is
    tidy, or a one-line KzError naming the file, within 10 s. Returns the outcomes seen."""
    outcomes = set()
    for data in copies:
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            result = readers.read_with(reader, path)
        except KzError as error:
            one_line_naming(error, path.name)
            outcomes.add("refused")
        else:
            assert isinstance(result, ReadDocument) and tidy_text(result.text) == result.text
            outcomes.add("read")
        assert time.perf_counter() - started < 10
    return outcomes


def test_damaged_copies_give_a_document_or_one_line(tmp_path):
    copies = mutations(OFFICE / "article.docx", "word/document.xml", b"w:t", seed=7)
    assert read_or_refused(docx_reader.READER, tmp_path / "article.docx",
                           copies) == {"read", "refused"}
