"""Pseudonymisation: replacing terms (names of people, places...) by stand-ins in texts, with
every offset into a text shifted exactly.

A term matches whole words only (no word character just before or after it) and, by default,
with its exact case. Longer terms win over shorter ones they contain ("Anna Petrova" before
"Anna"). Terms without a replacement get ``[Person 1]``, ``[Person 2]``... in the order of
the terms file. Variant groups (spellings of one name) share the replacement of the term they
hold. All offsets are code points, end exclusive.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kzcoder.core.errors import KzError

AUTO_REPLACEMENT = "[Person {}]"


class TermsError(KzError):
    """The terms file or the terms are not usable (the command line exits 2)."""


@dataclass(frozen=True)
class Edit:
    """One replacement in a text: ``[start, end)`` of the old text became
    ``[new_start, new_end)`` of the new one."""

    start: int
    end: int
    new_start: int
    new_end: int


def read_terms_csv(data: bytes, name: str = "TERMS.csv") -> list[tuple[str, str]]:
    """``(term, replacement)`` rows of a terms file: UTF-8 CSV with a header ``term`` and,
    optionally, ``replacement`` (empty: one is made). TermsError (one line naming *name*) if
    it is not such a file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TermsError(f"{name}: not a CSV file (not UTF-8 text)") from None
    if "\x00" in text:
        raise TermsError(f"{name}: not a CSV file (binary data)")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise TermsError(f"{name}: not a CSV file ({exc})") from None
    if not rows or [cell.strip().lower() for cell in rows[0]][:1] != ["term"]:
        raise TermsError(f"{name}: the first line must be the header 'term,replacement'")
    header = [cell.strip().lower() for cell in rows[0]]
    if header not in (["term"], ["term", "replacement"]):
        raise TermsError(f"{name}: the header must be 'term,replacement', not "
                         f"{','.join(rows[0])!r}")
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise TermsError(f"{name}, line {number}: {len(row)} fields, expected at most "
                             f"{len(header)}")
        term = row[0].strip()
        if not term:
            raise TermsError(f"{name}, line {number}: the term is empty")
        found.append((term, row[1].strip() if len(row) > 1 else ""))
    if not found:
        raise TermsError(f"{name}: no terms")
    return found


@dataclass
class Pseudonymiser:
    """Replaces the terms it was given in any text, and counts what it replaced."""

    replacements: dict[str, str]
    ignore_case: bool = False
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        ordered = sorted(self.replacements, key=lambda term: (-len(term), term))
        self._by_folded = {self._fold(term): term for term in ordered}
        self._pattern = re.compile(
            "|".join(self._whole_word(term) for term in ordered),
            re.IGNORECASE if self.ignore_case else 0)

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[str, str]], *,
                  variants: Iterable[Sequence[str]] = (), ignore_case: bool = False
                  ) -> Pseudonymiser:
        """From ``(term, replacement)`` rows (see ``read_terms_csv``) and, optionally, groups
        of variants of one term (issue 22's variant groups): every variant in a group with a
        term is replaced as that term is. TermsError for a term given twice or a replacement
        that is itself a term."""
        replacements: dict[str, str] = {}
        number = 0
        for term, replacement in rows:
            if term in replacements:
                raise TermsError(f"the term {term!r} is given twice")
            if not replacement:
                number += 1
                replacement = AUTO_REPLACEMENT.format(number)
            replacements[term] = replacement
        for group in variants:
            known = [replacements[v] for v in group if v in replacements]
            if known:
                for variant in group:
                    replacements.setdefault(variant, known[0])
        folded = {t.casefold() if ignore_case else t for t in replacements}
        for term, replacement in replacements.items():
            check = replacement.casefold() if ignore_case else replacement
            if check in folded:
                raise TermsError(f"the replacement {replacement!r} of {term!r} is itself a "
                                 "term")
            for other in folded:  # a replacement must not bring a term back in
                if re.search(cls._whole_word(other), check):
                    raise TermsError(f"the replacement {replacement!r} of {term!r} contains "
                                     f"the term {other!r}")
        return cls(replacements, ignore_case)

    @staticmethod
    def _whole_word(term: str) -> str:
        before = r"(?<!\w)" if re.match(r"\w", term[0]) else ""
        after = r"(?!\w)" if re.match(r"\w", term[-1]) else ""
        return f"{before}{re.escape(term)}{after}"

    def _fold(self, text: str) -> str:
        return text.casefold() if self.ignore_case else text

    def _term_of(self, found: str) -> str:
        if not self.ignore_case:
            return found
        return self._by_folded.get(found.casefold()) or next(
            t for t in self.replacements if t.casefold() == found.casefold())

    def replace(self, text: str) -> tuple[str, list[Edit]]:
        """*text* with every term replaced, and the edits made (in order)."""
        if not text or not self.replacements:
            return text, []
        pieces: list[str] = []
        edits: list[Edit] = []
        last = shift = 0
        for match in self._pattern.finditer(text):
            term = self._term_of(match.group())
            replacement = self.replacements[term]
            self.counts[term] += 1
            pieces.append(text[last:match.start()])
            pieces.append(replacement)
            start = match.start() + shift
            edits.append(Edit(match.start(), match.end(), start, start + len(replacement)))
            shift += len(replacement) - (match.end() - match.start())
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces), edits

    def text(self, text: str) -> str:
        """*text* with every term replaced (names, attributes, memos)."""
        return self.replace(text)[0]


class OffsetMap:
    """Where offsets of an old text are in the new one, given the edits that made it."""

    def __init__(self, edits: list[Edit]) -> None:
        self._edits = edits
        self._starts = [edit.start for edit in edits]

    def start(self, offset: int) -> int:
        """The new offset of a span starting at *offset* (inside a replaced term: the start
        of its replacement, so the span still covers it)."""
        return self._map(offset, at_end=False)

    def end(self, offset: int) -> int:
        """The new offset of a span ending at *offset* (inside a replaced term: the end of
        its replacement)."""
        return self._map(offset, at_end=True)

    def _map(self, offset: int, *, at_end: bool) -> int:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        edit = self._edits[index]
        if offset == edit.start:
            return edit.new_start
        if offset < edit.end:
            return edit.new_end if at_end else edit.new_start
        return offset + edit.new_end - edit.end
