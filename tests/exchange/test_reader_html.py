"""The web-page reader (kzcoder.exchange.readers.html) on the saved pages of
tests/fixtures/formats/web (see its README.md for how each was made)."""

from __future__ import annotations

import codecs
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.exchange.readers import epub, html
from kzcoder.exchange.readers.common import tidy_text

WEB = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "web"

ENGLISH = WEB / "news-article.html"
ENGLISH_PHRASES = [
    "he has given security personnel a green light to “shoot to kill”",
    "The number of people detained reached 3,811, the Interior Ministry said",
    "once Russians are in your house, it's sometimes very difficult to get them to leave",
]
ENGLISH_BOILERPLATE = [
    "World news", "Business and markets", "Opinion columns", "Subscribe today",  # menu
    "We use cookies", "Accept all cookies", "Manage cookie preferences",  # cookie banner
    "Share on Facebook", "Share on Twitter", "Send by email", "Copy article link",  # share
    "Advertisement", "Luxury apartments in Almaty",  # ad block
    "Read also", "Fuel prices double in Mangystau overnight",  # inline related link
    "Related articles", "Five things to know about the CSTO", "Almaty airport reopens",
    "Tenge slides to record low",  # related articles
    "3 comments", "I live in Aktau", "Praying for everyone in Almaty",
    "Great reporting as always", "Leave a reply",  # reader comments
    "All rights reserved", "Contact the newsroom",  # footer
]
ENGLISH_ATTRIBUTES = {
    "title": "Kazakh President Gives Stark ‘Shoot-To-Kill’ Order Amid Unprecedented Uprising",
    "published": "2022-01-07", "outlet": "Steppe Daily News", "author": "Dana Omarova"}

CYRILLIC = WEB / "news-article-cp1251.html"
CYRILLIC_PHRASES = [
    "снова открылись отделения банков",
    "Лимиты на снятие наличных пока не вводились.",
    "«Ақша алу үшін таңертең келдім, кезек өте ұзын»",  # Kazakh: numeric references in cp1251
    "пенсионерка Гүлнар Әбдірахманова",
]
CYRILLIC_BOILERPLATE = [
    "Главная", "Политика", "Экономика", "Подписаться на рассылку",
    "Мы используем файлы cookie", "Принять все", "Настроить файлы cookie",
    "Поделиться в Telegram", "Поделиться ВКонтакте", "Отправить в WhatsApp",
    "Реклама", "Кредит наличными под ноль процентов",
    "Читайте также", "Как изменились цены на газ в Мангистау",
    "Интернет в Казахстане восстановлен не полностью", "Аэропорт Алматы возобновил",
    "Комментарии", "Наконец-то можно снять деньги", "Спасибо редакции",
    "Оставьте комментарий", "Все права защищены",
]
CYRILLIC_ATTRIBUTES = {
    "title": "В Алматы после январских событий снова открылись банки",
    "published": "2022-01-12", "outlet": "Степной вестник", "author": "Айгерим Сапарова"}

PAGES = [(ENGLISH, ENGLISH_PHRASES, ENGLISH_BOILERPLATE, ENGLISH_ATTRIBUTES, "utf-8"),
         (CYRILLIC, CYRILLIC_PHRASES, CYRILLIC_BOILERPLATE, CYRILLIC_ATTRIBUTES, "cp1251")]


@pytest.mark.parametrize(("path", "phrases", "boilerplate", "attributes", "encoding"), PAGES,
                         ids=["english", "windows-1251"])
def test_article_text_without_boilerplate(path, phrases, boilerplate, attributes, encoding):
    assert readers.reader_for(path) is html.READER
    document = readers.read_document(path)
    for phrase in phrases:
        assert document.text.count(phrase) == 1, phrase
    assert [phrase for phrase in boilerplate if phrase in document.text] == []
    assert document.attributes == attributes
    assert document.encoding == encoding
    assert document.warnings == ()
    assert tidy_text(document.text) == document.text
    assert "\n\n\n" not in document.text and "\n\n" in document.text


def test_paragraphs_are_joined_with_one_blank_line():
    text = readers.read_document(ENGLISH).text
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("President Qasym-Zhomart Toqaev has issued a stark warning")
    assert paragraphs[0].endswith("anti-government demonstrations..")
    assert paragraphs[1].startswith("Though sporadic gunfire could still be heard")
    assert all(paragraph.strip() == paragraph and paragraph for paragraph in paragraphs)
    assert "\n" not in paragraphs[1]


def test_the_cp1251_fixture_really_is_windows_1251():
    data = CYRILLIC.read_bytes()
    assert b'<meta charset="windows-1251">' in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "снова открылись".encode("cp1251") in data
    assert b"&#1179;" in data  # қ, which Windows-1251 lacks


