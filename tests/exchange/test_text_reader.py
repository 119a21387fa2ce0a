import codecs

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.text_reader import decode_bytes, read_text_file

RUSSIAN = ("Митингующие в Жанаозене требовали повышения зарплаты. Власти заявили, "
           "что полиция применила оружие только после нападения на здание акимата.\n") * 3


@pytest.mark.parametrize(("data", "text", "encoding"), [
    (b"plain", "plain", "utf-8"),
    (codecs.BOM_UTF8 + "Қазақ 😀\n".encode(), "Қазақ 😀\n", "utf-8"),
    ("Қазақ 😀".encode("utf-16"), "Қазақ 😀", "utf-16"),
    (codecs.BOM_UTF16_BE + "Қазақ 😀".encode("utf-16-be"), "Қазақ 😀", "utf-16"),
    ("Қазақ 😀".encode("utf-32"), "Қазақ 😀", "utf-32"),
    (b"a\r\nb\rc\n", "a\nb\nc\n", "utf-8"),
    ("e\u0301 stays decomposed".encode(), "e\u0301 stays decomposed", "utf-8"),
    (b"  spaces kept  \n\n", "  spaces kept  \n\n", "utf-8"),
])
def test_decoding_keeps_everything_but_bom_and_line_endings(data, text, encoding):
    decoded = decode_bytes(data, "f.txt")
    assert decoded.text == text
    assert decoded.encoding == encoding


def test_windows_1251_is_detected():
    decoded = decode_bytes(RUSSIAN.encode("cp1251"), "ru.txt")
    assert decoded.text == RUSSIAN


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (codecs.BOM_UTF8, "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (bytes(range(1, 32)) * 20, "binary file"),
])
def test_empty_and_binary_files_are_refused_by_name(data, reason):
    with pytest.raises(KzError, match=f"^scan.txt: {reason}"):
        decode_bytes(data, "scan.txt")


