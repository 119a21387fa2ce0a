"""The codebook: a tree of codes with colours, definitions and shortcut keys."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kzcoder.core.colors import parse_color
from kzcoder.core.errors import KzError
from kzcoder.db.models import Code
from kzcoder.services.dto import Changed, Changes, CodeInfo
from kzcoder.services.project import Project

SHORTCUT_KEYS = tuple("123456789")


def code_info(code: Code) -> CodeInfo:
    """The frozen record of a code row."""
    return CodeInfo(id=code.id, guid=code.guid, name=code.name, color=code.color,
                    parent_id=code.parent_id, description=code.description,
                    shortcut=code.shortcut, position=code.position)


def list_codes(project: Project) -> list[CodeInfo]:
    """Every code, parents before children, siblings in their order."""
    with project.unit() as session:
        rows = list(session.scalars(select(Code).order_by(Code.position, Code.id)))
    by_parent: dict[int | None, list[Code]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    ordered: list[CodeInfo] = []

    def visit(parent: int | None) -> None:
        for row in by_parent.get(parent, []):
            ordered.append(code_info(row))
            visit(row.id)

    visit(None)
    return ordered


def find_code(session: Session, ref: str | int) -> Code:
    """The code named exactly *ref*, else the one numbered *ref*; KzError if none or ambiguous.

    An int is taken as an id straight away.
    """
    if isinstance(ref, int) and (code := session.get(Code, ref)) is not None:
        return code
    matches = list(session.scalars(select(Code).where(Code.name == str(ref))))
    if len(matches) > 1:
        raise KzError(f"more than one code is named '{ref}'; use its id")
    if matches:
        return matches[0]
    if str(ref).isdigit() and (code := session.get(Code, int(ref))) is not None:
        return code
    raise KzError(f"no code named or numbered '{ref}'")


def get_code(project: Project, ref: str | int) -> CodeInfo:
    """Look a code up by exact name or id."""
    with project.unit() as session:
        return code_info(find_code(session, ref))


def add_code(project: Project, name: str, color: str, *, parent: str | int | None = None,
             description: str = "", shortcut: str | None = None,
             guid: str | None = None) -> Changed[CodeInfo]:
    """Add a code at the end of its siblings; KzError on a bad name, colour or shortcut."""
    name = name.strip()
    if not name:
        raise KzError("a code needs a name")
    color = parse_color(color)
    with project.unit() as session:
        parent_id = find_code(session, parent).id if parent is not None else None
        _check_sibling_name(session, parent_id, name)
        if shortcut is not None:
            _check_shortcut(session, shortcut)
        position = session.scalar(select(func.coalesce(func.max(Code.position) + 1, 0))
                                  .where(Code.parent_id.is_(parent_id)))
        code = Code(name=name, color=color, parent_id=parent_id, description=description,
                    shortcut=shortcut, position=position)
        if guid:
            code.guid = guid
        session.add(code)
        session.flush()
        info = code_info(code)
    return Changed(info, Changes(codes=frozenset({info.id})))


def _check_sibling_name(session: Session, parent_id: int | None, name: str) -> None:
    clash = session.scalar(select(Code.id).where(Code.parent_id.is_(parent_id),
                                                 Code.name == name))
    if clash is not None:
        raise KzError(f"a code named '{name}' already exists there")


def _check_shortcut(session: Session, shortcut: str) -> None:
    if shortcut not in SHORTCUT_KEYS:
        raise KzError(f"shortcut '{shortcut}' must be one of the keys 1 to 9")
    owner = session.scalar(select(Code.name).where(Code.shortcut == shortcut))
    if owner is not None:
        raise KzError(f"shortcut {shortcut} is already used by '{owner}'")
