"""The matching of a merge (``services.merge`` says the rules and runs it): the other
project's records, by GUID, matched to this project's rows and what is missing added, inside
the merge's unit of work."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from kzcoder.core.errors import KzError
from kzcoder.core.export_records import join_code_path
from kzcoder.core.merge_records import OtherDocument
from kzcoder.db.models import new_guid
from kzcoder.db.queries import merge as q
from kzcoder.db.queries import refi as refi_q
from kzcoder.services.merge.read import OpenOther
from kzcoder.services.refi.sources import unique_name

Progress = Callable[[int, int, str], object]
KINDS = ("documents", "codes", "coders", "codings", "memos", "attributes", "journal entries",
         "annotations", "code sets")
#: the kinds of rows a merge adds, in the order of ``MergeAdded``'s fields
NEW = ("coders", "codes", "documents", "attributes", "codings", "memos", "journal",
       "annotations", "code_sets", "code_set_members")


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


class Matcher:
    """One merge inside a unit of work: ``run()`` matches and adds; then ``added``,
    ``matched`` (counts by kind), ``lines``, ``originals`` and ``new`` (ids of what it added,
    by kind) say what it did."""

    def __init__(self, session: Session, other: OpenOther, progress: Progress | None) -> None:
        self.session, self.other, self.progress = session, other, progress
        self.theirs = other.records
        self.added = dict.fromkeys(KINDS, 0)
        self.matched = dict.fromkeys(KINDS, 0)
        self.lines: list[str] = list(self.theirs.notes)
        self.originals = 0
        self.new: dict[str, list] = {k: [] for k in NEW}
        self.coder_map: dict[str, int] = {}
        self.code_map: dict[str, int] = {}
        self.document_map: dict[str, int] = {}
        self.coder_names: dict[int, str] = {}
        self.code_names: dict[int, str] = {}
        self.document_names: dict[int, str] = {}

    def run(self) -> None:
        self._memo("project", None, q.project_memo(self.session), self.theirs.memo,
                   "the project")
        self._coders()
        self._codes()
        self._documents()
        self._codings()
        self._journal()
        self._annotations()
        self._code_sets()

    def _tell(self, done: int, total: int, name: str) -> None:
        if self.progress is not None and self.progress(done, total, name) is False:
            raise KzError("merge stopped; nothing was changed")

    def _memo(self, table: str, row_id: int | None, ours: str, theirs: str,
              label: str) -> None:
        if not theirs:
            return
        if ours == theirs:
            self.matched["memos"] += 1
        elif not ours:
            q.set_memo(self.session, table, row_id, theirs)
            self.new["memos"].append((table, row_id, ours, theirs))
            self.added["memos"] += 1
            self.lines.append(f"took the memo of {label} from {self.theirs.source} (ours was "
                              "empty)")
        else:
            self.lines.append(f"memo of {label} differs: ours {_short(ours)}, theirs "
                              f"{_short(theirs)} (kept ours)")

    # --- coders ---------------------------------------------------------------------------

    def _coders(self) -> None:
        ours = q.coders(self.session)
        by_guid = {guid: (i, name) for i, guid, name in ours}
        by_name = {name: (i, guid) for i, guid, name in ours}
        claimed = {c.guid for c in self.theirs.coders if c.guid in by_guid}
        names = {name for _i, _g, name in ours}
        self.coder_names = {i: name for i, _g, name in ours}
        for coder in self.theirs.coders:
            if coder.guid in by_guid:
                coder_id, name = by_guid[coder.guid]
                if name != coder.name:
                    self.lines.append(f"renamed coder: ours '{name}', theirs '{coder.name}' "
                                      "(kept ours)")
                self.matched["coders"] += 1
            elif coder.name in by_name and by_name[coder.name][1] not in claimed:
                coder_id = by_name[coder.name][0]
                self.lines.append(f"matched coder '{coder.name}' by name (GUIDs differ)")
                self.matched["coders"] += 1
            else:
                name = unique_name(coder.name.strip() or f"user {coder.guid[:8]}", names)
                coder_id = refi_q.insert_coder(self.session, coder.guid, name)
                self.coder_names[coder_id] = name
                self.new["coders"].append(coder_id)
                self.added["coders"] += 1
                self.lines.append(f"added coder '{name}'" + (
                    f" (theirs '{coder.name}': another coder here has that name)"
                    if name != coder.name else ""))
            self.coder_map[coder.guid] = coder_id

    # --- codes ----------------------------------------------------------------------------

    def _codes(self) -> None:
        ours = q.codes(self.session)  # (id, guid, parent_id, name, memo, shortcut, position)
        by_guid = {row[1]: row for row in ours}
        parents = {row[0]: row[2] for row in ours}
        self.code_names = {row[0]: row[3] for row in ours}
        children: dict[int | None, dict[str, tuple]] = {}
        after: dict[int | None, int] = {}
        for row in ours:
            children.setdefault(row[2], {})[row[3]] = row
            after[row[2]] = max(after.get(row[2], 0), row[6] + 1)
        claimed = {c.guid for c in self.theirs.codes if c.guid in by_guid}
        keys = {row[5] for row in ours if row[5]}

        def path(code_id: int | None) -> str:
            names = []
            while code_id is not None:
                names.append(self.code_names[code_id])
                code_id = parents.get(code_id)
            return join_code_path(reversed(names))

        for code in self.theirs.codes:  # parents first
            parent_id = self.code_map.get(code.parent) if code.parent else None
            row = by_guid.get(code.guid)
            how = "GUID"
            if row is None:
                row, how = children.get(parent_id, {}).get(code.name), "path"
                if row is not None and row[1] in claimed:
                    row = None
            if row is not None:
                code_id = row[0]
                self.matched["codes"] += 1
                if how == "path":
                    self.lines.append(f"matched code '{path(code_id)}' by its path of names "
                                      "(GUIDs differ)")
                if row[3] != code.name:
                    self.lines.append(f"renamed code: ours '{row[3]}', theirs '{code.name}' "
                                      "(kept ours)")
                if how == "GUID" and row[2] != parent_id:
                    self.lines.append(f"code '{path(code_id)}' is under "
                                      f"'{path(parent_id) or '(the top)'}' in "
                                      f"{self.theirs.source} (kept ours)")
                self._memo("codes", code_id, row[4], code.memo, f"code '{path(code_id)}'")
            else:
                siblings = children.setdefault(parent_id, {})
                taken = set(siblings)
                name = unique_name(code.name or "(unnamed code)", taken)
                shortcut = code.shortcut if code.shortcut and code.shortcut not in keys \
                    else None
                if shortcut:
                    keys.add(shortcut)
                position = after.get(parent_id, 0)
                after[parent_id] = position + 1
                code_id = refi_q.insert_code(
                    self.session, guid=code.guid, parent_id=parent_id, name=name,
                    color=code.color, description=code.description, memo=code.memo,
                    shortcut=shortcut, position=position, codable=code.codable)
                row = (code_id, code.guid, parent_id, name, code.memo, shortcut, position)
                siblings[name] = row
                parents[code_id] = parent_id
                self.code_names[code_id] = name
                self.new["codes"].append(code_id)
                self.added["codes"] += 1
                self.added["memos"] += bool(code.memo)
                self.lines.append(f"added code '{path(code_id)}'" + (
                    f" (theirs '{code.name}': a sibling here has that name)"
                    if name != code.name else "") + (
                    f" without its key {code.shortcut} (taken here)"
                    if code.shortcut and not shortcut else ""))
            self.code_map[code.guid] = code_id

    # --- documents ------------------------------------------------------------------------

    def _documents(self) -> None:
        ours = q.documents(self.session)  # (id, guid, name, sha256, memo)
        by_guid = {row[1]: row for row in ours}
        by_text = {row[3]: row for row in ours}
        names = {row[2] for row in ours}
        self.document_names = {row[0]: row[2] for row in ours}
        attributes = q.attributes(self.session)
        total = len(self.theirs.documents) + 1
        for number, document in enumerate(self.theirs.documents):
            self._tell(number, total, document.name)
            same_guid = by_guid.get(document.guid)
            same_text = by_text.get(document.sha256)
            if same_guid is not None and same_guid[3] == document.sha256:
                row = same_guid
            elif same_text is not None:
                row = same_text
                if same_guid is not None:
                    self.lines.append(f"document '{document.name}' has the GUID of "
                                      f"'{same_guid[2]}' here but another text; matched "
                                      f"'{same_text[2]}' by its text")
                else:
                    self.lines.append(f"matched document '{document.name}' by its text"
                                      + (f" (here '{same_text[2]}')"
                                         if same_text[2] != document.name else ""))
            else:
                guid = document.guid if same_guid is None else new_guid()
                name = unique_name(document.name, names)
                document_id = self._add_document(document, guid, name)
                by_text[document.sha256] = (document_id, guid, name, document.sha256,
                                            document.memo)
                by_guid.setdefault(guid, by_text[document.sha256])
                if same_guid is not None:
                    self.lines.append(f"document '{document.name}' has the same GUID as "
                                      f"'{same_guid[2]}' here but another text: added as a "
                                      f"new document '{name}' (new GUID)")
                else:
                    self.lines.append(f"added document '{name}'" + (
                        f" (theirs '{document.name}': another document here has that name)"
                        if name != document.name else ""))
                self.document_map[document.guid] = document_id
                continue
            self.document_map[document.guid] = row[0]
            self.matched["documents"] += 1
            self._memo("documents", row[0], row[4], document.memo, f"document '{row[2]}'")
            self._attributes(row[0], row[2], attributes.get(row[0], {}), document)
        self._tell(total - 1, total, "")

    def _add_document(self, document: OtherDocument, guid: str, name: str) -> int:
        document_id = refi_q.insert_document(
            self.session, guid=guid, name=name, text=document.text, encoding=document.encoding,
            memo=document.memo, created=document.created, attributes=document.attributes)
        if document.has_original:
            original = self.other.original(document.guid)
            if original is not None:
                file_name, media_type, size, pieces = original
                refi_q.insert_original(self.session, document_id, file_name=file_name,
                                       media_type=media_type, size=size, pieces=pieces)
                self.originals += 1
        self.document_names[document_id] = name
        self.new["documents"].append(document_id)
        self.added["documents"] += 1
        self.added["attributes"] += len(document.attributes)
        self.added["memos"] += bool(document.memo)
        return document_id

    def _attributes(self, document_id: int, shown: str, ours: dict[str, str],
                    document: OtherDocument) -> None:
        missing = []
        for name, value in document.attributes:
            if name not in ours:
                missing.append((document_id, name, value))
                self.new["attributes"].append((document_id, name))
                self.lines.append(f"document '{shown}': added attribute {name} = "
                                  f"{_short(value)}")
            elif ours[name] == value:
                self.matched["attributes"] += 1
            else:
                self.lines.append(f"document '{shown}': attribute {name} is {_short(ours[name])}"
                                  f" here, {_short(value)} in {self.theirs.source} (kept ours)")
        q.insert_attributes(self.session, missing)
        self.added["attributes"] += len(missing)

    # --- codings --------------------------------------------------------------------------

    def _codings(self) -> None:
        ours = q.codings(self.session)  # guid -> (id, document, code, coder, start, end, memo)
        code_names = {c.guid: c.name for c in self.theirs.codes}
        coder_names = {c.guid: c.name for c in self.theirs.coders}
        document_names = {d.guid: d.name for d in self.theirs.documents}
        rows = []
        for coding in self.theirs.codings:
            mapped = (self.document_map[coding.document], self.code_map[coding.code],
                      self.coder_map[coding.coder], coding.start, coding.end, coding.memo)
            mine = ours.get(coding.guid)
            if mine is None:
                rows.append((coding.guid, *mapped[:5], coding.memo, coding.created))
                continue
            self.matched["codings"] += 1
            if tuple(mine[1:]) != mapped:
                _i, document_id, code_id, coder_id, start, end, memo = mine
                self.lines.append(
                    f"coding {coding.guid} differs: ours "
                    f"{self._describe(self.code_names[code_id], self.document_names[document_id], self.coder_names[coder_id], start, end, memo)}"  # noqa: E501
                    f"; theirs {self._describe(code_names[coding.code], document_names[coding.document], coder_names[coding.coder], coding.start, coding.end, coding.memo)}"  # noqa: E501
                    " (kept ours)")
        self.new["codings"] += q.insert_codings(self.session, rows)
        self.added["codings"] += len(rows)

    @staticmethod
    def _describe(code: str, document: str, coder: str, start: int, end: int,
                  memo: str) -> str:
        return (f"'{code}' on [{start}, {end}) of '{document}' by {coder}"
                + (f", memo {_short(memo)}" if memo else ", no memo"))

    # --- journal, annotations, code sets -------------------------------------------------

    @staticmethod
    def _free_guid(guid: str, used: set[str]) -> str:
        if guid in used:
            guid = new_guid()
        used.add(guid)
        return guid

    def _journal(self) -> None:
        ours = q.journal(self.session)  # (id, guid, title, created, text)
        by_key = {(row[2], row[3]): row for row in ours}
        # an entry added under another title (its own was taken) is found again by its GUID
        by_guid = {(row[1], row[3]): row for row in ours}
        titles = {row[2] for row in ours}
        used = q.used_guids(self.session, "journal")
        for entry in self.theirs.journal:
            row = by_key.get((entry.title, entry.created)) \
                or by_guid.get((entry.guid, entry.created))
            if row is not None:
                self.matched["journal entries"] += 1
                if row[4] != entry.text:
                    self.lines.append(f"journal entry '{entry.title}' differs: ours "
                                      f"{_short(row[4])}, theirs {_short(entry.text)} "
                                      "(kept ours)")
                continue
            title = unique_name(entry.title, titles)
            guid = self._free_guid(entry.guid, used)
            entry_id = q.insert_journal_entry(self.session, (
                guid, title, entry.text, entry.author, entry.created, entry.modified))
            by_key[(title, entry.created)] = by_guid[(guid, entry.created)] = (
                entry_id, guid, title, entry.created, entry.text)
            self.new["journal"].append(entry_id)
            self.added["journal entries"] += 1
            self.lines.append(f"added journal entry '{title}'" + (
                f" (theirs '{entry.title}' of {entry.created}: an entry here has that title)"
                if title != entry.title else ""))

    def _annotations(self) -> None:
        ours = {(row[2], row[3], row[4], row[5]) for row in q.annotations(self.session)}
        used = q.used_guids(self.session, "annotations")
        for note in self.theirs.annotations:
            document_id = self.document_map[note.document]
            key = (document_id, note.start, note.end, note.text)
            if key in ours:
                self.matched["annotations"] += 1
                continue
            ours.add(key)
            self.new["annotations"].append(q.insert_annotation(self.session, (
                self._free_guid(note.guid, used), document_id, note.start,
                note.end, note.text, note.author, note.created)))
            self.added["annotations"] += 1
            self.lines.append(f"added an annotation on [{note.start}, {note.end}) of "
                              f"'{self.document_names[document_id]}': {_short(note.text)}")

    def _code_sets(self) -> None:
        ours = q.code_sets(self.session)  # name -> (id, guid, description, member ids)
        used = q.used_guids(self.session, "code_sets")
        for code_set in self.theirs.code_sets:
            members = {self.code_map[guid] for guid in code_set.codes}
            row = ours.get(code_set.name)
            if row is None:
                set_id = q.insert_code_set(self.session, self._free_guid(
                    code_set.guid, used), code_set.name, code_set.description)
                row = ours[code_set.name] = (set_id, code_set.guid, code_set.description,
                                             set())
                self.new["code_sets"].append(set_id)
                self.added["code sets"] += 1
                self.lines.append(f"added code set '{code_set.name}' of {len(members)} "
                                  "code(s)")
            else:
                self.matched["code sets"] += 1
                if code_set.description and row[2] != code_set.description:
                    self.lines.append(f"code set '{code_set.name}': description differs, "
                                      f"ours {_short(row[2])}, theirs "
                                      f"{_short(code_set.description)} (kept ours)")
                missing = members - row[3]
                if missing:
                    self.lines.append(f"code set '{code_set.name}': added {len(missing)} "
                                      "code(s) it has in " + self.theirs.source + ": "
                                      + ", ".join(sorted(f"'{self.code_names[c]}'"
                                                         for c in missing)))
            new_members = sorted((row[0], code_id) for code_id in members - row[3])
            q.insert_code_set_members(self.session, new_members)
            row[3].update(code_id for _s, code_id in new_members)
            self.new["code_set_members"] += new_members
