"""Document sets go out to REFI-QDA as ``Set``\\ s of ``MemberSource`` and come back in as
static sets (issue 23's sets through issue 24's ``<Sets>``)."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from kzcoder.services.analysis.sets import add_dynamic_set, add_static_set, list_sets
from kzcoder.services.documents import list_documents
from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from kzcoder.services.refi.importing import import_qdpx
from tests.services.test_refi_roundtrip import build, validate

NS = "{urn:QDA-XML:project:1.0}"


def _members_by_guid(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    with sqlite3.connect(path) as db:
        guid_of = dict(db.execute("SELECT id, guid FROM documents"))
        return {g: (n, frozenset(guid_of[d] for (d,) in db.execute(
                    "SELECT document_id FROM document_set_members WHERE set_id = ?", (i,))))
                for i, g, n in db.execute("SELECT id, guid, name FROM document_sets")}


def test_static_and_dynamic_sets_go_out_as_sets_and_come_back_as_static_sets(tmp_path):
    source = build(tmp_path)
    with Project.open(source) as project:
        docs = list_documents(project)
        picked = [d.id for d in docs[:2]]
        add_static_set(project, "Picked", picked)
        key, value = next((k, v) for d in docs for k, v in sorted(d.attributes.items()))
        add_dynamic_set(project, "By attribute", [f"{key}={value}"])
        expected = {s.name: frozenset(s.documents) for s in list_sets(project)}
        assert len(expected) == 2 and all(expected.values())
        guid_of = {d.id: d.guid for d in docs}
        export_qdpx(project, tmp_path / "sets.qdpx")
    validate(tmp_path / "sets.qdpx")
    with zipfile.ZipFile(tmp_path / "sets.qdpx") as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
    written = {s.get("name"): frozenset(m.get("targetGUID").lower()
                                        for m in s.iter(f"{NS}MemberSource"))
               for s in root.iter(f"{NS}Set")}
    for name, members in expected.items():
        assert written[name] == frozenset(guid_of[d].lower() for d in members)

    report = import_qdpx(tmp_path / "sets.qdpx", tmp_path / "copy.kzc")
    assert report.counts["document sets"] == len(expected)
    kept = _members_by_guid(tmp_path / "copy.kzc")
    assert sorted(n for n, _ in kept.values()) == sorted(expected)
    for _name, members in kept.values():
        assert members in {frozenset(guid_of[d].lower() for d in m) for m in expected.values()}
    with Project.open(tmp_path / "copy.kzc") as copy:
        assert {s.name: s.kind for s in list_sets(copy)} == dict.fromkeys(expected, "static")
