"""``kzcoder.json``: what kzcoder keeps beside ``project.qde`` in its own archives, for what
REFI-QDA has no place: each document's original file (its member, name, media type, size,
SHA-256) and the encoding its text was read in, and codes' shortcut keys. Other programs
ignore the file; kzcoder reads it only from an archive whose project says kzcoder wrote it,
and checks every value (a wrong one is ignored, never trusted).

A plain-text original that is not the stored text byte for byte (another encoding, a BOM,
CRLF) is shipped as ``sources/<GUID>.original.txt`` and named only here: a ``.txt`` given as
``richTextPath`` makes ATLAS.ti refuse the whole import (QualCoder's export notes this).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kzcoder.core.refi_records import RefiOriginal

NAME = "kzcoder.json"
FORMAT = "kzcoder-refi-extra"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class KeptOriginal:
    """An original as ``kzcoder.json`` describes it: the record and its member ("" when its
    bytes are the stored text's)."""

    original: RefiOriginal
    member: str


@dataclass
class Extra:
    """The contents of ``kzcoder.json`` (GUIDs as stored: lower-case)."""

    originals: dict[str, KeptOriginal]
    encodings: dict[str, str]
    shortcuts: dict[str, str]
    #: how positions are counted: "" the standard, ``NVIVO`` as NVivo for Windows counts them
    positions: str = ""


#: positions in UTF-16 code units of the text with CRLF line endings (``--for nvivo``)
NVIVO = "utf-16 code units of the text with CRLF line endings (NVivo for Windows)"


def extra_bytes(extra: Extra) -> bytes:
    """``kzcoder.json`` for *extra* (sorted: the same project gives the same bytes)."""
    documents = {}
    for guid in sorted(set(extra.originals) | set(extra.encodings)):
        entry: dict[str, object] = {}
        if guid in extra.encodings:
            entry["encoding"] = extra.encodings[guid]
        if guid in extra.originals:
            kept = extra.originals[guid]
            item = kept.original
            entry["original"] = {"member": kept.member, "file_name": item.file_name,
                                 "media_type": item.media_type, "size": item.size,
                                 "sha256": item.sha256, "same_as_text": item.same_as_text}
        documents[guid] = entry
    data = {"format": FORMAT, "version": 1, "documents": documents,
            **({"positions": extra.positions} if extra.positions else {}),
            "codes": {guid: {"shortcut": key} for guid, key in sorted(extra.shortcuts.items())}}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def read_extra(data: bytes) -> Extra:
    """The values of ``kzcoder.json`` that are well-formed (the rest ignored)."""
    extra = Extra({}, {}, {})
    try:
        found = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return extra
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        return extra
    documents = found.get("documents")
    for guid, entry in (documents.items() if isinstance(documents, dict) else ()):
        if not isinstance(entry, dict):
            continue
        key = str(guid).lower()
        if isinstance(entry.get("encoding"), str):
            extra.encodings[key] = entry["encoding"][:40]
        original = _original(entry.get("original"))
        if original is not None:
            extra.originals[key] = original
    if found.get("positions") == NVIVO:
        extra.positions = NVIVO
    codes = found.get("codes")
    for guid, entry in (codes.items() if isinstance(codes, dict) else ()):
        key = entry.get("shortcut") if isinstance(entry, dict) else None
        if isinstance(key, str) and len(key) == 1:
            extra.shortcuts[str(guid).lower()] = key
    return extra


def _original(entry: object) -> KeptOriginal | None:
    if not isinstance(entry, dict):
        return None
    member, name, media = entry.get("member"), entry.get("file_name"), entry.get("media_type")
    size, sha256, same = entry.get("size"), entry.get("sha256"), entry.get("same_as_text")
    if not (isinstance(member, str) and isinstance(name, str) and name
            and isinstance(media, str) and isinstance(size, int) and not isinstance(size, bool)
            and size >= 0 and isinstance(sha256, str) and _SHA256.fullmatch(sha256)
            and isinstance(same, bool)):
        return None
    return KeptOriginal(RefiOriginal(name, media[:127], size, sha256, same), member)
