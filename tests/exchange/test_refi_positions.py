"""Selections of other programs put on the stored text: code points of the file (the
standard), UTF-16 code units (NVivo), over CRLF or LF line endings; and text files with a BOM,
CRLF or a legacy encoding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzcoder.core.errors import KzError
from kzcoder.exchange.refi.positions import (
    POINTS_LF,
    STANDARD,
    UTF16_FILE,
    UTF16_LF,
    Positions,
    decode_source,
    from_content,
)

RAW = "Митинг 😀 в Жаңаөзен.\r\nПолиция 𝕏 разогнала e\u0301 толпу.\r\nКонец 👩‍👧 текста.\r\n"
WORDS = ["Жаңаөзен", "Полиция", "толпу", "Конец", "текста"]


def spans_in(text: str, utf16: bool) -> list[tuple[int, int]]:
    found = []
    for word in WORDS:
        start = text.index(word)
        if utf16:
            before = len(text[:start].encode("utf-16-le")) // 2
            found.append((before, before + len(word.encode("utf-16-le")) // 2))
        else:
            found.append((start, start + len(word)))
    return found


@pytest.mark.parametrize("units, text", [
    (STANDARD, RAW), (UTF16_FILE, RAW),
    (POINTS_LF, RAW.replace("\r\n", "\n")), (UTF16_LF, RAW.replace("\r\n", "\n"))])
@pytest.mark.parametrize("origin", ["NVivo 14", "MAXQDA 2022", ""])
def test_each_way_of_counting_is_recognised_and_lands_on_the_words(units, text, origin):
    positions = Positions(decode_source(("\ufeff" + RAW).encode("utf-8"), "a.txt"))
    spans = spans_in(text, units.utf16)
    assert positions.choose(spans, origin) is units
    to_stored = positions.mapper(units)
    stored = positions.text.stored
    assert stored == RAW.replace("\r\n", "\n")
    assert [stored[to_stored(a):to_stored(b)] for a, b in spans] == WORDS


def test_kzcoder_files_and_plain_texts_are_read_by_the_standard():
    positions = Positions(from_content("plain ascii text\nsecond line"))
    assert positions.units() == [STANDARD]
    emoji = Positions(from_content("😀 abc def"))
    assert emoji.choose([(2, 5)], "kzcoder 0.1.0") is STANDARD  # never second-guessed
    # a position inside a surrogate pair cannot be UTF-16; past the end cannot be anything
    assert emoji.mapper(UTF16_FILE)(1) is None and emoji.mapper(STANDARD)(99) is None


def test_text_files_with_a_bom_crlf_or_a_legacy_encoding():
    for data, encoding in (("\ufeffa\r\nb".encode("utf-8"), "utf-8"),
                           ("\ufeffa\r\nb".encode("utf-16"), "utf-16"),
                           ("Власти\r\nзаявили".encode("cp1251"), "cp1251")):
        text = decode_source(data, "x.txt")
        assert text.encoding == encoding and "\r\n" in text.raw and "\r" not in text.stored
    with pytest.raises(KzError, match="x.txt"):
        decode_source(b"\xff\xfe\x00\xd8", "x.txt")  # a UTF-16 mark, then a lone surrogate


@given(st.lists(st.sampled_from(list("ab ж\n\r") + ["\r\n", "😀", "\u0301"]), min_size=1)
       .map("".join))
def test_standard_positions_over_crlf_map_onto_the_same_characters(raw):
    positions = Positions(from_content(raw))
    to_stored = positions.mapper(STANDARD)
    stored = positions.text.stored
    for index, char in enumerate(raw):
        if char == "\r" and raw[index + 1:index + 2] == "\n":
            continue
        mapped = to_stored(index)
        assert stored[mapped] == ("\n" if char == "\r" else char)
    assert to_stored(len(raw)) == len(stored)
