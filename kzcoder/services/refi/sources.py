"""The documents of a REFI-QDA import: each text source's text, original file and codings
(``refi.importing`` runs the import; this module is its part about sources).

A source's text is its ``plainTextPath`` file or its ``PlainTextContent``; when those hold no
text, its ``richTextPath`` file read by kzcoder's document readers (copied first into a private
folder beside the new project, and deleted). Selections are put on the stored text as
``exchange.refi.positions`` explains; what cannot be put anywhere is reported.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import uuid
from collections import Counter
from pathlib import Path, PurePosixPath

from sqlalchemy.orm import Session

from kzcoder.core.errors import KzError
from kzcoder.db.models import utc_now
from kzcoder.db.queries import annotation as annotation_q
from kzcoder.db.queries import refi as q
from kzcoder.exchange import readers
from kzcoder.exchange.refi.archive import Refused, SafeArchive
from kzcoder.exchange.refi.extra import NVIVO, Extra
from kzcoder.exchange.refi.memos import richest
from kzcoder.exchange.refi.model import ParsedProject, TextSource
from kzcoder.exchange.refi.positions import (
    STANDARD,
    UTF16_FILE,
    Positions,
    SourceText,
    decode_source,
    from_content,
)
from kzcoder.exchange.refi.reader import keep_form
from kzcoder.exchange.refi.writer import xsd_datetime

_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def join_memos(*parts: str) -> str:
    """Memo texts joined by a blank line (empty ones left out)."""
    return "\n\n".join(part for part in parts if part)


def unique_name(name: str, taken: set[str]) -> str:
    """*name*, or ``name (2)``, ``name (3)``... the first not in *taken* (which it joins)."""
    found, number = name, 2
    while found in taken:
        found = f"{name} ({number})"
        number += 1
    taken.add(found)
    return found


class SourceImporter:
    """Adds the text sources of *parsed* to the project of a unit of work. ``owner`` is the
    import (``importing._Import``): its coders, codes, notes, report and private folder."""

    def __init__(self, owner, archive: SafeArchive, parsed: ParsedProject,  # noqa: ANN001
                 extra: Extra | None) -> None:
        self.owner = owner
        self.archive = archive
        self.parsed = parsed
        self.extra = extra
        self.kzcoder = parsed.origin.lower().startswith("kzcoder")
        #: written by kzcoder for NVivo: CRLF texts, positions in their UTF-16 code units
        self.nvivo = self.kzcoder and extra is not None and extra.positions == NVIVO
        self.names: set[str] = set()
        self.texts: dict[str, str] = {}  # SHA-256 of a stored text -> its document
        self.guids: set[str] = set()
        self.coding_guids: set[str] = set()
        self.folder: Path | None = None

    def add(self, session: Session, source: TextSource, case_values: list[tuple[str, str]]
            ) -> None:
        """Add *source* with its original and codings, or report why it is not imported."""
        report = self.owner.report
        name = unique_name(source.name or _name_from(source), self.names)
        codings = sum(len(s.codings) for s in source.selections) + len(source.whole)
        lost = f" (and its {codings} coding(s))" if codings else ""
        try:
            text, rich_only, plain = self._text(source)
        except Refused:
            raise
        except KzError as exc:
            report.not_imported.append(f"document '{name}'{lost}: {exc}")
            return
        if text is None or not text.stored.strip():
            report.not_imported.append(f"document '{name}'{lost}: it has no text")
            return
        data = text.stored.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.texts:
            report.not_imported.append(f"document '{name}'{lost}: the same text as "
                                       f"'{self.texts[digest]}' (kzcoder keeps a text once)")
            return
        self.texts[digest] = name
        if name != (source.name or name):
            report.changed.append(f"document '{source.name}' is called '{name}' (another "
                                  "document has its name)")
        guid = self._unique(source.guid, self.guids, f"document '{name}'")
        values = self._attributes(source, case_values)
        encoding = (self.extra.encodings.get(source.guid) if self.extra else None) or \
            text.encoding
        memo = richest(source.description, *self.owner.notes_text(source.notes))
        self.owner.note_time(guid, source.notes)
        document_id = q.insert_document(
            session, guid=guid, name=name, text=text.stored, encoding=encoding, memo=memo,
            created=xsd_datetime(source.created) or utc_now(), attributes=values.items())
        report.counts["memos"] += bool(memo)
        report.warnings.extend(f"document '{name}': {w}" for w in text.warnings)
        self._original(session, document_id, source, name, text, plain)
        self._codings(session, document_id, source, name, text, rich_only)
        report.counts["documents"] += 1
        report.counts["attributes"] += len(values)

    def unique_guid(self, guid: str) -> str:
        """*guid* if no other thing of the import has it yet, else a new one."""
        return self._unique(guid, self.guids, f"a set {guid}")

    def _unique(self, guid: str, taken: set[str], what: str) -> str:
        if guid in taken:
            self.owner.report.changed.append(f"{what}: its GUID is used twice in the file; "
                                             "given a new one")
            guid = str(uuid.uuid4())
        taken.add(guid)
        return guid

    def _attributes(self, source: TextSource, case_values: list[tuple[str, str]]
                    ) -> dict[str, str]:
        variables = self.parsed.variables
        values: dict[str, str] = {}
        for guid, value in case_values + source.values:  # the source's own win over its case's
            name = variables.get(guid) or f"variable {guid[:8]}"
            values[name] = value
        return values

    def _text(self, source: TextSource) -> tuple[SourceText | None, bool, bytes | None]:
        """The source's text, whether it came from its rich text only, and the bytes of its
        plain-text file (None if it has none)."""
        text = plain = None
        if source.plain_path:
            member = self.archive.find(source.plain_path)
            if member is None:
                if not source.rich_path:
                    raise KzError(f"its text file '{source.plain_path}' is not in the archive "
                                  "(kzcoder reads nothing outside it)")
            else:
                plain = self.archive.read(member)
                text = self._kzcoder_text(plain) or decode_source(plain, member.filename)
        elif source.content is not None:
            text = from_content(source.content)
        if (text is None or not text.stored.strip()) and source.rich_path:
            return self._rich_text(source, _plain_state(text)), True, plain
        return text, False, plain

    def _kzcoder_text(self, data: bytes) -> SourceText | None:
        """A text kzcoder wrote: its stored text exactly, in UTF-8 (None if it is not)."""
        if not self.kzcoder or self.nvivo:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return SourceText(text, text)

    def _rich_text(self, source: TextSource, plain_state: str) -> SourceText:
        member = self.archive.find(source.rich_path or "")
        if member is None:
            raise KzError(f"its file '{source.rich_path}' is not in the archive (kzcoder reads "
                          "nothing outside it)")
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix=f".{self.owner.target.name}.refi-",
                                                dir=self.owner.target.parent))
        match = _SUFFIX.search(member.filename)
        path = self.folder / f"source{len(self.names)}{match.group(0).lower() if match else ''}"
        try:
            self.archive.copy_to(member, path)
            read = readers.read_document(path)
        except Refused:
            raise
        except KzError as exc:
            reason = str(exc).split(": ", 1)[-1]
            raise KzError(f"it has no text: its plain text {plain_state}, and its file "
                          f"'{member.filename}' gives none ({reason})") from exc
        finally:
            path.unlink(missing_ok=True)
        return SourceText(read.text, read.text, read.encoding, read.warnings)

    def _original(self, session: Session, document_id: int, source: TextSource, name: str,
                  text: SourceText, plain: bytes | None) -> None:
        kept = self.extra.originals.get(source.guid) if self.extra else None
        if kept is not None:
            self._kept_original(session, document_id, kept, name, text)
            return
        member = self.archive.find(source.rich_path) if source.rich_path else None
        if member is not None:
            suffix = PurePosixPath(member.filename).suffix.lower()
            q.insert_original(session, document_id, file_name=f"{name}{suffix}",
                              media_type=_media_type(suffix), size=member.file_size,
                              pieces=self.archive.pieces(member))
        elif plain is not None:
            same = plain == text.stored.encode("utf-8")
            q.insert_original(session, document_id, file_name=f"{name}.txt",
                              media_type="text/plain", size=len(plain),
                              pieces=None if same else [plain])
        else:
            return
        self.owner.report.counts["originals"] += 1

    def _kept_original(self, session: Session, document_id: int, kept, name: str,  # noqa: ANN001
                       text: SourceText) -> None:
        item = kept.original
        if item.same_as_text:
            if hashlib.sha256(text.stored.encode("utf-8")).hexdigest() != item.sha256:
                self.owner.report.not_imported.append(
                    f"document '{name}': its original file (said to be its text) does not "
                    "match it; not kept")
                return
            q.insert_original(session, document_id, file_name=item.file_name,
                              media_type=item.media_type, size=item.size, pieces=None)
        else:
            member = self.archive.member(kept.member)
            if member is None or member.file_size != item.size:
                self.owner.report.not_imported.append(
                    f"document '{name}': its original file '{kept.member}' is missing")
                return
            digest = q.insert_original(session, document_id, file_name=item.file_name,
                                       media_type=item.media_type, size=item.size,
                                       pieces=self.archive.pieces(member))
            if digest != item.sha256:
                raise KzError(f"{self.archive.name}: the original of document '{name}' does not "
                              "match its SHA-256 (the archive is damaged)")
        self.owner.report.counts["originals"] += 1

    def _codings(self, session: Session, document_id: int, source: TextSource, name: str,
                 text: SourceText, rich_only: bool) -> None:
        report, owner = self.owner.report, self.owner
        lost: Counter[str] = Counter()
        positions = Positions(text)
        spans = [(s.start, s.end) for s in source.selections
                 if s.start is not None and s.end is not None and s.codings]
        units = STANDARD if rich_only else UTF16_FILE if self.nvivo else \
            positions.choose(spans, self.parsed.origin)
        to_stored = positions.mapper(units)
        rows, undated = [], 0
        whole: list[tuple[int, int, object, list[str]]] = [
            (0, len(text.stored), c, []) for c in source.whole]
        notes = []
        for selection in source.selections:
            if not selection.codings:
                note = self._annotation(selection, to_stored, rich_only, document_id)
                if isinstance(note, str):
                    lost[note] += 1
                else:
                    notes.append(note)
                continue
            if rich_only:
                lost["its positions count a plain text that is not in the archive"] += len(
                    selection.codings)
                continue
            start = None if selection.start is None else to_stored(selection.start)
            end = None if selection.end is None else to_stored(selection.end)
            if start is None or end is None or start >= end:
                lost["outside the text, or empty"] += len(selection.codings)
                continue
            memo = [selection.description, *owner.notes_text(selection.notes)]
            whole += [(start, end, c, memo, selection.notes) for c in selection.codings]
        for start, end, coding, memo, selection_notes in whole:
            code_id = owner.codes.get(coding.code)
            if code_id is None:
                lost["its code is not in the codebook"] += 1
                continue
            created = xsd_datetime(coding.created)
            if not created:
                undated += 1
                created = utc_now()
            guid = self._unique(coding.guid or str(uuid.uuid4()), self.coding_guids,
                                f"a coding in '{name}'")
            rows.append((guid, document_id, code_id, owner.coder(session, coding.user), start,
                         end, richest(*memo, *owner.notes_text(coding.notes)), created))
            owner.note_time(guid, selection_notes, coding.notes)
        q.insert_codings(session, rows)
        annotation_q.insert(session, notes)
        report.counts["annotations"] += len(notes)
        report.counts["codings"] += len(rows)
        report.counts["memos"] += sum(1 for row in rows if row[6])
        if source.whole:
            report.tally("changed", "{n} coding(s) of the whole source became codings of its "
                         "whole text", name, len(source.whole))
        if self.nvivo:
            pass  # counted as the archive says: nothing was guessed
        elif units is not STANDARD and spans:
            report.tally("remapped", f"positions were counted in {positions.describe(units)} "
                         f"by {_braced(self.parsed.origin) or 'the other program'}, not in "
                         "code points "
                         "of the file as the standard says; {n} selection(s) remapped to land "
                         "on the text it meant", name, len(spans))
        elif text.raw != text.stored and spans:
            report.tally("remapped", "line endings became LF; {n} selection(s) moved with them",
                         name, len(spans))
        if undated:
            report.tally("changed", "{n} coding(s) had no creation time and were given the "
                         "time of the import", name, undated)
        for reason, count in lost.items():
            report.not_imported.append(f"document '{name}': {count} coding(s) not imported: "
                                       f"{reason}")

    def _annotation(self, selection, to_stored, rich_only: bool,  # noqa: ANN001
                    document_id: int) -> tuple | str:
        """The row of the annotation a selection without a code makes, or why it makes
        none."""
        text = richest(selection.description, *self.owner.notes_text(selection.notes))
        if not text.strip():
            return "a selection with no code and no comment (nothing to keep)"
        if rich_only:
            return "an annotation whose positions count a plain text not in the archive"
        start = None if selection.start is None else to_stored(selection.start)
        end = None if selection.end is None else to_stored(selection.end)
        if start is None or end is None or start >= end:
            return "an annotation outside the text, or empty"
        guid = self._unique(selection.guid or str(uuid.uuid4()), self.coding_guids,
                            "an annotation")
        keep_form(self.parsed.guid_forms, guid, selection.written)
        return (guid, document_id, start, end, text,
                self.owner.user_names.get(selection.user, ""),
                xsd_datetime(selection.created) or utc_now())

    def cleanup(self) -> None:
        """Delete the private folder (and anything left in it)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _braced(text: str) -> str:
    """*text* with its braces doubled (it goes into a ``str.format`` pattern)."""
    return text.replace("{", "{{").replace("}", "}}")


def _plain_state(text: SourceText | None) -> str:
    """What a source's plain text is when it holds no text, in words."""
    if text is None:
        return "is missing"
    if not text.raw:
        return "is empty"
    if not text.stored.strip("\n"):
        return "is only line breaks" if text.stored.count("\n") > 1 else "is only a line break"
    return "is only white space"


def _name_from(source: TextSource) -> str:
    """A name for a source that has none: its file's name without the suffix."""
    for path in (source.plain_path, source.rich_path):
        stem = PurePosixPath((path or "").replace("\\", "/").rpartition("://")[2]).stem
        if stem:
            return stem
    return f"source {source.guid[:8]}"


def _media_type(suffix: str) -> str:
    for reader in readers.readers():
        if suffix in reader.suffixes:
            return reader.media_type
    return "application/octet-stream"
