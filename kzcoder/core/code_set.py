"""The record of a code set: a named group of codes apart from the code tree (MAXQDA's and
ATLAS.ti's code groups, REFI-QDA's ``Set`` of ``MemberCode``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodeSetInfo:
    """A code set; ``codes`` are its member codes' ids, in codebook order, and ``paths``
    their paths of names (``Parent / Child``) in the same order."""

    id: int
    guid: str
    name: str
    description: str
    codes: tuple[int, ...]
    paths: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """The set as ``kzcoder codeset list --json`` writes it."""
        return {"name": self.name, "description": self.description, "codes": list(self.paths)}
