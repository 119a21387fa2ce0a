"""The .qdpx archive: members found where real tools put them, every member checked before
anything is read, and what kzcoder writes the same every time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from kzcoder.core.errors import KzError
from kzcoder.exchange.refi.archive import QdpxWriter, SafeArchive


def make(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, name.encode())
    return path


def test_sources_are_found_however_the_path_is_written(tmp_path):
    path = make(tmp_path / "a.qdpx", ["Project.qde", "Sources/ABC.txt", "sources/sub/d.txt",
                                      "top.txt"])
    with SafeArchive(path) as archive:
        assert archive.qde().filename == "Project.qde"  # ATLAS.ti 8's capital P
        found = {ref: (info.filename if (info := archive.find(ref)) else None) for ref in (
            "internal://abc.txt", "internal://ABC.txt", "ABC.txt", "relative://ABC.txt",
            "relative:///ABC.txt", "absolute:///home/x/ABC.txt", "sources/sub/d.txt",
            "internal://sub/d.txt", "top.txt", "internal://missing.txt",
            "absolute:///etc/passwd", "..\\ABC.txt")}
    assert found == {
        "internal://abc.txt": "Sources/ABC.txt", "internal://ABC.txt": "Sources/ABC.txt",
        "ABC.txt": "Sources/ABC.txt", "relative://ABC.txt": "Sources/ABC.txt",
        "relative:///ABC.txt": "Sources/ABC.txt", "absolute:///home/x/ABC.txt":
        "Sources/ABC.txt", "sources/sub/d.txt": "sources/sub/d.txt",
        "internal://sub/d.txt": "sources/sub/d.txt", "top.txt": "top.txt",
        "internal://missing.txt": None, "absolute:///etc/passwd": None,
        "..\\ABC.txt": "Sources/ABC.txt"}  # only ever a member, looked up by name


@pytest.mark.parametrize("names, chosen", [
    (["My Project.qde", "sources/a.txt"], "My Project.qde"),
    (["x/deep.qde"], "x/deep.qde"),
    (["a.qde", "project.qde"], "project.qde"),
])
def test_the_project_xml_may_have_another_name(tmp_path, names, chosen):
    with SafeArchive(make(tmp_path / "a.qdpx", names)) as archive:
        assert archive.qde().filename == chosen


def test_two_projects_or_two_members_of_one_name_are_refused(tmp_path):
    with SafeArchive(make(tmp_path / "a.qdpx", ["a.qde", "b.qde"])) as archive, \
            pytest.raises(KzError, match="several .qde"):
        archive.qde()
    path = tmp_path / "b.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", b"1")
        archive.writestr("PROJECT.qde", b"2")
    with pytest.raises(KzError, match="two members are named"):
        SafeArchive(path)


def test_an_encrypted_member_is_refused(tmp_path):
    path = make(tmp_path / "a.qdpx", ["project.qde"])
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):
        at = data.find(signature)
        data[at + offset] |= 1
    path.write_bytes(bytes(data))
    with pytest.raises(KzError, match="encrypted"):
        SafeArchive(path)


def test_the_writer_is_deterministic_and_stores_what_is_compressed_already():
    def written() -> bytes:
        out = io.BytesIO()
        writer = QdpxWriter(out)
        writer.write_bytes("a.txt", b"text " * 100)
        writer.write_pieces("b.docx", iter([b"PK", b"\x03\x04 rest"]), 10,
                            "application/vnd.openxmlformats-officedocument.wordprocessingml"
                            ".document")
        with writer.open_member("project.qde") as stream:
            stream.write(b"<Project/>")
        writer.close()
        return out.getvalue()

    first = written()
    assert first == written()
    infos = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert infos["b.docx"].compress_type == zipfile.ZIP_STORED
    assert infos["a.txt"].compress_type == zipfile.ZIP_DEFLATED
