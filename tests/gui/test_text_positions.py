"""UTF-16 positions (Qt) and code points (stored spans) convert exactly both ways."""

from __future__ import annotations

import random

import pytest

from kzcoder.gui.text_positions import (
    PositionMap,
    codepoint_to_utf16,
    utf16_length,
    utf16_to_codepoint,
)

EMOJI = "a😀b"
SAMPLES = [
    "",
    "plain ascii",
    EMOJI,
    "😀😀",
    "Қазақстан, Алматы — протест",  # Cyrillic and Kazakh letters: all in the BMP
    "e\u0301te\u0301",  # combining accents: each mark is its own code point
    "𠀀𠀁 CJK extension B 𪚥 and 👩‍👩‍👧 family",
    "x\n😀\ny é 𝔘 end",
]


def test_emoji_takes_two_units():
    assert utf16_length(EMOJI) == 4
    assert codepoint_to_utf16(EMOJI, 0) == 0
    assert codepoint_to_utf16(EMOJI, 1) == 1
    assert codepoint_to_utf16(EMOJI, 2) == 3  # after the pair
    assert codepoint_to_utf16(EMOJI, 3) == 4
    assert [utf16_to_codepoint(EMOJI, p) for p in range(5)] == [0, 1, 1, 2, 3]


def test_inside_a_surrogate_pair_rounds_down_to_the_character_start():
    text = "😀😀"
    assert utf16_to_codepoint(text, 1) == 0
    assert utf16_to_codepoint(text, 3) == 1
    positions = PositionMap(text)
    assert positions.to_codepoint(1) == 0
    assert positions.to_codepoint(3) == 1
    assert positions.to_codepoint(4) == 2


def test_bmp_text_is_identity():
    for text in ("Қазақ тілі", "e\u0301", "中文 text"):
        positions = PositionMap(text)
        assert positions.is_identity
        assert positions.length16 == len(text)
        for i in range(len(text) + 1):
            assert positions.to_utf16(i) == i == codepoint_to_utf16(text, i)
            assert positions.to_codepoint(i) == i == utf16_to_codepoint(text, i)


@pytest.mark.parametrize("text", SAMPLES)
def test_map_agrees_with_functions_and_round_trips(text):
    positions = PositionMap(text)
    encoded_units = len(text.encode("utf-16-le")) // 2
    assert positions.length16 == utf16_length(text) == encoded_units
    for cp in range(len(text) + 1):
        pos16 = positions.to_utf16(cp)
        assert pos16 == codepoint_to_utf16(text, cp)
        assert positions.to_codepoint(pos16) == cp
        assert utf16_to_codepoint(text, pos16) == cp
    for pos16 in range(encoded_units + 1):
        assert positions.to_codepoint(pos16) == utf16_to_codepoint(text, pos16)


def test_selected_text_matches_python_slice():
    text = "a😀b Қазақ é 𠀀 text"
    positions = PositionMap(text)
    units = text.encode("utf-16-le")
    start16, end16 = 1, positions.to_utf16(text.index("é") + 1)
    selected = units[2 * start16 : 2 * end16].decode("utf-16-le")
    start, end = positions.to_codepoint(start16), positions.to_codepoint(end16)
    assert text[start:end] == selected == "😀b Қазақ é"


def test_out_of_range_is_refused():
    positions = PositionMap(EMOJI)
    for bad in (-1, 5):
        with pytest.raises(ValueError):
            positions.to_codepoint(bad)
        with pytest.raises(ValueError):
            utf16_to_codepoint(EMOJI, bad)
    for bad in (-1, 4):
        with pytest.raises(ValueError):
            positions.to_utf16(bad)
        with pytest.raises(ValueError):
            codepoint_to_utf16(EMOJI, bad)


def test_large_text_with_scattered_emoji():
    rng = random.Random(3)
    pieces = [rng.choice(["word ", "Қазақ ", "😀", "\n", "𠀀"]) for _ in range(50_000)]
    text = "".join(pieces)
    positions = PositionMap(text)
    for cp in rng.sample(range(len(text) + 1), 300):
        pos16 = positions.to_utf16(cp)
        assert pos16 == codepoint_to_utf16(text, cp)
        assert positions.to_codepoint(pos16) == cp


def test_lazy_scanning_agrees_with_the_reference_in_any_order():
    import random

    from kzcoder.gui import text_positions

    rng = random.Random(7)
    pieces = ["a", "é", "Қ", "😀", "𝕏", "\n", "e\u0301"]
    text = "".join(rng.choice(pieces) for _ in range(3 * text_positions._SCAN_CHUNK + 123))
    # astral characters right at the chunk edges too
    chunk = text_positions._SCAN_CHUNK
    text = text[:chunk - 1] + "😀" + text[chunk:2 * chunk] + "𝕏" + text[2 * chunk + 1:]
    positions = PositionMap(text)
    assert positions.length16 == len(text.encode("utf-16-le")) // 2
    probes = [0, len(text), chunk - 1, chunk, chunk + 1, 2 * chunk, 2 * chunk + 1]
    probes += [rng.randrange(len(text) + 1) for _ in range(300)]
    rng.shuffle(probes)  # far positions first sometimes, near ones later
    for cp in probes:
        pos16 = codepoint_to_utf16(text, cp)
        assert positions.to_utf16(cp) == pos16
        assert positions.to_codepoint(pos16) == cp
    fresh = PositionMap(text)  # the other direction first, on a map that has scanned nothing
    for cp in sorted(probes, reverse=True)[:50]:
        pos16 = codepoint_to_utf16(text, cp)
        assert fresh.to_codepoint(pos16) == utf16_to_codepoint(text, pos16) == cp
