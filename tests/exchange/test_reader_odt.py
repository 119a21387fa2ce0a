"""The OpenDocument text (.odt) reader on real files (tests/fixtures/formats/office/README.md)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange import readers
from kzcoder.exchange.readers import odt
from kzcoder.exchange.readers.common import tidy_text
from tests.exchange.test_reader_docx import (
    PHRASES,
    TABLE_AND_AFTER,
    mutations,
    one_line_naming,
    read_or_refused,
)

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "office"
NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
              'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
              'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
              'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def make_odt(path: Path, body: str, meta: str | None = None) -> Path:
    """An ODT package with *body* as office:text (and *meta* as office:meta, if given)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", odt.MEDIA_TYPE)
        archive.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n'
                         f"<office:document-content {NAMESPACES}><office:body><office:text>"
                         f"{body}</office:text></office:body></office:document-content>")
        if meta is not None:
            archive.writestr("meta.xml", f"<office:document-meta {NAMESPACES}><office:meta>"
                             f"{meta}</office:meta></office:document-meta>")
    return path


def test_an_odt_article_reads_paragraphs_lists_and_table_in_order():
    document = readers.read_document(OFFICE / "article.odt")
    text = document.text
    positions = [text.index(phrase) for phrase in PHRASES]
    assert positions == sorted(positions)
    assert TABLE_AND_AFTER in text  # text:tab, text:line-break, text:s c="2", a list
    assert tidy_text(text) == text
    assert document.encoding == "ODT"
    assert document.attributes == {"title": "Kazakhstan defends use of force against protesters",
                                   "author": "Taipei Times staff", "published": "2011-12-20"}


def test_white_space_follows_odf_and_side_texts_are_left_out(tmp_path):
    body = """
      <text:h text:outline-level="1"><text:number>1.</text:number>  A   heading
      </text:h>
      <text:p>  One<text:s/>two<text:s text:c="3"/>three <text:span>four</text:span>
          five<text:tab/>six<text:line-break/>seven<text:note><text:note-citation>1</text:note-citation>
          <text:note-body><text:p>A footnote.</text:p></text:note-body>
          </text:note><office:annotation>
          <text:p>A comment.</text:p></office:annotation><draw:frame><draw:text-box>
          <text:p>A text box.</text:p></draw:text-box></draw:frame>.</text:p>
      <text:tracked-changes><text:changed-region><text:deletion><text:p>Deleted.</text:p>
      </text:deletion></text:changed-region></text:tracked-changes>
      <text:section><text:list><text:list-item><text:p>Item <text:a>link</text:a></text:p>
      <text:list><text:list-item><text:p>Nested item</text:p></text:list-item></text:list>
      </text:list-item></text:list></text:section>
      <table:table><table:table-header-rows><table:table-row>
        <table:table-cell><text:p>H1</text:p></table:table-cell>
        <table:table-cell><text:p>H2</text:p><text:p>more</text:p></table:table-cell>
      </table:table-row></table:table-header-rows><table:table-row>
        <table:table-cell><text:p>c1</text:p></table:table-cell><table:covered-table-cell/>
      </table:table-row></table:table>
      <text:p/>"""
    document = readers.read_document(make_odt(tmp_path / "made.odt", body))
    assert document.text == ("A heading\n\nOne two   three four five\tsix\nseven.\n\n"
                             "Item link\n\nNested item\n\nH1\tH2 more\n\nc1")
    assert document.attributes == {}


def test_meta_falls_back_to_creator_and_date(tmp_path):
    meta = ("<dc:title>  A\n title </dc:title><dc:creator>Editor</dc:creator>"
            "<dc:date>2022-01-12T08:00:00.123</dc:date>")
    path = make_odt(tmp_path / "meta.odt", "<text:p>Text.</text:p>", meta)
    assert readers.read_document(path).attributes == {
        "title": "A title", "author": "Editor", "published": "2022-01-12"}


def test_an_odt_under_another_name_is_sniffed(tmp_path):
    path = tmp_path / "article.docx"
    shutil.copy(OFFICE / "article.odt", path)
    assert readers.reader_for(path) is odt.READER
    assert readers.read_document(path).text == readers.read_document(OFFICE / "article.odt").text


def test_a_password_protected_odt_is_refused_in_one_line():
    with pytest.raises(KzError) as info:
        readers.read_document(OFFICE / "password.odt")
    assert one_line_naming(info.value, "password.odt") == (
        "password.odt: is password-protected: save it without a password and import it again")


@pytest.mark.parametrize("damage", ["empty", "truncated", "not a zip", "no content.xml"])
def test_a_corrupt_odt_is_refused_in_one_line(tmp_path, damage):
    path = tmp_path / "broken.odt"
    if damage == "no content.xml":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", odt.MEDIA_TYPE)
    else:
        path.write_bytes({"empty": b"", "not a zip": b"<office:document/>",
                          "truncated": (OFFICE / "article.odt").read_bytes()[:20000]}[damage])
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    assert one_line_naming(info.value, "broken.odt") == (
        "broken.odt: is damaged or not an OpenDocument text (.odt)")


def test_an_ole_file_named_odt_is_refused(tmp_path):
    path = tmp_path / "old.odt"
    shutil.copy(OFFICE / "password.docx", path)
    with pytest.raises(KzError, match=r"^old\.odt: is an old binary Office file"):
        readers.read_document(path)


def test_entities_are_not_expanded(tmp_path):
    path = tmp_path / "entities.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", odt.MEDIA_TYPE)
        archive.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">'
                         '<!ENTITY b "&a;&a;&a;&a;">]><d>&b;</d>')
    with pytest.raises(KzError) as info:
        readers.read_document(path)
    one_line_naming(info.value, "entities.odt")


def test_damaged_copies_give_a_document_or_one_line(tmp_path):
    copies = mutations(OFFICE / "article.odt", "content.xml", b"text:p", seed=11)
    assert read_or_refused(odt.READER, tmp_path / "article.odt", copies) == {"read", "refused"}
