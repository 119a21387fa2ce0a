"""The records that exports of coded segments are written from, and the code path.

``ExportRow`` is one coding as every segment export writes it (CSV, XLSX, JSON), in its
column order; ``CodebookRow`` and ``DocumentRow`` are what the XLSX's other sheets and the
HTML report list; ``ReportDocument`` is one document with its text and coded spans, for the
report. ``Exported`` is what an export service returns (an export changes nothing in the
project, so it returns no ``Changes``).

A code's path (every export writes it so; see docs/exports.md, "Code paths") is the names from
the root down joined with `` / `` (space, slash, space). So that a path can always be split back
into its names, a name's backslash is written ``\\\\`` and a slash with a space beside it in the
name ``\\/`` (``Police / army`` under ``Actors`` is ``Actors / Police \\/ army``); a slash
between two other characters stays as it is (``Actors / a/b``), since only `` / `` separates.
Names without a backslash or a spaced slash, nearly all, appear as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kzcoder.core.records import CodedSpan

PATH_SEPARATOR = " / "


_SPACED_SLASH = re.compile(r"(?<=\s)/|/(?=\s)")


def escape_path_name(name: str) -> str:
    """*name* as one step of a code path: a backslash doubled, a slash with white space
    beside it in the name written ``\\/`` (other slashes stay)."""
    return _SPACED_SLASH.sub(r"\\/", name.replace("\\", "\\\\"))


def join_code_path(names: Iterable[str]) -> str:
    """The code path of *names* (root first), each name escaped."""
    return PATH_SEPARATOR.join(escape_path_name(name) for name in names)


def split_code_path(path: str) -> list[str]:
    """The names (root first) of a path ``join_code_path`` made."""
    names: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(path):
        if path[i] == "\\" and i + 1 < len(path):
            current.append(path[i + 1])
            i += 2
        elif path.startswith(PATH_SEPARATOR, i):
            names.append("".join(current))
            current = []
            i += len(PATH_SEPARATOR)
        else:
            current.append(path[i])
            i += 1
    names.append("".join(current))
    return names


class ExportRow(NamedTuple):
    """One coding as the segment exports write it, in their column order.

    ``start`` and ``end`` are code points of the document's stored text, end exclusive, and
    ``text`` is exactly ``stored_text[start:end]``; ``title``, ``published`` and ``outlet``
    are the document's attributes of those names (empty without one); ``created`` is ISO 8601
    UTC. ``published`` and ``outlet`` come last so that a script reading the older columns by
    position still finds them where they were.
    """

    guid: str
    document: str
    title: str
    code: str
    code_path: str
    coder: str
    start: int
    end: int
    text: str
    memo: str
    created: str
    published: str = ""
    outlet: str = ""


EXPORT_COLUMNS: tuple[str, ...] = ExportRow._fields


@dataclass(frozen=True, slots=True)
class CodebookRow:
    """A code as exports list it: its path, depth (0 at the root), definition and memo, and
    how many codings and documents it has in the whole project."""

    id: int
    guid: str
    name: str
    path: str
    depth: int
    color: str
    description: str = ""
    memo: str = ""
    codings: int = 0
    documents: int = 0


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A document as exports list it: name, length in code points and attributes (in their
    stored order)."""

    id: int
    name: str
    length: int
    attributes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


class ReportDocument(NamedTuple):
    """A document for the report: its name, title, stored text and every coding in it,
    ordered by (start, end, id)."""

    name: str
    title: str
    text: str
    spans: list[CodedSpan]


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote: the file (None when it was stopped: then nothing was written),
    the format, and how many codings (segments) it holds."""

    path: Path | None
    fmt: str
    rows: int
    stopped: bool = False

    def describe(self) -> str:
        """One short line: ``1,234 codings as XLSX``, or that it was stopped."""
        if self.stopped:
            return "stopped; nothing was written"
        return f"{self.rows:,} coding{'' if self.rows == 1 else 's'} as {self.fmt.upper()}"
