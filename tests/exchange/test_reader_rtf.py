"""The RTF reader on real files (tests/fixtures/formats/office/README.md says how each was made)."""

from __future__ import annotations

import random
import re
import shutil
import time
from pathlib import Path

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.exchange.readers import ReadDocument, rtf
from kzcoder.exchange.readers.common import tidy_text
from tests.exchange.test_reader_docx import PHRASES, TABLE_AND_AFTER, one_line_naming

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "office"
RUSSIAN = ("Министр внутренних дел Казахстана заявил в воскресенье, что огнестрельное оружие и "
           "впредь будет применяться против агрессивных демонстрантов.\n\n"
           "По меньшей мере 15 человек погибли в городе Жанаозен; объявлено чрезвычайное "
           "положение сроком на три недели.\n\n"
           "Ёлка, щука и съезд — буквы Ё, Щ и Ъ тоже должны прочитаться верно.")
RUSSIAN_ATTRIBUTES = {"title": "Казахстан защищает применение силы", "author": "Редакция",
                      "published": "2011-12-20"}


def test_an_rtf_article_reads_paragraphs_and_table_with_its_info():
    document = readers.read_document(OFFICE / "article.rtf")
    text = document.text
    positions = [text.index(phrase) for phrase in PHRASES]
    assert positions == sorted(positions)
    assert TABLE_AND_AFTER in text  # cells as tabs, \line as a line break, no list bullets
    assert tidy_text(text) == text
    assert document.encoding == "RTF"
    assert document.attributes == {"title": "Kazakhstan defends use of force against protesters",
                                   "author": "Taipei Times staff", "published": "2011-12-20"}


def test_a_cp1251_rtf_is_decoded_by_its_code_page():
    raw = (OFFICE / "cyrillic-cp1251.rtf").read_bytes()
    assert b"\\ansicpg1251" in raw and b"\\'cc\\'e8" in raw
    assert re.search(rb"\\u-?\d", raw) is None  # Cyrillic as code page bytes only
    document = readers.read_document(OFFICE / "cyrillic-cp1251.rtf")
    assert document.text == RUSSIAN
    assert document.attributes == RUSSIAN_ATTRIBUTES
    assert document.warnings == ()


def test_a_libreoffice_cyrillic_rtf_reads_its_unicode_escapes():
    assert b"\\u1052" in (OFFICE / "cyrillic-libreoffice.rtf").read_bytes()
    document = readers.read_document(OFFICE / "cyrillic-libreoffice.rtf")
    assert document.text == RUSSIAN
    assert document.attributes == RUSSIAN_ATTRIBUTES  # the Unicode title, not the ANSI "???"


def test_raw_bytes_follow_the_code_page_and_control_words_their_meaning(tmp_path):
    path = tmp_path / "raw.rtf"
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f0 Arial;}}"
                     b"{\\*\\generator Writer}\\f0 " + "Привет".encode("cp1251")
                     + b"\\line second line\\par\n\\pard New\\tab para\\-graph "
                     b"\\u-10179?\\u-8704?\\par}")
    document = readers.read_document(path)
    assert document.text == "Привет\nsecond line\n\nNew\tparagraph \U0001f600"
    assert document.attributes == {}


def test_undecodable_bytes_are_warned_about(tmp_path):
    path = tmp_path / "odd.rtf"
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg932 \\'81\\'20 text\\par}")
    document = readers.read_document(path)
    assert "text" in document.text
    assert len(document.warnings) == 1 and document.warnings[0].startswith("odd.rtf: ")


@pytest.mark.parametrize("name", ["article.pdf", "article.docx", "article.odt"])
def test_other_formats_named_rtf_are_read_as_what_they_are(tmp_path, name):
    path = tmp_path / "disguised.rtf"
    shutil.copy(OFFICE / name, path)
    assert readers.reader_for(path).suffixes == frozenset({Path(name).suffix})


def test_rtf_is_sniffed_under_another_name(tmp_path):
    path = tmp_path / "notes.txt"
    shutil.copy(OFFICE / "cyrillic-cp1251.rtf", path)
    assert readers.reader_for(path) is rtf.READER
    assert readers.read_document(path).text == RUSSIAN


@pytest.mark.parametrize(("data", "reason"), [
    (b"plain text, no RTF", "is not an RTF file (it does not start with {\\rtf)"),
    (b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\par\\par}", "has no text"),
])
def test_bad_rtf_is_refused_in_one_line(tmp_path, data, reason):
    path = tmp_path / "bad.rtf"
    path.write_bytes(data)
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    assert one_line_naming(info.value, "bad.rtf") == f"bad.rtf: {reason}"


@pytest.mark.parametrize("body", [
    "{\\field{\\*\\fldinst{HYPERLINK \"a\" " * 20_000,  # quadratic in striprtf alone
    "{\\fonttbl" + "\\f1\\fcharset0 x" * 20_000 + " text",  # a font table without ";"
    "{" * 50_000 + "text",
])
def test_damaged_rtf_cannot_make_the_reader_hang(tmp_path, body):
    path = tmp_path / "slow.rtf"
    path.write_text("{\\rtf1 " + body, encoding="ascii")
    started = time.perf_counter()
    try:
        readers.read_document(path)
    except KzError as error:
        one_line_naming(error, "slow.rtf")
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("name", ["article.rtf", "cyrillic-cp1251.rtf"])
def test_damaged_copies_give_a_document_or_one_line(tmp_path, name):
    data = (OFFICE / name).read_bytes()
    rng = random.Random(name)
    copies = [data[:size] for size in (0, 5, 6, 100, len(data) // 2, len(data) - 1)]
    for _ in range(40):
        garbled = bytearray(data)
        for _ in range(rng.choice((1, 5, 50))):
            garbled[rng.randrange(6, len(garbled))] = rng.choice(b"{}\\'0a\x00\xff\r\n*u-9")
        copies.append(bytes(garbled))
    path = tmp_path / name
    outcomes = set()
    for copy in copies:
        path.write_bytes(copy)
        started = time.perf_counter()
        try:
            result = readers.read_with(rtf.READER, path)
        except KzError as error:
            one_line_naming(error, name)
            outcomes.add("refused")
        else:
            assert isinstance(result, ReadDocument) and tidy_text(result.text) == result.text
            result.text.encode("utf-8")  # no lone surrogates: SQLite stores UTF-8
            outcomes.add("read")
        assert time.perf_counter() - started < 10
    assert outcomes == {"read", "refused"}
