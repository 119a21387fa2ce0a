"""project.qde written from records (valid against Project-mrt2019.xsd, whatever the values)
and read back (leniently, safely)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
import xmlschema

from kzcoder.core.errors import KzError
from kzcoder.core.refi_records import RefiCode, RefiCoding, RefiProjectInfo, RefiSource, RefiUser
from kzcoder.exchange.refi.reader import parse_qde
from kzcoder.exchange.refi.writer import QdeWriter, derived_guid, xsd_datetime

# The REFI-QDA schemas and real tools' exports, vendored with their provenance.
REFI_DATA = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
SCHEMA = REFI_DATA / "Project-mrt2019.xsd"
NASTY = 'a & b < c > d "e" \'f\'\ttab\r\nCRLF\rCR 😀 e\u0301 Қ'


def _guid() -> str:
    return str(uuid.uuid4())


def write(memo: str = NASTY) -> tuple[bytes, list[tuple[str, str]], dict[str, str]]:
    ids = {k: _guid() for k in ("user", "top", "child", "doc", "coding")}
    out = io.BytesIO()
    writer = QdeWriter(out, RefiProjectInfo(NASTY, memo, "2024-01-02 03:04:05", "kzcoder x"))
    child = RefiCode(ids["child"], "child " + NASTY, "#abc", memo=memo)
    writer.start([RefiUser(ids["user"], NASTY)],
                 [RefiCode(ids["top"], "top", "#A1B2C3", description=NASTY, children=(child,))],
                 ["published", NASTY])
    variables = {n: derived_guid("variable", n) for n in ("published", NASTY)}
    source = RefiSource(1, ids["doc"], NASTY, "2024-01-02T03:04:05Z", memo,
                        (("published", "2022-01"), (NASTY, NASTY)))
    coding = RefiCoding(ids["coding"], 3, 9, ids["child"], ids["user"], "not a time", memo)
    writer.source(source, [coding], None, variables)
    writer.finish()
    return out.getvalue(), writer.note_files, ids


@pytest.mark.parametrize("memo", [NASTY, "a control character \x0b and \x01 here", ""])
def test_what_the_writer_writes_is_valid_and_reads_back(memo):
    data, note_files, ids = write(memo)
    xmlschema.XMLSchema(str(SCHEMA)).validate(data.decode("utf-8"))
    parsed = parse_qde(data, "x.qde")
    assert (parsed.name, parsed.origin, parsed.created) == (NASTY, "kzcoder x",
                                                           "2024-01-02T03:04:05")
    assert parsed.users == [(ids["user"], NASTY)]
    top = parsed.codes[0]
    assert (top.guid, top.color, top.description) == (ids["top"], "#A1B2C3", NASTY)
    assert top.children[0].name == "child " + NASTY and top.children[0].color == "#AABBCC"
    source = parsed.sources[0]
    assert (source.guid, source.name, source.created) == (ids["doc"], NASTY,
                                                          "2024-01-02T03:04:05Z")
    assert [parsed.variables[g] for g, _v in source.values] == ["published", NASTY]
    assert [v for _g, v in source.values] == ["2022-01", NASTY]
    selection = source.selections[0]
    assert (selection.start, selection.end) == (3, 9)
    coding = selection.codings[0]
    assert (coding.guid, coding.code, coding.user, coding.created) == (
        ids["coding"], ids["child"], ids["user"], "")  # a time that is none is left out
    notes = {g: n for g, n in parsed.all_notes.items()}
    if not memo:
        assert not notes and not parsed.description
        return
    owners = [top.children[0].notes, source.notes, selection.notes]
    assert all(len(refs) == 1 and refs[0] in notes for refs in owners)
    if "\x0b" in memo:  # XML cannot carry it: the notes are text files
        assert {n.path for n in notes.values()} == {f"internal://{g.upper()}.txt"
                                                    for g in notes}
        assert len(note_files) == 4 and all(text == memo for _m, text in note_files)
    else:
        assert all(n.content == memo for n in notes.values()) and not note_files
        assert parsed.description == memo


def test_times_guids_and_lenient_reading():
    assert xsd_datetime("2024-01-02 03:04:05") == "2024-01-02T03:04:05"
    assert xsd_datetime("2024-01-02T03:04:05.5+06:00") == "2024-01-02T03:04:05.5+06:00"
    assert xsd_datetime("yesterday") == ""
    assert derived_guid("selection", "{0BDE1FFA-1111-4222-8333-444455556666}") == \
        derived_guid("selection", "0bde1ffa-1111-4222-8333-444455556666")
    # not valid against the schema, as Taguette writes: still read
    data = (b'<Project xmlns="urn:QDA-XML:project:1.0" name="t"><Users><User guid="1"/>'
            b'</Users><CodeBook><Codes><Code guid="{0BDE1FFA-1111-4222-8333-444455556666}" '
            b'name=" x " color="#11223344"/></Codes></CodeBook><Sets/></Project>')
    parsed = parse_qde(data, "t.qde")
    assert parsed.codes[0].guid == "0bde1ffa-1111-4222-8333-444455556666"
    assert parsed.codes[0].name == "x" and parsed.codes[0].color == "#112233"
    assert parsed.users[0][0] != "1" and len(parsed.users[0][0]) == 36  # derived, stable
    assert parsed.skipped == []  # an empty <Sets/> loses nothing
    assert parse_qde(data.replace(b'"1"', b'"1" '), "t.qde").users == parsed.users


@pytest.mark.parametrize("data, reason", [
    (b'<!DOCTYPE p [<!ENTITY e "x">]><Project name="&e;"/>', "DOCTYPE"),
    (b'<!DOCTYPE p SYSTEM "http://example.com/p.dtd"><Project/>', "DOCTYPE"),
    (b"<Project><Sources></Project>", "not well-formed"),
    (b"", "not well-formed"),
    (b"<CodeBook/>", "not a REFI-QDA project"),
])
def test_bad_xml_is_refused_in_one_line(data, reason):
    with pytest.raises(KzError) as refused:
        parse_qde(data, "p.qde")
    assert str(refused.value).startswith("p.qde: ") and reason in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("size", [1, 7, 4096])
def test_the_xml_read_a_piece_at_a_time_is_the_same_project(size):
    """As the import reads project.qde from the archive: pieces of any size, cutting
    characters of several bytes and tags in two, make the same records as the whole XML."""
    data, _notes, _ids = write()
    pieces = (data[start:start + size] for start in range(0, len(data), size))
    assert parse_qde(pieces, "x.qde") == parse_qde(data, "x.qde")
    with pytest.raises(KzError, match="not well-formed"):
        parse_qde(iter([data[:len(data) // 2]]), "x.qde")
