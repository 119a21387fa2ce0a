"""REFI-QDA import from other programs: the four real samples with their counts (counted from
their XML here), what other tools do that the standard does not say (UTF-16 positions on CRLF
text, BOMs, bare file names, ``Sources/``, another .qde name, rich text only, cases, notes), and
hostile archives refused in one line with nothing written anywhere."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.refi import archive as archive_module
from kzcoder.services.annotation import list_annotations
from kzcoder.services.codebook.editing import list_codes
from kzcoder.services.codings import document_spans
from kzcoder.services.documents import document_text, list_documents
from kzcoder.services.journal import list_entries
from kzcoder.services.project import Project
from kzcoder.services.refi.importing import import_qdpx, report_path

# The REFI-QDA schemas and real tools' exports, vendored with their provenance.
REFI_DATA = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
SAMPLES = REFI_DATA / "samples"
DOCX = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "office" / "article.docx"
NS = "{urn:QDA-XML:project:1.0}"


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under *folder*, each file with its size and modification time (a
    folder's own time changes when a file is made in it and deleted: the partial project)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            found[str(Path(root, name).relative_to(folder))] = (0, 0)
        for name in files:
            path = Path(root, name)
            info = path.lstat()
            found[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found


# --- the samples ------------------------------------------------------------------------------

def expected_counts(sample: Path) -> dict[str, int]:
    """Users, codes, text sources with text and their codings, counted from the XML."""
    with zipfile.ZipFile(sample) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
        names = {n.lower(): n for n in archive.namelist()}
        documents = codings = 0
        for source in root.iter(f"{NS}TextSource"):
            path = source.get("plainTextPath", "").split("://")[-1]
            member = names.get(path.lower()) or names.get(f"sources/{path}".lower())
            if member and archive.read(member).strip():
                documents += 1
                codings += len(source.findall(f"{NS}PlainTextSelection/{NS}Coding"))
    return {"coders": len(root.findall(f"{NS}Users/{NS}User")),
            "codes": len(list(root.iter(f"{NS}Code"))), "documents": documents,
            "codings": codings}


@pytest.mark.parametrize("name", ["blank-atlas-project.qdpx", "target-atlas-project.qdpx",
                                  "nvivo_project.qdpx", "qc-1.3.2-demo.qdpx"])
def test_real_samples_import_with_their_counts(tmp_path, name):
    expected = expected_counts(SAMPLES / name)
    report = import_qdpx(SAMPLES / name, tmp_path / "new.kzc")
    for key, value in expected.items():
        assert report.counts[key] == value, key
    assert report_path(tmp_path / "new.kzc").read_text(encoding="utf-8") == report.text()
    assert sorted(os.listdir(tmp_path)) == ["new.kzc", "new.kzc.import-report.txt"]
    with Project.open(tmp_path / "new.kzc") as project:
        assert len(list_codes(project)) == expected["codes"]
        assert sum(len(document_spans(project, d.id)) for d in list_documents(project)) == \
            expected["codings"]


def test_sample_details(tmp_path):
    nvivo = import_qdpx(SAMPLES / "nvivo_project.qdpx", tmp_path / "nvivo.kzc")
    assert nvivo.counts["codes"] == 262 and nvivo.counts["coders"] == 2
    # NVivo's .txt files hold one newline and its .docx files no text: both reported
    assert len([line for line in nvivo.not_imported if "has no text" in line]) == 2
    qc = import_qdpx(SAMPLES / "qc-1.3.2-demo.qdpx", tmp_path / "qc.kzc")
    assert (qc.counts["documents"], qc.counts["codings"]) == (2, 205)
    with Project.open(tmp_path / "qc.kzc") as project:
        docs = {d.name: d for d in list_documents(project)}
        assert set(docs) == {"board_2017", "admin-1"}  # named after their files
        board = docs["board_2017"]
        text = document_text(project, board.id)
        spans = document_spans(project, board.id)
        assert len(spans) == 205
        # qc codes whole lines ("line:6" ...): every coded span starts a line
        assert all(s.start == 0 or text[s.start - 1] == "\n" for s in spans)
    import_qdpx(SAMPLES / "target-atlas-project.qdpx", tmp_path / "atlas.kzc")
    with Project.open(tmp_path / "atlas.kzc") as project:
        codes = list_codes(project)
        assert [c.name for c in codes][0] == "Commits" and codes[1].parent_id == codes[0].id
        assert codes[0].guid == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"  # lower-case, kept


# --- what real tools do -------------------------------------------------------------------------

CRLF_TEXT = "Митинг 😀 в Жаңаөзен.\r\nПолиция 𝕏 разогнала толпу.\r\nКонец 👩‍👧 текста.\r\n"
WORDS = ["Жаңаөзен", "Полиция", "толпу", "Конец", "текста"]
BARE_TEXT = CRLF_TEXT + "Ещё строка.\r\n"  # another text: kzcoder keeps each text once
G = "{{{0:08X}-0000-4000-8000-{0:012X}}}"  # braces and upper case, as MAXQDA/ATLAS.ti write


def guid(number: int) -> str:
    return G.format(number)


def utf16_span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    before = len(text[:start].encode("utf-16-le")) // 2
    return before, before + len(word.encode("utf-16-le")) // 2


def selections(spans, code: str, user: str | None = None, dated: bool = True) -> str:
    out = []
    for number, (start, end) in enumerate(spans):
        who = f' creatingUser="{user}"' if user else ""
        when = ' creationDateTime="2023-05-01T10:00:00Z"' if dated else ""
        out.append(f'<PlainTextSelection guid="{guid(9000 + number + start)}" '
                   f'startPosition="{start}" endPosition="{end}"{who}{when}>'
                   f'<Coding guid="{guid(8000 + number + start)}"{who}>'
                   f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')
    return "".join(out)


def build_foreign(path: Path) -> None:
    bom_crlf = b"\xef\xbb\xbf" + CRLF_TEXT.encode("utf-8")
    nvivo_spans = [utf16_span(CRLF_TEXT, w) for w in WORDS]
    standard = [(BARE_TEXT.index(w), BARE_TEXT.index(w) + len(w)) for w in WORDS]
    code, user = guid(1).lower(), guid(2)
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Foreign" origin="NVivo 14 (Windows)"
 creationDateTime="2023-01-02T03:04:05Z">
<Users><User guid="{user}" name="Ann"/><User guid="{guid(3)}" name="Ann"/></Users>
<CodeBook><Codes>
 <Code guid="{guid(1)}" name="Place" isCodable="true" color="#ff0000">
  <Description>Where</Description><NoteRef targetGUID="{guid(70)}"/>
  <Code guid="{guid(4)}" name="Folder" isCodable="false"/>
 </Code>
</Codes></CodeBook>
<Variables><Variable guid="{guid(20)}" name="outlet" typeOfVariable="Text"/>
 <Variable guid="{guid(21)}" name="age" typeOfVariable="Integer"/></Variables>
<Cases><Case guid="{guid(30)}" name="Case A"><VariableValue><VariableRef targetGUID="{guid(21)}"/>
 <IntegerValue>42</IntegerValue></VariableValue><SourceRef targetGUID="{guid(10)}"/>
 <CodeRef targetGUID="{guid(1)}"/></Case></Cases>
<Sources>
 <TextSource guid="{guid(10)}" name="nvivo" plainTextPath="internal://{guid(10)[1:-1]}.txt">
  {selections(nvivo_spans, code, user)}
  <NoteRef targetGUID="{guid(71)}"/>
  <VariableValue><VariableRef targetGUID="{guid(20)}"/><TextValue>Азаттық</TextValue>
  </VariableValue>
 </TextSource>
 <TextSource guid="{guid(11)}" name="bare" plainTextPath="standard.txt">
  {selections(standard, code, None, dated=False)}
  <PlainTextSelection guid="{guid(60)}" startPosition="0" endPosition="5">
   <Description>a quotation</Description></PlainTextSelection>
  <PlainTextSelection guid="{guid(61)}" startPosition="900" endPosition="905">
   <Coding guid="{guid(62)}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>
  <PlainTextSelection guid="{guid(63)}" startPosition="0" endPosition="5">
   <Coding guid="{guid(64)}"><CodeRef targetGUID="{guid(99)}"/></Coding></PlainTextSelection>
 </TextSource>
 <TextSource guid="{guid(12)}" name="inline">
  <PlainTextContent>Inline text, one line.</PlainTextContent>
  <PlainTextSelection guid="{guid(65)}" startPosition="0" endPosition="6">
   <Description>selection memo</Description>
   <Coding guid="{guid(66)}"><CodeRef targetGUID="{code}"/><NoteRef targetGUID="{guid(72)}"/>
   </Coding></PlainTextSelection>
 </TextSource>
 <TextSource guid="{guid(13)}" name="inline" richTextPath="internal://{guid(13)[1:-1]}.docx">
  <PlainTextSelection guid="{guid(67)}" startPosition="0" endPosition="6">
   <Coding guid="{guid(68)}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>
 </TextSource>
 <TextSource guid="{guid(14)}" name="again">
  <PlainTextContent>Inline text, one line.</PlainTextContent></TextSource>
 <PDFSource guid="{guid(15)}" name="scan.pdf" path="internal://scan.pdf">
  <PDFSelection guid="{guid(16)}" page="1" firstX="0" firstY="0" secondX="9" secondY="9">
   <Coding guid="{guid(17)}"><CodeRef targetGUID="{code}"/></Coding></PDFSelection></PDFSource>
</Sources>
<Notes>
 <Note guid="{guid(70)}" name="code note"><PlainTextContent>code memo</PlainTextContent></Note>
 <Note guid="{guid(71)}" name="doc note"><PlainTextContent>document memo</PlainTextContent></Note>
 <Note guid="{guid(72)}" name="coding note"><PlainTextContent>coding memo</PlainTextContent></Note>
 <Note guid="{guid(73)}" name="free memo"><PlainTextContent>loose</PlainTextContent></Note>
</Notes>
<Sets><Set guid="{guid(80)}" name="a set"/></Sets>
<Description>the project memo</Description>
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Foreign Project.qde", qde.encode("utf-8"))
        archive.writestr(f"Sources/{guid(10)[1:-1]}.txt", bom_crlf)
        archive.writestr("Sources/standard.txt", b"\xef\xbb\xbf" + BARE_TEXT.encode("utf-8"))
        archive.writestr(f"Sources/{guid(13)[1:-1]}.docx", DOCX.read_bytes())


def test_what_other_tools_write_lands_where_they_meant(tmp_path, monkeypatch):
    private = tmp_path / "system-temp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    build_foreign(tmp_path / "foreign.qdpx")
    (tmp_path / "out").mkdir()
    report = import_qdpx(tmp_path / "foreign.qdpx", tmp_path / "out" / "new.kzc")
    lines = "\n".join(report.summary_lines())
    assert report.counts["documents"] == 4 and report.counts["coders"] == 3  # + unknown coder
    # NVivo's UTF-16 positions over the CRLF text were recognised and remapped
    assert any("'nvivo'" in line and "UTF-16" in line for line in report.remapped), lines
    assert any("'bare'" in line and "line endings" in line for line in report.remapped), lines
    for expected in ("coder 'Ann' is called 'Ann (2)'", "document 'inline' is called "
                     "'inline (2)'", "had no creation time"):
        assert expected in lines
    for expected in ("outside the text", "not in the codebook",
                     "'again'", "PDFSource", "case 'Case A'",
                     "positions count a plain text that is not in the archive"):
        assert expected in lines, expected
    # a folder stays a category, a free memo is a journal entry, a set a code set
    assert "not codable" not in lines and "free memo" not in lines
    assert (report.counts["journal"], report.counts["code sets"]) == (1, 1)
    assert report.counts["annotations"] == 1  # the quotation with a comment and no code
    with Project.open(tmp_path / "out" / "new.kzc") as project:
        docs = {d.name: d for d in list_documents(project)}
        assert set(docs) == {"nvivo", "bare", "inline", "inline (2)"}
        for name, wanted in (("nvivo", CRLF_TEXT), ("bare", BARE_TEXT)):
            text = document_text(project, docs[name].id)
            assert text == wanted.replace("\r\n", "\n")  # BOM gone, LF line endings
            assert [text[s.start:s.end] for s in document_spans(project, docs[name].id)] == WORDS
        assert docs["nvivo"].memo == "document memo"
        assert docs["nvivo"].attributes == {"outlet": "Азаттық", "age": "42"}
        assert "Microsoft Word" in document_text(project, docs["inline (2)"].id) or \
            docs["inline (2)"].length > 100  # read from the .docx by kzcoder's reader
        inline = document_spans(project, docs["inline"].id)
        assert [(s.start, s.end, s.memo) for s in inline] == [
            (0, 6, "selection memo\n\ncoding memo")]
        codes = list_codes(project)
        assert (codes[0].guid, codes[0].color, codes[0].description) == (
            guid(1)[1:-1].lower(), "#FF0000", "Where")
        assert {c.name: c.codable for c in codes}["Folder"] is False
        assert [(e.title, e.text) for e in list_entries(project)] == [("free memo", "loose")]
        notes = list_annotations(project, docs["bare"].id)
        assert [(a.start, a.end, a.text) for a in notes] == [(0, 5, "a quotation")]
    assert sorted(os.listdir(tmp_path / "out")) == ["new.kzc", "new.kzc.import-report.txt"]
    assert os.listdir(private) == []  # the rich text was read in a folder beside the project


# --- hostile archives -------------------------------------------------------------------------

QDE = (b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">'
       b"<Sources><TextSource guid=\"00000000-0000-4000-8000-000000000001\" name=\"a\" "
       b'plainTextPath="internal://a.txt"/></Sources></Project>')


def _zip(path: Path, members: dict[str, bytes], links: tuple[str, ...] = ()) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.create_system = 3
                info.external_attr = 0o120777 << 16
            archive.writestr(info, data)


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", QDE)
        with archive.open("sources/a.txt", "w") as member:
            for _ in range(100):
                member.write(bytes(1 << 20))


def _lying(path: Path, member: str = "sources/a.txt") -> None:
    """A member whose headers declare 10 bytes and whose data unpacks to a megabyte (or
    more: the project XML with a megabyte of spaces)."""
    if member == "project.qde":
        _zip(path, {"project.qde": QDE.replace(b"<Sources>", b" " * (1 << 20) + b"<Sources>")})
    else:
        _zip(path, {"project.qde": QDE, member: b"x" * (1 << 20)})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = -1
        while (at := data.find(signature, at + 1)) != -1:
            name_at = at + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at:name_at + len(member)] == member.encode():
                data[at + offset:at + offset + 4] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
          b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
          b'<Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
HOSTILE = {
    "parent": (lambda p: _zip(p, {"project.qde": QDE, "../evil.txt": b"x"}), "'..'"),
    "absolute": (lambda p: _zip(p, {"project.qde": QDE, "/tmp/evil.txt": b"x"}), "absolute"),
    "drive": (lambda p: _zip(p, {"project.qde": QDE, "C:/evil.txt": b"x"}), "drive letter"),
    "backslash": (lambda p: _zip(p, {"project.qde": QDE, "..\\evil.txt": b"x"}), "backslash"),
    "symlink": (lambda p: _zip(p, {"project.qde": QDE, "sources/a.txt": b"/etc/passwd"},
                               links=("sources/a.txt",)), "symbolic link"),
    "laughs": (lambda p: _zip(p, {"project.qde": LAUGHS}), "DOCTYPE"),
    "external": (lambda p: _zip(p, {"project.qde": EXTERNAL}), "DOCTYPE"),
    "bomb": (_bomb, "zip bomb"),
    "lying": (_lying, "sources/a.txt"),
    "lying project": (lambda p: _lying(p, "project.qde"), "member 'project.qde'"),
    "not xml": (lambda p: _zip(p, {"project.qde": b"<Project><Sources>"}), "not well-formed"),
    "not zip": (lambda p: p.write_bytes(b"PK but not really a zip file" * 10), "not a zip"),
    "no project": (lambda p: _zip(p, {"sources/a.txt": b"x"}), "no .qde"),
    "many": (lambda p: _zip(p, {"project.qde": QDE, **{f"s/{i}": b"" for i in range(60)}}),
             "members"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_archives_are_refused_in_one_line_writing_nothing(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(archive_module, "MAX_MEMBERS", 50)
    private = tmp_path / "system-temp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    make, reason = HOSTILE[kind]
    source = tmp_path / "in" / "hostile.qdpx"
    source.parent.mkdir()
    make(source)
    (tmp_path / "target").mkdir()
    before = tree(tmp_path)
    with pytest.raises(KzError) as refused:
        import_qdpx(source, tmp_path / "target" / "new.kzc")
    message = str(refused.value)
    assert "\n" not in message and message.startswith("hostile.qdpx") and reason in message
    assert tree(tmp_path) == before  # nothing at the target, nothing anywhere else


def test_the_project_xml_is_read_as_a_stream_from_the_archive(tmp_path):
    """A 25 MB project.qde (here mostly a graph kzcoder skips, in 250,000 small elements) is
    parsed from the zip member a piece at a time: the import's peak of Python memory is less
    than 8 MB above that of the same project without the graph (it held the whole XML as bytes
    before parsing it: 158 MB for 40 MB of XML), and the rest of the project still comes in."""
    import tracemalloc

    vertex = ('<Vertex guid="{guid}" representedGUID="{guid}" name="' + "v" * 60 + '" '
              'firstX="1" firstY="2"/>')
    graph = "".join(vertex.format(guid=guid(number)[1:-1]) for number in range(250_000))
    big = QDE.replace(b"</Sources>", b"</Sources><Graphs><Graph guid=\"" + guid(1)[1:-1].encode()
                      + b'" name="big">' + graph.encode() + b"</Graph></Graphs>")
    assert len(big) > 25_000_000
    text = "Қаңтар 2022".encode()
    _zip(tmp_path / "small.qdpx", {"project.qde": QDE, "sources/a.txt": text})
    _zip(tmp_path / "big.qdpx", {"project.qde": big, "sources/a.txt": text})
    del graph, big
    import_qdpx(tmp_path / "small.qdpx", tmp_path / "warm.kzc")  # modules loaded, caches made
    peaks = {}
    for name in ("small", "big"):
        tracemalloc.start()
        try:
            report = import_qdpx(tmp_path / f"{name}.qdpx", tmp_path / f"{name}.kzc")
            peaks[name] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    grew = peaks["big"] - peaks["small"]
    assert grew < 8_000_000, f"the XML cost {grew / 1e6:.1f} MB more at the import's peak"
    assert report.counts["documents"] == 1
    assert any("graph" in line.lower() for line in report.summary_lines())
    with Project.open(tmp_path / "big.kzc") as project:
        (document,) = list_documents(project)
        assert document_text(project, document.id) == "Қаңтар 2022"
