"""The EPUB reader (kzcoder.exchange.readers.epub) on tests/fixtures/formats/web/reader.epub
(made by pandoc from three sample articles, see that folder's README.md) and on variants of it."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.exchange.readers import epub, html
from kzcoder.exchange.readers.common import tidy_text
from tests.exchange.test_reader_html import MUTATIONS, assert_read_or_refused, mutate

BOOK = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "web" / "reader.epub"
ATTRIBUTES = {"title": "Kazakhstan Unrest Reader", "author": "Dana Omarova",
              "published": "2022-01-12", "outlet": "Steppe Daily News"}
# Three phrases from each chapter, in spine order (pandoc made the quotes typographic).
CHAPTERS = [
    ["Kazakh President Gives Stark ‘Shoot-To-Kill’ Order Amid Unprecedented Uprising",
     "The number of people detained reached 3,811",
     "relieved a longtime Nazarbaev associate of his post"],
    ["Kazakhstan defends use of force against protesters",
     "live firearms will continue to be deployed against violent protesters",
     "This story has been viewed 2266 times."],
    ["Kazak Security Forces Bracing for Trouble",
     "washing away the red paint which had been splattered",
     "Gaziza Baituova is an IWPR correspondent in Taraz."],
]
NOT_TEXT = ["white-space", "smallcaps", "stylesheet", "ch001.xhtml", "epub:type", "<p>",
            "urn:uuid", "Table of Contents"]


def rebuild(path: Path, change=None, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the fixture at *path*: each member's bytes through *change(name, data)*,
    *extra* members added; ``mimetype`` first and stored, as EPUB requires."""
    with zipfile.ZipFile(BOOK) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members.update(extra or {})
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            data = change(name, data) if change else data
            if data is not None:
                target.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype"
                                else zipfile.ZIP_DEFLATED)
    return path


def positions(text: str) -> list[int]:
    return [text.index(phrase) for chapter in CHAPTERS for phrase in chapter]


def test_chapters_in_spine_order_with_metadata():
    assert readers.reader_for(BOOK) is epub.READER
    document = readers.read_document(BOOK)
    for phrase in (phrase for chapter in CHAPTERS for phrase in chapter):
        assert document.text.count(phrase) == 1, phrase
    assert positions(document.text) == sorted(positions(document.text))
    assert [junk for junk in NOT_TEXT if junk in document.text] == []
    assert document.attributes == ATTRIBUTES
    assert document.encoding == "EPUB" and document.warnings == ()
    assert tidy_text(document.text) == document.text
    assert "\n\nKazakhstan defends use of force against protesters\n\nNEW CONTINGENCY:" \
        in document.text  # a chapter's heading, then its paragraphs, a blank line apart


def test_the_spine_not_the_file_names_gives_the_order(tmp_path):
    def reverse_spine(name, data):
        if not name.endswith(".opf"):
            return data
        spine = re.search(rb"<spine[^>]*>(.*?)</spine>", data, re.S)
        refs = re.findall(rb"<itemref[^>]*/>", spine.group(1))
        return data.replace(spine.group(1), b"\n".join(reversed(refs)))

    text = readers.read_document(rebuild(tmp_path / "reversed.epub", reverse_spine)).text
    firsts = [text.index(chapter[1]) for chapter in CHAPTERS]
    assert firsts[0] > firsts[1] > firsts[2]


ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
 xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
