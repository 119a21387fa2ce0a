"""Issue 20: HTML nested deeper than libxml2's default 256 levels lost the rest of the article
without a word; now it keeps its text, or (past 2048 levels) is refused with the reason."""

from __future__ import annotations

import re
import zipfile

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers import html, read_document
from kzcoder.exchange.readers.html import MAX_DEPTH

LEAD = "The minister said on Tuesday that the talks would go on. " * 3
TAIL = "After the deep part the article goes on to its very last sentence. " * 3


def page(depth: int) -> str:
    return ("<!DOCTYPE html><html><head><title>Deep</title></head><body><article>"
            f"<p>{LEAD}</p>" + "<div>" * depth + "<p>Deep inside.</p>" + "</div>" * depth
            + f"<p>{TAIL}</p></article></body></html>")


def words(text: str) -> list[str]:
    """The words of *text*, an independent measure of what was kept."""
    return re.findall(r"\w+", text)


@pytest.mark.parametrize("depth", [10, 300, 1000, MAX_DEPTH - 20])
def test_a_deep_page_keeps_all_its_text(tmp_path, depth):
    path = tmp_path / "deep.html"
    path.write_text(page(depth), "utf-8")
    text = read_document(path).text
    assert words(TAIL) == words(text)[-len(words(TAIL)):]
    assert "Deep inside" in text


def test_a_page_deeper_than_the_limit_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "deeper.html"
    path.write_text(page(MAX_DEPTH + 100), "utf-8")
    with pytest.raises(KzError) as refused:
        read_document(path)
    assert str(refused.value) == (f"deeper.html: nested more than {MAX_DEPTH} elements deep; "
                                  "its text would be cut there, so it was not imported")


@pytest.mark.parametrize("depth", [300, MAX_DEPTH + 100])
def test_body_text_keeps_a_deep_chapter_or_refuses_it(depth):
    markup = page(depth)
    if depth > MAX_DEPTH:
        with pytest.raises(KzError, match="nested more than"):
            html.body_text(markup)
    else:
        assert words(html.body_text(markup))[-len(words(TAIL)):] == words(TAIL)


def test_an_epub_with_a_too_deep_chapter_is_refused_naming_it(tmp_path):
    path = tmp_path / "book.epub"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml",
                      '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:'
                      'tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="c.opf"'
                      ' media-type="application/oebps-package+xml"/></rootfiles></container>')
        book.writestr("c.opf",
                      '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
                      'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                      '<dc:title>Deep</dc:title></metadata><manifest><item id="c1" '
                      'href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>'
                      '<spine><itemref idref="c1"/></spine></package>')
        book.writestr("c1.xhtml", page(MAX_DEPTH + 100))
    with pytest.raises(KzError, match=r"^book\.epub: the chapter c1\.xhtml is nested more than"):
        read_document(path)