def test_a_page_without_an_article_is_refused_in_one_line():
    path = WEB / "no-article.html"
    assert readers.reader_for(path) is html.READER
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    assert str(info.value) == "no-article.html: no article text found in this web page"


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.xhtml", "PAGE.HTML"])
def test_suffixes(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(ENGLISH.read_bytes())
    assert readers.is_accepted(path)
    assert readers.read_document(path).attributes == ENGLISH_ATTRIBUTES


@pytest.mark.parametrize("head", [
    b"<!DOCTYPE html><html>", b"<!doctype HTML>", b"<html>", b"<HTML lang='en'>",
    b"\xef\xbb\xbf<!DOCTYPE html>", b"  \r\n\t<html\n>", b"<!-- saved from url=(0021) -->\n<html>",
    b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN">',
    codecs.BOM_UTF16_LE + "<!DOCTYPE html>".encode("utf-16-le"),
])
def test_sniff_claims_html_signatures(head):
    assert html.sniff(head)


@pytest.mark.parametrize("head", [
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n<html>",
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00mimetypeapplication/epub+zip<html>",
    b"Some notes about <html> tags", b"<htmlx>", b"<head><title>x</title></head>",
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', b"", b"<!DOCTYPE htm",
])
def test_sniff_refuses_everything_else(head):
    assert not html.sniff(head)


def test_a_pdf_named_html_is_not_claimed_by_the_web_readers(tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01"
                     b"\x02\x03\x04\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    head = path.read_bytes()[:readers.HEAD_SIZE]
    assert not html.sniff(head) and not epub.sniff(head)
    with pytest.raises(KzError) as info:
        readers.read_with(html.READER, path)  # what the .html suffix alone would choose
    assert str(info.value).startswith("report.html: ") and "\n" not in str(info.value)


def test_a_txt_file_holding_a_web_page_is_read_as_a_web_page(tmp_path):
    """Our call: a file that starts with <!DOCTYPE html> is a web page whatever its name (a
    page saved as .txt by mistake); its article is imported, not its markup."""
    path = tmp_path / "saved.txt"
    path.write_bytes(ENGLISH.read_bytes())
    assert readers.reader_for(path) is html.READER
    document = readers.read_document(path)
    assert "<p>" not in document.text and ENGLISH_PHRASES[0] in document.text
    plain = tmp_path / "notes.txt"
    plain.write_text("My notes on <html> and <!DOCTYPE html> tags.\n", encoding="utf-8")
    assert readers.reader_for(plain).name == "Plain text"


def _variant(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return readers.read_document(path)


def test_encodings_are_honoured(tmp_path):
    source = CYRILLIC.read_bytes()
    meta = b'<meta charset="windows-1251">'
    equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    cases = {
        "equiv.html": source.replace(meta, equiv),
        "declared.xhtml": b'<?xml version="1.0" encoding="windows-1251"?>\n'
                          + source.replace(meta, b""),
        "utf16.html": codecs.BOM_UTF16_LE + source.decode("cp1251").replace(
            'charset="windows-1251"', 'charset="utf-16"').encode("utf-16-le"),
        "utf8bom.html": codecs.BOM_UTF8 + source.decode("cp1251").encode("utf-8"),
        "undeclared.html": source.replace(meta, b""),
    }
    for name, data in cases.items():
        document = _variant(tmp_path, name, data)
        assert all(phrase in document.text for phrase in CYRILLIC_PHRASES), name
        assert document.attributes == CYRILLIC_ATTRIBUTES, name
        assert document.warnings == (), name


def test_a_wrong_utf8_declaration_is_read_right_with_a_warning(tmp_path):
    data = CYRILLIC.read_bytes().replace(b'charset="windows-1251"', b'charset="utf-8"')
    document = _variant(tmp_path, "wrong.html", data)
    assert all(phrase in document.text for phrase in CYRILLIC_PHRASES)
    assert document.warnings[0] == "wrong.html: declares UTF-8 but is not UTF-8; read as cp1251"


def test_bytes_the_declared_charset_lacks_are_counted_in_a_warning(tmp_path):
    before = "пока не вводились".encode("cp1251")
    after = "пока не".encode("cp1251") + b"\x98" + "вводились".encode("cp1251")  # 98: undefined
    assert CYRILLIC.read_bytes().count(before) == 1
    document = _variant(tmp_path, "undefined.html", CYRILLIC.read_bytes().replace(before, after))
    assert "пока не\ufffdвводились" in document.text
    assert document.warnings == (
        "undefined.html: 1 character(s) are not valid cp1251 and show as \ufffd",)


def test_an_unknown_charset_is_named_in_a_warning(tmp_path):
    data = ENGLISH.read_bytes().replace(b'charset="utf-8"', b'charset="x-klingon"')
    document = _variant(tmp_path, "klingon.html", data)
    assert document.warnings == ("klingon.html: declares the unknown charset 'x-klingon'",)
    assert ENGLISH_PHRASES[1] in document.text


def test_trafilatura_is_imported_only_when_a_page_is_read():
    code = "import sys, kzcoder.exchange.readers; print('trafilatura' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "False"


def test_body_text_keeps_every_block_and_line_break():
    markup = ("<html><head><title>T</title><style>p{}</style></head><body><h1>Chapter  1</h1>"
              "<p>One <b>bold</b>\n word.</p><!-- note --><div>Two<br>lines</div>"
              "<ul><li>first</li><li>second</li></ul><pre>  code\n    kept</pre>tail"
              "<script>var x;</script></body></html>")
    assert html.body_text(markup) == ("Chapter 1\n\nOne bold word.\n\nTwo\nlines\n\nfirst\n\n"
                                      "second\n\n  code\n    kept\n\ntail")
    assert html.body_text("  ") == ""


def test_body_text_of_nothing_is_empty():
    assert html.body_text("<!-- only a comment -->") == ""
    assert html.body_text('<?xml version="1.0" encoding="koi8-r"?><p>Жанаозен</p>') == "Жанаозен"


def test_headings_quotes_and_list_items_are_paragraphs_of_their_own(tmp_path):
    long = "words that make this paragraph long enough for the extractor to keep it " * 2
    page = (f"<!DOCTYPE html><html><head><title>T</title></head><body><article>"
            f"<h2>A subheading</h2><p>First {long}</p><ul><li>Item one of the list</li>"
            f"<li>Item <b>two</b> of the list</li></ul><blockquote>A quoted passage.</blockquote>"
            f"<p>Line one<br>line two {long}</p></article></body></html>")
    document = _variant(tmp_path, "lists.html", page.encode())
    assert document.text.split("\n\n") == [
        "A subheading", f"First {long.strip()}", "Item one of the list", "Item two of the list",
        "A quoted passage.", f"Line one\nline two {long.strip()}"]


@pytest.mark.parametrize("head", [b" " * 4095 + b"x", b"<!--a-->" * 512, b"<!--" * 1024,
                                  b" \t" * 2000 + b"<htmlx", b"<?xml " * 700])
def test_sniff_fails_fast_on_pathological_heads(head):
    start = time.perf_counter()
    assert not html.sniff(head[:readers.HEAD_SIZE])
    assert time.perf_counter() - start < 0.1


# Junk that reaches the decoding branches too: bytes that are not UTF-8, NULs, BOMs, and
# charset declarations (unknown, or wrong for the bytes).
JUNK = st.one_of(st.binary(min_size=1, max_size=40),
                 st.binary(min_size=1, max_size=8).map(lambda b: bytes(x | 0x80 for x in b)),
                 st.sampled_from([b"\x00", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\x98",
                                  b'<meta charset="koi8-r">', b'<meta charset="x-bad">',
                                  b'<?xml version="1.0" encoding="utf-16"?>', b"<!--", b"<p>"]))
MUTATIONS = st.lists(st.tuples(st.sampled_from(["truncate", "delete", "insert", "overwrite"]),
                               st.floats(0, 1), JUNK), min_size=1, max_size=4)


def mutate(data: bytes, mutations) -> bytes:
    """*data* after each (operation, relative position, bytes) in turn."""
    for operation, where, junk in mutations:
        at = int(where * len(data))
        if operation == "truncate":
            data = data[:at]
        elif operation == "delete":
            data = data[:at] + data[at + len(junk):]
        elif operation == "insert":
            data = data[:at] + junk + data[at:]
        else:
            data = data[:at] + junk + data[at + len(junk):]
    return data


def assert_read_or_refused(reader, name: str, data: bytes) -> None:
    """Reading *data* as *name* gives stored text or a one-line KzError naming the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            document = readers.read_with(reader, path)
        except KzError as exc:
            assert str(exc).startswith(f"{name}: ") and "\n" not in str(exc), str(exc)
            return
    assert document.text.strip() and tidy_text(document.text) == document.text
    assert all(w.startswith(f"{name}: ") and "\n" not in w for w in document.warnings)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from([ENGLISH, CYRILLIC, WEB / "no-article.html"]),
       mutations=MUTATIONS)
def test_damaged_pages_are_read_or_refused_in_one_line(source, mutations):
    assert_read_or_refused(html.READER, "damaged.html", mutate(source.read_bytes(), mutations))