<enc:EncryptionMethod Algorithm="{algorithm}"/>
<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>
</encryption>"""


def test_a_drm_protected_book_is_refused_in_one_line(tmp_path):
    xml = ENCRYPTION.format(algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                            uri="EPUB/text/ch002.xhtml")
    path = rebuild(tmp_path / "locked.epub", extra={"META-INF/encryption.xml": xml.encode()})
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    assert str(info.value) == ("locked.epub: this EPUB is protected by DRM (its chapters are "
                               "encrypted) and cannot be read")


def test_obfuscated_fonts_are_no_obstacle(tmp_path):
    xml = ENCRYPTION.format(algorithm="http://www.idpf.org/2008/embedding",
                            uri="EPUB/fonts/Serif.otf")
    path = rebuild(tmp_path / "fonts.epub", extra={"META-INF/encryption.xml": xml.encode(),
                                                   "EPUB/fonts/Serif.otf": b"\x00" * 64})
    assert readers.read_document(path).text == readers.read_document(BOOK).text


def test_a_missing_chapter_is_skipped_with_a_warning(tmp_path):
    path = rebuild(tmp_path / "gap.epub",
                   lambda name, data: None if name.endswith("ch002.xhtml") else data)
    document = readers.read_document(path)
    assert document.warnings == ("gap.epub: the chapter EPUB/text/ch002.xhtml is listed but "
                                 "missing; skipped",)
    assert CHAPTERS[0][1] in document.text and CHAPTERS[2][1] in document.text
    assert CHAPTERS[1][1] not in document.text


def test_chapter_warnings_name_the_book_then_the_chapter(tmp_path):
    def damage(name, data):
        if name.endswith("ch001.xhtml"):
            return data.replace(b"stark warning", b"stark \x93warning\x94")
        return b"\x00\x01\x02\x03binary" if name.endswith("ch003.xhtml") else data

    document = readers.read_document(rebuild(tmp_path / "odd.epub", damage))
    assert document.warnings == (
        "odd.epub: EPUB/text/ch001.xhtml: declares UTF-8 but is not UTF-8; read as "
        "utf-8+cp1252",
        "odd.epub: EPUB/text/ch001.xhtml: read as UTF-8; 2 bytes were not UTF-8 and were "
        "taken as Windows-1252 (“ ”, first on line 21)",
        "odd.epub: the chapter EPUB/text/ch003.xhtml is not text (binary file, not text); "
        "skipped")
    assert "stark “warning”" in document.text and CHAPTERS[1][1] in document.text
    assert CHAPTERS[2][1] not in document.text


OPF2 = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>Дневник событий</dc:title><dc:title>второе название</dc:title>
<dc:creator opf:role="edt">Editor Person</dc:creator>
<dc:creator opf:role="aut">Айгерим Сапарова</dc:creator>
<dc:date opf:event="creation">2001-05-05</dc:date>
<dc:date opf:event="publication">2022-01-12T08:00:00Z</dc:date>
<dc:publisher>  Степной
 вестник </dc:publisher><dc:identifier id="id">x</dc:identifier></metadata>
<manifest><item id="b" href="Text/Part%20Two.xhtml" media-type="application/xhtml+xml"/>
<item id="a" href="Text/one.html#start" media-type="application/xhtml+xml"/>
<item id="img" href="cover.jpg" media-type="image/jpeg"/></manifest>
<spine><itemref idref="a"/><itemref idref="img"/><itemref idref="b"/><itemref idref="nope"/>
</spine></package>"""


def test_an_epub2_book_by_hand(tmp_path):
    """EPUB 2 metadata (opf:role, opf:event), hrefs with %20 and #fragments, a chapter in
    windows-1251 declared by its XML declaration, non-XHTML spine items skipped."""
    path = tmp_path / "old.epub"
    chapter = ('<?xml version="1.0" encoding="windows-1251"?>\n<html><body><p>Первая '
               'глава.</p></body></html>').encode("cp1251")
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("META-INF/container.xml", '<container version="1.0" xmlns="urn:oasis:'
                      'names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path='
                      '"OPS/content.opf" media-type="application/oebps-package+xml"/>'
                      '</rootfiles></container>')
        book.writestr("OPS/content.opf", OPF2)
        book.writestr("OPS/Text/one.html", chapter)
        book.writestr("OPS/Text/Part Two.xhtml", "<html><body><h2>Часть 2</h2><p>Вторая "
                      "глава.</p></body></html>")
        book.writestr("OPS/cover.jpg", b"\xff\xd8\xff")
    document = readers.read_document(path)
    assert document.text == "Первая глава.\n\nЧасть 2\n\nВторая глава."
    assert document.attributes == {"title": "Дневник событий", "author": "Айгерим Сапарова",
                                   "published": "2022-01-12", "outlet": "Степной вестник"}


def test_sniff():
    assert epub.sniff(BOOK.read_bytes()[:readers.HEAD_SIZE])
    assert not html.sniff(BOOK.read_bytes()[:readers.HEAD_SIZE])
    for head in (b"%PDF-1.7\n", b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd."
                 b"oasis.opendocument.text", b"PK\x03\x04[Content_Types].xml", b"<html>", b""):
        assert not epub.sniff(head)


@pytest.mark.parametrize(("data", "reason"), [
    (b"%PDF-1.4\n1 0 obj\n", "not an EPUB (not a complete zip file)"),
    (b"", "not an EPUB (not a complete zip file)"),
])
def test_not_an_epub_is_refused_in_one_line(tmp_path, data, reason):
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    with pytest.raises(KzError) as info:
        readers.read_with(epub.READER, path)
    assert str(info.value) == f"book.epub: {reason}"


def test_a_zip_that_is_no_epub_is_refused_in_one_line(tmp_path):
    path = tmp_path / "docs.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(KzError) as info:
        readers.read_with(epub.READER, path)  # what the .epub suffix alone would choose
    assert str(info.value) == "docs.epub: not an EPUB (it has no META-INF/container.xml)"


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutations=MUTATIONS)
def test_damaged_books_are_read_or_refused_in_one_line(mutations):
    assert_read_or_refused(epub.READER, "damaged.epub", mutate(BOOK.read_bytes(), mutations))


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutations=MUTATIONS)
def test_damaged_chapters_are_read_or_refused_in_one_line(mutations):
    def damage(name, data):
        return mutate(data, mutations) if name.endswith((".opf", "ch001.xhtml")) else data

    with tempfile.TemporaryDirectory() as folder:
        data = rebuild(Path(folder) / "x.epub", damage).read_bytes()
    assert_read_or_refused(epub.READER, "damaged.epub", data)
