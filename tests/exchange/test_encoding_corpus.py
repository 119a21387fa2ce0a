"""A corpus of real-world encodings and mixtures, built from bytes in the test.

For each file: the exact stored text (or the refusal line), the encoding recorded, and whether
the reader warns. The rule under test: a text is never garbled silently — what is a guess
comes with a warning naming the file (see ``kzcoder.exchange.text_reader``).
"""

from __future__ import annotations

import codecs

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.text_reader import UTF8_WITH_CP1252, decode_bytes

# The issue's file: UTF-8 quotes, dash and accent, and one Windows-1252 apostrophe (0x92).
W_TXT = (b"The minister said: \xe2\x80\x9corder has been restored\xe2\x80\x9d \xe2\x80\x94 "
         b"Caf\xc3\xa9 owners disagreed. It\x92s over.\n")
W_TEXT = "The minister said: “order has been restored” — Café owners disagreed. It’s over.\n"

SMART = ("The minister said “order has been restored” – but café owners disagreed.\r\n"
         "It’s over, they said; the square is quiet again.\r\n")
FRENCH = ("Le ministre a déclaré que l'été serait chaud à Almaty. Où êtes-vous allés ?\n"
          "À bientôt, garçon ; les élèves étaient déçus.\n")
GERMAN = ("Die Straße war nass. Müller und Söhne überlegten, ob es regnen würde.\n"
          "Über die Gespräche äußerte sich niemand.\n")
RUSSIAN = ("Митингующие в Жанаозене требовали повышения зарплаты. Власти заявили, "
           "что полиция применила оружие только после нападения на здание акимата.\n") * 3
# Kazakh news as Windows-1251 can hold it (its Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І are not in
# Windows-1251: texts of that time wrote names in Russian spelling) ...
KAZAKH_1251 = ("Жанаозен, 16 декабря 2011 года. Нефтяники Мангистауской области бастуют уже "
               "семь месяцев; аким области заявил, что переговоры продолжаются.\n") * 2
# ... and Kazakh proper in KZ-1048, the Kazakh Windows codepage (Python's kz1048).
KAZAKH_1048 = ("Қазақстан Республикасының Президенті бүгін Ақордада үкімет мүшелерімен "
               "кездесті. Жаңаөзендегі оқиғалар туралы ақпарат әлі де толық емес, деп "
               "хабарлады тілшіміз.\n")
KOI8 = ("Митингующие в Жанаозене требовали повышения зарплаты.\n"
        "Власти обещали разобраться в причинах забастовки.\n") * 2
WIDE = "Zhanaozen, 16 December 2011.\r\nҚазақстан — Жаңаөзен.\n"
ASCII_ONE_E = b"Mostly ascii text with one caf\xe9 in it, and a long sentence to go with it.\n"

# name: (bytes, expected text, encoding, warned)
CORPUS = {
    "utf8-one-cp1252-byte.txt": (W_TXT, W_TEXT, UTF8_WITH_CP1252, True),
    "cp1252-smart-quotes.txt": (SMART.encode("cp1252"), SMART.replace("\r\n", "\n"), "cp1252",
                                False),
    "latin1-french.txt": (FRENCH.encode("latin-1"), FRENCH, "cp1252", False),
    "latin1-german.txt": (GERMAN.encode("latin-1"), GERMAN, "cp1252", False),
    "cp1251-russian.txt": (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251", False),
    "cp1251-kazakh.txt": (KAZAKH_1251.encode("cp1251"), KAZAKH_1251, "cp1251", False),
    "kz1048-kazakh.txt": (KAZAKH_1048.encode("kz1048"), KAZAKH_1048, "kz1048", False),
    "koi8-r.txt": (KOI8.encode("koi8-r"), KOI8, "koi8_r", False),
    "utf16le-no-bom.txt": (WIDE.encode("utf-16-le"), WIDE.replace("\r\n", "\n"), "utf-16-le",
                           False),
    "utf16be-no-bom.txt": (WIDE.encode("utf-16-be"), WIDE.replace("\r\n", "\n"), "utf-16-be",
                           False),
    "utf8-bom.txt": (codecs.BOM_UTF8 + W_TEXT.encode(), W_TEXT, "utf-8", False),
    "ascii-one-latin1-e.txt": (ASCII_ONE_E, ASCII_ONE_E.decode("cp1252"), "cp1252", True),
}

REFUSED = {
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file, not text"),
    "empty.txt": (b"", "empty file"),
}


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_file_reads_exactly(name):
    data, text, encoding, warned = CORPUS[name]
    decoded = decode_bytes(data, name)
    assert decoded.text == text
    assert decoded.encoding == encoding
    assert bool(decoded.warnings) == warned, decoded.warnings
    for warning in decoded.warnings:
        assert warning.startswith(f"{name}: ") and len(warning.splitlines()) == 1


@pytest.mark.parametrize("name", REFUSED)
def test_corpus_file_is_refused_in_one_line(name):
    data, reason = REFUSED[name]
    with pytest.raises(KzError) as info:
        decode_bytes(data, name)
    assert str(info.value) == f"{name}: {reason}"


def test_the_issue_file_keeps_its_quotes_dash_and_accent_and_says_so():
    decoded = decode_bytes(W_TXT, "w.txt")
    assert "“order has been restored” — Café" in decoded.text and "It’s over" in decoded.text
    assert decoded.warnings == ("w.txt: read as UTF-8; 1 byte was not UTF-8 and was taken as "
                                "Windows-1252 (’ on line 1)",)


def test_a_guess_from_one_byte_names_the_encoding_and_the_character():
    [warning] = decode_bytes(ASCII_ONE_E, "a.txt").warnings
    assert warning.startswith("a.txt: not UTF-8; read as Windows-1252, an uncertain guess (")
    assert warning.endswith("; its non-ASCII characters: é")