def test_other_suffixes_are_refused(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(KzError, match=r"report.docx: not a \.txt or \.md file"):
        read_text_file(path)


def test_markdown_is_read(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Title\r\n\r\nbody", encoding="utf-8")
    assert read_text_file(path).text == "# Title\n\nbody"


# --- encodings that never garble silently -------------------------------------------------

def test_utf8_with_several_windows_bytes_counts_them_and_names_the_first_line():
    data = ("Митинг в Жанаозене.\r\n".encode() + b"He said \x93enough\x94 \x96 and left.\r\n"
            + "Власти молчат.\n".encode())
    decoded = decode_bytes(data, "paste.txt")
    assert decoded.text == "Митинг в Жанаозене.\nHe said “enough” – and left.\nВласти молчат.\n"
    assert decoded.encoding == "utf-8+cp1252"
    assert decoded.warnings == ("paste.txt: read as UTF-8; 3 bytes were not UTF-8 and were "
                                "taken as Windows-1252 (“ ” –, first on line 2)",)


def test_a_byte_windows_1252_leaves_undefined_becomes_the_replacement_character():
    decoded = decode_bytes("Café — déjà vu ".encode() + b"\x81 and \x9d", "u.txt")
    assert decoded.text == "Café — déjà vu \ufffd and \ufffd"
    assert decoded.warnings == ("u.txt: read as UTF-8; 2 bytes were not UTF-8 and were taken "
                                "as Windows-1252 (\ufffd, first on line 1)",)


def test_a_truncated_utf8_sequence_is_taken_byte_by_byte():
    decoded = decode_bytes("— début ".encode() + b"\xe2\x80 fin", "t.txt")
    assert decoded.text == "— début â€ fin"
    assert decoded.encoding == "utf-8+cp1252"


def test_windows_1251_with_a_chance_utf8_pair_stays_windows_1251_without_warning():
    # "С»" is D1 BB, well-formed UTF-8 (U+047B); the rest of the Cyrillic is not UTF-8.
    text = ("Агентство ТАСС» сообщило, что митингующие в Жанаозене требовали повышения "
            "зарплаты. Власти заявили, что полиция применила оружие.\n") * 2
    decoded = decode_bytes(text.encode("cp1251"), "tass.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == (text, "cp1251", ())


def test_a_long_windows_1251_file_is_detected_from_windows_over_it():
    decoded = decode_bytes(RUSSIAN.encode("cp1251") * 1000, "long.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == (RUSSIAN * 1000, "cp1251", ())


def test_a_long_file_windows_1252_at_the_start_utf8_after_is_read_as_utf8():
    data = b"He said \x93no\x94.\n" * 20_000 + RUSSIAN.encode() * 2_000
    decoded = decode_bytes(data, "long.txt")
    assert decoded.text == "He said “no”.\n" * 20_000 + RUSSIAN * 2_000
    assert decoded.warnings == ("long.txt: read as UTF-8; 40000 bytes were not UTF-8 and were "
                                "taken as Windows-1252 (“ ”, first on line 1)",)


def test_a_file_between_utf8_and_windows_1252_is_read_with_a_warning_never_silently():
    # One UTF-8 "é" against five Windows-1252 bytes: too few to call it UTF-8 (step 4), too
    # many to be chance (step 5 warns).
    data = (b"Caf\xc3\xa9 owners said \x93enough\x94 and \x93never\x94 again; the "
            b"minister\x92s office said nothing.\n")
    decoded = decode_bytes(data, "mix.txt")
    assert decoded.encoding == "cp1252"
    [warning] = decoded.warnings
    assert warning.startswith("mix.txt: not UTF-8; read as Windows-1252, an uncertain guess")
    assert "the file mixes 1 UTF-8 character(s) with 5 byte(s) that are not UTF-8" in warning


def test_an_unusual_encoding_is_named_in_a_warning():
    text = "The minister said: “order has been restored” — Café owners disagreed.\n"
    decoded = decode_bytes(text.encode("mac_roman"), "mac.txt")
    assert decoded.text == text
    [warning] = decoded.warnings
    assert warning.startswith(f"mac.txt: not UTF-8; read as {decoded.encoding}, an uncertain "
                              f"guess ({decoded.encoding} is an unusual encoding")


def test_a_tie_prefers_the_usual_encoding_and_warns():
    # Eight bytes of Windows-1251: the detector ranks Big5 first, Windows-1251 ties with it.
    decoded = decode_bytes("Жанаозен".encode("cp1251"), "short.txt")
    assert (decoded.text, decoded.encoding) == ("Жанаозен", "cp1251")
    [warning] = decoded.warnings
    assert warning.startswith("short.txt: not UTF-8; read as Windows-1251, an uncertain guess (")
    assert "would read it differently" in warning


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(codec):
    text = "Митингующие в Жанаозене требовали повышения зарплаты.\r\nZhanaozen 2011\n"
    decoded = decode_bytes(text.encode(codec), "wide.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == (
        text.replace("\r\n", "\n"), codec, ())


@pytest.mark.parametrize("data", [
    "Hello".encode("utf-16-le") + b"x",  # odd length
    b"ab\x00\x00cd\x00\x00" * 10,  # NULs on both sides of the pairs
    bytes([1, 0, 2, 0, 3, 0, 4, 0]) * 8,  # "UTF-16" of control characters
    "a\ud800b".encode("utf-16-le", "surrogatepass"),  # a lone surrogate
    b"\x01\x00",  # one control character
    "Hello \x1b[0m".encode("utf-16-le"),  # a control character in text
    "Hello \ue000".encode("utf-16-be"),  # a private-use character
    codecs.BOM_UTF16_LE + "Hello\x00world".encode("utf-16-le"),  # a NUL character
])
def test_nul_bytes_that_are_not_utf16_text_are_refused_as_binary(data):
    with pytest.raises(KzError, match=r"^x\.txt: binary file, not text$"):
        decode_bytes(data, "x.txt")
