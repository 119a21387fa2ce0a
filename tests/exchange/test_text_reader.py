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
