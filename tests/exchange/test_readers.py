import codecs

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.exchange.readers import ReadDocument, Reader
from kzcoder.exchange.text_reader import TEXT_SUFFIXES, read_text_file


def _read_fake(path):
    return ReadDocument(path.read_bytes().removeprefix(b"%FAKE").decode(), "Fake",
                        {"title": "fake"})


FAKE = Reader("Fake", frozenset({".fake"}), _read_fake, lambda head: head.startswith(b"%FAKE"))


def test_registry_lists_the_text_reader():
    [text] = [reader for reader in readers.readers() if reader.name == "Plain text"]
    assert text.suffixes == TEXT_SUFFIXES == {".txt", ".md"}
    assert text.sniff is None
    assert readers.accepted_suffixes() >= TEXT_SUFFIXES
    # plain text comes last: every other reader is asked first, by its signature
    assert readers.readers()[-1] is text
    assert readers.describe_accepted().split(", ")[-2:] == [".md", ".txt"]


def test_every_format_of_the_issue_is_registered_with_a_media_type():
    expected = {".html": "text/html", ".htm": "text/html", ".xhtml": "text/html",
                ".pdf": "application/pdf", ".epub": "application/epub+zip",
                ".rtf": "application/rtf", ".txt": "text/plain", ".md": "text/plain",
                ".odt": "application/vnd.oasis.opendocument.text",
                ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml"
                         ".document"}
    by_suffix = {suffix: reader for reader in readers.readers() for suffix in reader.suffixes}
    assert set(by_suffix) == set(expected)
    assert {suffix: by_suffix[suffix].media_type for suffix in expected} == expected


@pytest.mark.parametrize("name", ["a.txt", "b.TXT", "c.Md", "d.tar.md"])
def test_suffixes_match_in_any_case(tmp_path, name):
    path = tmp_path / name
    path.write_text("body", encoding="utf-8")
    assert readers.is_accepted(path)
    assert readers.reader_for(path).name == "Plain text"
    assert readers.read_document(path) == ReadDocument("body", "utf-8", {})


@pytest.mark.parametrize("name", ["notes.pages", "README", "scan.txt.bak"])
def test_unknown_suffix_is_refused_naming_file_and_accepted_types(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"some text")
    assert not readers.is_accepted(path)
    for function in readers.reader_for, readers.read_document:
        with pytest.raises(KzError) as info:
            function(path)
        message = str(info.value)
        assert message == (f"{name}: not a supported document "
                           f"(accepted: {readers.describe_accepted()})")
        assert "\n" not in message
        assert all(suffix in message for suffix in readers.accepted_suffixes())


def test_missing_file_is_refused_in_one_line(tmp_path):
    with pytest.raises(KzError, match=r"^gone\.txt: cannot be read \([^\n]*\)$"):
        readers.read_document(tmp_path / "gone.txt")


def test_sniffing_beats_the_extension(tmp_path):
    path = tmp_path / "really-fake.txt"
    path.write_bytes(b"%FAKEinside")
    assert readers.reader_for(path).name == "Plain text"
    with readers.registered(FAKE):
        assert readers.readers()[-1] is FAKE
        assert readers.reader_for(path) is FAKE
        assert readers.read_document(path) == ReadDocument("inside", "Fake", {"title": "fake"})
        (tmp_path / "plain.fake").write_text("no magic", encoding="utf-8")
        assert readers.reader_for(tmp_path / "plain.fake") is FAKE
        assert ".fake" in readers.accepted_suffixes()
    assert FAKE not in readers.readers()
    assert ".fake" not in readers.accepted_suffixes()
    assert readers.read_document(path).text == "%FAKEinside"


def test_a_parser_error_becomes_one_line_naming_the_file(tmp_path):
    def broken(path):
        raise ValueError("bad trailer\nat offset 12")

    path = tmp_path / "x.fake"
    path.write_bytes(b"")
    with readers.registered(Reader("Fake", frozenset({".fake"}), broken)), \
            pytest.raises(KzError, match=r"^x\.fake: cannot be read as Fake \(bad trailer\)$"):
        readers.read_document(path)


def test_registering_a_taken_suffix_or_a_bad_suffix_fails():
    with pytest.raises(ValueError, match=r"\.txt already read by 'Plain text'"):
        readers.register(Reader("Other", frozenset({".txt"}), _read_fake))
    with pytest.raises(ValueError, match="lower-case"):
        Reader("Upper", frozenset({".TXT"}), _read_fake)
    with pytest.raises(ValueError, match="not registered"):
        readers.unregister(FAKE)


def test_dialog_filters_list_every_suffix():
    with readers.registered(FAKE):
        filters = readers.dialog_filters()
        assert filters[0].startswith("Documents (*.pdf ")
        assert filters[0].endswith(" *.md *.txt *.fake)")
        assert "Plain text (*.md *.txt)" in filters
        assert "Fake (*.fake)" in filters
        assert filters[-1] == "All files (*)"
        assert len(filters) == len(readers.readers()) + 2
        for suffix in readers.accepted_suffixes():
            assert f"*{suffix}" in filters[0]


@pytest.mark.parametrize(("name", "data"), [
    ("notes.md", b"# Title\r\n\r\nbody"),
    ("ru.txt", ("Жанаозен, декабрь 2011.\r\n" * 20).encode("cp1251")),
    ("bom.txt", codecs.BOM_UTF8 + "Қазақ 😀\r".encode()),
    ("wide.md", "Қазақ 😀\n".encode("utf-16")),
    ("w.txt", "“Café” — ".encode() + b"it\x92s over"),
])
def test_text_is_read_as_read_text_file_reads_it(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    decoded = read_text_file(path)
    assert readers.read_document(path) == ReadDocument(decoded.text, decoded.encoding, {},
                                                       decoded.warnings)


def test_a_readers_warnings_travel_with_the_document(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes("“Café” — ".encode() + b"it\x92s over")
    document = readers.read_document(path)
    assert (document.text, document.encoding) == ("“Café” — it’s over", "utf-8+cp1252")
    assert document.warnings == ("w.txt: read as UTF-8; 1 byte was not UTF-8 and was taken as "
                                 "Windows-1252 (’ on line 1)",)


def test_binary_text_file_is_refused_as_before(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(KzError, match="^scan.txt: binary file"):
        readers.read_document(path)
