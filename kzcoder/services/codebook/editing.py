"""The codebook: a tree of codes with colours, definitions and shortcut keys."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.colors import parse_color
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodeInfo
from kzcoder.db.models import Code
from kzcoder.db.queries import codes as q
from kzcoder.db.queries import removals as removal_q
from kzcoder.services.codebook.versions import EDITED, check_seen
from kzcoder.services.project import Project

SHORTCUT_KEYS = tuple("123456789")


def list_codes(project: Project) -> list[CodeInfo]:
    """Every code, parents before children, siblings in their order."""
    with project.unit(read=True) as session:
        return q.all_codes(session)


def find_code(session: Session, ref: str | int) -> Code:
    """The code *ref* means: ``id:N``, ``name:TEXT``, or a bare name or id (refused when it
    names one code and numbers another, or names several: codes under different parents may
    share a name); an int is an id. KzError if there is none (see ``services.references``)."""
    from kzcoder.services import references  # here: the rest of this module is not about it

    return references.resolve(ref, "code", named=lambda name: q.codes_named(session, name),
                              numbered=lambda number: q.code_by_id(session, number))


def get_code(project: Project, ref: str | int) -> CodeInfo:
    """Look a code up by reference (``id:N``, ``name:TEXT``, a bare name or id)."""
    with project.unit(read=True) as session:
        return q.code_info(find_code(session, ref))


def add_code(project: Project, name: str, color: str, *, parent: str | int | None = None,
             description: str = "", shortcut: str | None = None,
             guid: str | None = None, codable: bool = True) -> Changed[CodeInfo]:
    """Add a code at the end of its siblings (*codable* False: a category, which groups codes
    and is never coded with); KzError on a bad name, colour or shortcut."""
    name = _clean_name(name)
    color = parse_color(color)
    with project.unit() as session:
        parent_id = find_code(session, parent).id if parent is not None else None
        _check_sibling_name(session, parent_id, name)
        if shortcut is not None:
            _check_shortcut(session, shortcut)
        code = Code(name=name, color=color, parent_id=parent_id, description=description,
                    shortcut=shortcut, position=q.next_position(session, parent_id),
                    codable=codable)
        if guid:
            code.guid = guid
        session.add(code)
        session.flush()
        info = q.code_info(code)
    return Changed(info, Changes(codes=frozenset({info.id}), code_tree=True))


_UNCHANGED = object()


def update_code(project: Project, code: str | int, *, name: str | None = None,
                color: str | None = None, description: str | None = None,
                shortcut: str | None | object = _UNCHANGED, codable: bool | None = None,
                expected: CodeInfo | None = None) -> Changed[tuple[CodeInfo, CodeInfo]]:
    """Rename, recolour, redefine a code, change its key (None removes the key) or make it a
    category (*codable* False) or codable again; returns (before, after). KzError, changing
    nothing, on a clash or a bad value, or when a code that has codings would become a
    category (its codings would be codings of a category).

    With *expected* (the code as the caller last saw it) the change is optimistic: if the
    code is not that any more (another coder of a shared project changed it meanwhile), it is
    refused (``versions.StaleCode``) and nothing is overwritten."""
    with project.unit() as session:
        row = find_code(session, code)
        before = check_seen(session, row, expected, EDITED)
        # every check before any assignment: a query would flush a half-made change
        if name is not None:
            name = _clean_name(name)
            _check_sibling_name(session, row.parent_id, name, other_than=row.id)
        color = parse_color(color) if color is not None else row.color
        if shortcut is not _UNCHANGED and shortcut is not None:
            _check_shortcut(session, shortcut, other_than=row.id)
        if codable is False and row.codable and removal_q.codings_of_codes(session, [row.id]):
            raise KzError(f"'{row.name}' has codings; a code with codings cannot become a "
                          "category (move or remove them first)")
        row.name = name if name is not None else row.name
        row.color = color
        if description is not None:
            row.description = description
        if shortcut is not _UNCHANGED:
            row.shortcut = shortcut
        if codable is not None:
            row.codable = codable
        session.flush()
        after = q.code_info(row)
    return Changed((before, after), Changes(codes=frozenset({after.id})))


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise KzError("a code needs a name")
    return name


def _check_sibling_name(session: Session, parent_id: int | None, name: str,
                        other_than: int | None = None) -> None:
    if q.sibling_named(session, parent_id, name, other_than) is not None:
        raise KzError(f"a code named '{name}' already exists there")


def _check_shortcut(session: Session, shortcut: str, other_than: int | None = None) -> None:
    if shortcut not in SHORTCUT_KEYS:
        raise KzError(f"shortcut '{shortcut}' must be one of the keys 1 to 9")
    owner = q.shortcut_owner(session, shortcut, other_than)
    if owner is not None:
        raise KzError(f"shortcut {shortcut} is already used by '{owner}'")


def reinsert_code(project: Project, code: CodeInfo) -> Changes:
    """Put a code back exactly as it was (the redo of its creation)."""
    with project.unit() as session:
        removal_q.insert_code(session, code)
    return Changes(codes=frozenset({code.id}), code_tree=True)


def remove_new_code(project: Project, code: CodeInfo) -> Changes:
    """Take out a code that was just created (the undo of its creation): refused if it has
    codings or sub-codes by now."""
    with project.unit() as session:
        if removal_q.codings_of_codes(session, [code.id]) or q.has_children(session, code.id):
            raise KzError(f"'{code.name}' has codings or sub-codes now; it was not removed")
        removal_q.delete_codes(session, [code.id])
    return Changes(codes=frozenset({code.id}), code_tree=True)
