"""The PDF reader on real PDFs (tests/fixtures/formats/office/README.md says how each was made)."""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pypdfium2
import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.exchange.readers import ReadDocument, pdf
from kzcoder.exchange.readers.common import LIGATURES, tidy_text

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "office"
CORPUS = Path(__file__).resolve().parents[2] / "sample_corpus"


def one_line_naming(error: KzError, name: str) -> str:
    message = str(error)
    assert "\n" not in message and message.startswith(f"{name}: ")
    return message


def test_an_article_pdf_reads_in_order_with_its_metadata():
    document = readers.read_document(OFFICE / "article.pdf")
    text = document.text
    phrases = ["live firearms will continue to be deployed against violent protesters",
               "Kalmukhambet Kasymov has taken residence in the remote town",
               "Nobody specifically gave the order to open fire in that situation"]
    positions = [text.index(phrase) for phrase in phrases]
    assert positions == sorted(positions)
    assert document.encoding == "PDF"
    assert tidy_text(text) == text
    assert document.attributes["title"] == "Kazakhstan defends use of force against protesters"
    assert document.attributes["author"] == "Taipei Times staff"
    assert len(document.attributes["published"]) == 10  # when LibreOffice exported it
    assert "\ue000" not in text and "\uf095" not in text  # list bullets from a symbol font


def test_paragraphs_are_found_from_the_layout():
    text = readers.read_document(OFFICE / "multipage.pdf").text
    source = [line.strip() for line in
              (CORPUS / "2022-01-12_protesters-fear-prosecution-and-crackdown.txt")
              .read_text(encoding="utf-8").splitlines() if line.strip()]
    blocks = {" ".join(block.split()) for block in text.split("\n\n")}
    whole = [paragraph for paragraph in source if paragraph in blocks]
    assert len(whole) >= 0.85 * len(source)
    # a paragraph's lines are joined with a space: no line break inside a block
    assert all("\n" not in block or block.endswith("-") for block in text.split("\n\n")[:5])


def test_pages_are_joined_with_one_blank_line():
    path = OFFICE / "multipage.pdf"
    document = pypdfium2.PdfDocument(path)
    pages = [document[number].get_textpage().get_text_range().strip().splitlines()
             for number in range(len(document))]
    document.close()
    assert len(pages) in (2, 3)
    text = readers.read_document(path).text
    for before, after in zip(pages, pages[1:], strict=False):
        assert f"{before[-1].strip()}\n\n{after[0].strip()}" in text
    assert "\n\n\n" not in text
    assert text.index("Kasym-Zhomart Tokayev") < text.index("Bar Association of Almaty")


def test_ligature_glyphs_come_out_as_letters():
    path = OFFICE / "ligatures.pdf"
    document = pypdfium2.PdfDocument(path)
    textpage = document[0].get_textpage()
    raw = textpage.get_text_range()
    at = raw.index("officials")
    # the fixture really draws "ffi" as one glyph: PDFium gives its three letters one box
    boxes = {textpage.get_charbox(at + offset) for offset in (1, 2, 3)}
    assert len(boxes) == 1 and textpage.get_charbox(at) not in boxes
    textpage.close()
    document.close()
    read = readers.read_document(path)
    for word in ("officials", "fled", "first", "firmly", "flash points", "stifling",
                 "influence", "liquefied"):
        assert word in read.text
    assert not set(LIGATURES) & set(read.text)
    assert read.attributes == {"title": "Kazakh President Gives Stark Shoot-To-Kill Order",
                               "author": "RFE/RL", "published": "2022-01-07"}


def test_words_hyphenated_at_a_line_end_stay_as_the_pdf_has_them():
    text = readers.read_document(OFFICE / "ligatures.pdf").text
    assert "Rus-\nsian" in text
    assert "dis-\nmissed Nazarbaev" in text
    assert tidy_text(text) == text


@pytest.mark.parametrize("name", ["article.html", "article.txt", "article.rtf", "article"])
def test_a_pdf_under_another_name_is_read_as_pdf(tmp_path, name):
    path = tmp_path / name
    shutil.copy(OFFICE / "article.pdf", path)
    assert readers.reader_for(path) is pdf.READER
    assert readers.read_document(path).text == readers.read_document(OFFICE / "article.pdf").text


def test_a_pdf_with_junk_before_its_header_is_sniffed():
    assert pdf.sniff(b"\x00" * 100 + b"%PDF-1.4\n")
    assert not pdf.sniff(b"\x00" * 1100 + b"%PDF-1.4\n")
    assert not pdf.sniff(b"PK\x03\x04word/")


def test_an_owner_password_alone_does_not_stop_reading():
    assert readers.read_document(OFFICE / "owner-password.pdf").text == \
        readers.read_document(OFFICE / "article.pdf").text


@pytest.mark.parametrize(("name", "reason"), [
    ("encrypted.pdf", "is encrypted: remove the password and import it again"),
    ("scanned.pdf", "no text layer: run OCR first"),
])
def test_refusals_are_one_line_naming_the_file(name, reason):
    with pytest.raises(KzError) as info:
        readers.read_document(OFFICE / name)
    assert one_line_naming(info.value, name) == f"{name}: {reason}"


@pytest.mark.parametrize("damage", ["garbage", "header only", "truncated"])
def test_a_corrupt_pdf_is_refused_in_one_line(tmp_path, damage):
    path = tmp_path / "broken.pdf"
    path.write_bytes({"garbage": b"%PDF-1.7\n1 0 obj <<>> garbage", "header only": b"%PDF-",
                      "truncated": (OFFICE / "article.pdf").read_bytes()[:20000]}[damage])
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    assert one_line_naming(info.value, "broken.pdf") == "broken.pdf: is damaged or not a PDF"


def test_pages_without_text_are_warned_about(tmp_path):
    combined = pypdfium2.PdfDocument.new()
    for name in ("article.pdf", "scanned.pdf"):
        source = pypdfium2.PdfDocument(OFFICE / name)
        combined.import_pages(source)
        source.close()
    combined.save(tmp_path / "mixed.pdf")
    combined.close()
    document = readers.read_document(tmp_path / "mixed.pdf")
    assert "Kalmukhambet Kasymov" in document.text
    assert document.warnings == ("mixed.pdf: 1 of 3 pages have no text layer (scanned?) and "
                                 "are missing: page 3",)


def _mutations(data: bytes, seed: int) -> list[bytes]:
    """Truncated, cut and garbled copies of *data*."""
    rng = random.Random(seed)
    copies = [data[:size] for size in (0, 1, 5, 100, len(data) // 3, len(data) // 2,
                                       len(data) - 100, len(data) - 1)]
    for _ in range(30):
        garbled = bytearray(data)
        for _ in range(rng.choice((1, 5, 50))):
            garbled[rng.randrange(len(garbled))] = rng.randrange(256)
        copies.append(bytes(garbled))
        start = rng.randrange(len(data))
        copies.append(data[:start] + data[start + rng.randrange(1, 2000):])
    return copies


@pytest.mark.parametrize("name", ["article.pdf", "ligatures.pdf"])
def test_damaged_copies_give_a_document_or_one_line(tmp_path, name):
    path = tmp_path / name
    for data in _mutations((OFFICE / name).read_bytes(), seed=len(name)):
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            result = readers.read_with(pdf.READER, path)
        except KzError as error:
            one_line_naming(error, name)
        else:
            assert isinstance(result, ReadDocument) and tidy_text(result.text) == result.text
        assert time.perf_counter() - started < 10
