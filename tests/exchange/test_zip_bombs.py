"""Issue 20: zipped documents are read as a stream. A .docx whose document.xml unpacked to
466 MiB took 7.7 GB (a parsed tree costs many times its XML); memory now follows the text.

The bombs are built here: a few hundred kB that unpack to tens of MiB of markup around little
text. Peak memory is measured in a child process (its own ru_maxrss)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers import read_document, zipped

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_PARAGRAPH = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="left"/>'
                  '</w:pPr><w:r><w:rPr><w:b/><w:i/><w:sz w:val="24"/></w:rPr><w:t>Word.</w:t>'
                  '</w:r><w:r><w:rPr><w:b/><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">'
                  ' </w:t></w:r></w:p>')
ODF = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')
ODT_PARAGRAPH = ('<text:p text:style-name="P1"><text:span text:style-name="T1">Word.'
                 '</text:span><text:span text:style-name="T2"> </text:span></text:p>')
ODT_STYLE = '<style:style style:name="X" style:family="text"><style:text-properties/></style:style>'


def _stream(out, head: str, piece: str, count: int, tail: str) -> None:  # noqa: ANN001
    out.write(head.encode())
    chunk = (piece * 1000).encode()
    for _ in range(count // 1000):
        out.write(chunk)
    out.write(tail.encode())


def make_docx(path: Path, paragraphs: int, *, one_paragraph: bool = False) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'))
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'
            if one_paragraph:  # every run in one paragraph: one block, all of it held
                _stream(out, head + "<w:p>", '<w:r><w:t>Word. </w:t></w:r>', paragraphs,
                        "</w:p></w:body></w:document>")
            else:
                _stream(out, head, DOCX_PARAGRAPH, paragraphs, "</w:body></w:document>")


def make_odt(path: Path, paragraphs: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)
        with archive.open("content.xml", "w", force_zip64=True) as out:
            _stream(out, f'<?xml version="1.0"?><office:document-content {ODF}>'
                    "<office:automatic-styles>", ODT_STYLE, paragraphs // 4,
                    "</office:automatic-styles><office:body><office:text>")
            _stream(out, "", ODT_PARAGRAPH, paragraphs,
                    "</office:text></office:body></office:document-content>")


PEAK = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from kzcoder.exchange.readers import read_document
    import lxml.etree, zipfile
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = read_document(Path(sys.argv[1])).text
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"chars": len(text), "words": text.count("Word."),
                      "peak_mib": (after - before) / 1024}))
""")


@pytest.mark.parametrize("make", [make_docx, make_odt])
def test_a_zip_bomb_of_markup_is_read_in_little_memory(tmp_path, make):
    path = tmp_path / f"bomb.{'docx' if make is make_docx else 'odt'}"
    paragraphs = 150_000
    make(path, paragraphs)
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert path.stat().st_size < 400_000 and unpacked > 20 * 2**20  # a bomb: 1:100 and more
    result = subprocess.run([sys.executable, "-c", PEAK, str(path)], capture_output=True,
                            text=True, check=True, timeout=300)
    measured = json.loads(result.stdout)
    assert measured["words"] == paragraphs  # every paragraph read, none cut
    # the whole tree took about 16 times the XML (578 MiB for this docx on main); a stream
    # holds the text (a few MiB) and one paragraph
    assert measured["peak_mib"] < unpacked / 2**20, measured


def test_a_single_paragraph_too_big_to_hold_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(zipped, "MAX_BLOCK_ELEMENTS", 10_000)
    path = tmp_path / "one.docx"
    make_docx(path, 20_000, one_paragraph=True)
    with pytest.raises(KzError) as refused:
        read_document(path)
    assert str(refused.value) == ("one.docx: one paragraph or table (or another part of its "
                                  "word/document.xml) has more than 10,000 elements; refused "
                                  "(it would take too much memory)")
    make_docx(path, 2_000, one_paragraph=True)
    assert read_document(path).text.count("Word.") == 2_000


def test_a_member_over_the_unpacked_limit_is_refused_before_it_is_parsed(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(zipped, "MAX_UNPACKED", 2**20)
    path = tmp_path / "big.odt"
    make_odt(path, 20_000)
    with pytest.raises(KzError, match=r"^big\.odt: its content\.xml unpacks to \d+ MiB, over "
                                      r"the 1 MiB limit$"):
        read_document(path)


def test_an_epub_chapter_over_its_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    from kzcoder.exchange.readers import epub

    monkeypatch.setattr(epub, "MAX_CHAPTER", 2**20)
    path = tmp_path / "book.epub"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml",
                      '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:'
                      'tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="c.opf"'
                      ' media-type="application/oebps-package+xml"/></rootfiles></container>')
        book.writestr("c.opf",
                      '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
                      'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                      '<dc:title>Big</dc:title></metadata><manifest><item id="c1" '
                      'href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>'
                      '<spine><itemref idref="c1"/></spine></package>')
        book.writestr("c1.xhtml", "<html><body>" + "<p><b>Word.</b></p>" * 200_000
                      + "</body></html>")
    with pytest.raises(KzError) as refused:
        read_document(path)
    assert str(refused.value) == ("book.epub: the chapter c1.xhtml unpacks to 4 MiB, over the "
                                  "1 MiB limit for one EPUB chapter")
