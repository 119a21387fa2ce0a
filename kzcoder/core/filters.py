"""Document filters: conditions on attributes, combined with AND, as small immutable values.

A condition is written ``ATTR=VALUE`` (equal) or ``ATTR=A..B`` (an inclusive range). An
attribute whose values in the project are all dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)
compares as dates: a partial date as a bound covers its whole year or month (``2005..2010`` runs
from 2005-01-01 to 2010-12-31, ``published=2022-01`` is all of January 2022), and a document
whose date is partial is in the range when its first day is. Other ranges compare as numbers
when both bounds are numbers, else as text. ``text~WORD`` keeps documents whose text contains
WORD (case-insensitive).

Which attributes exist and which of them are dates is known only from the project, so a
filter is *checked* against the project's attribute values (``check``) before it is applied
(``matches``): an unknown attribute or a malformed range is a ``UsageError`` naming it.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kzcoder.core.errors import UsageError

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?", re.ASCII)
#: the pseudo-attribute of a text condition: ``text~WORD``
TEXT = "text"


def date_interval(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a (partial) ISO date covers, or None if *value* is not one."""
    match = _PARTIAL_DATE.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        if day is not None:
            one = datetime.date(int(year), int(month), int(day))
            return one, one
        if month is not None:
            first = datetime.date(int(year), int(month), 1)
            last_day = calendar.monthrange(first.year, first.month)[1]
            return first, first.replace(day=last_day)
        return datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition: ``attribute`` equals ``low`` (``high`` None), lies in ``[low, high]``
    (``high`` given), or, for ``contains``, the document text contains ``low``."""

    attribute: str
    low: str
    high: str | None = None
    contains: bool = False

    @classmethod
    def parse(cls, text: str) -> Condition:
        """``ATTR=VALUE``, ``ATTR=A..B`` or ``text~WORD``; UsageError naming *text* otherwise."""
        if "=" not in text and "~" in text:
            attribute, _, word = text.partition("~")
            if attribute.strip() != TEXT or not word:
                raise UsageError(f"'{text}' is not ATTR=VALUE, ATTR=A..B or text~WORD")
            return cls(TEXT, word, contains=True)
        attribute, equals, value = text.partition("=")
        attribute = attribute.strip()
        if not equals or not attribute:
            raise UsageError(f"'{text}' is not ATTR=VALUE, ATTR=A..B or text~WORD")
        if ".." in value:
            low, _, high = value.partition("..")
            if not low.strip() or not high.strip() or ".." in high:
                raise UsageError(f"'{text}': a range is A..B with both bounds given")
            return cls(attribute, low.strip(), high.strip())
        return cls(attribute, value.strip())

    def __str__(self) -> str:
        if self.contains:
            return f"{TEXT}~{self.low}"
        if self.high is None:
            return f"{self.attribute}={self.low}"
        return f"{self.attribute}={self.low}..{self.high}"


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Conditions combined with AND; the empty filter keeps every document."""

    conditions: tuple[Condition, ...] = ()

    @classmethod
    def parse(cls, texts: Iterable[str]) -> DocumentFilter:
        """A filter from ``--where`` texts (see ``Condition.parse``)."""
        return cls(tuple(Condition.parse(t) for t in texts))

    def __bool__(self) -> bool:
        return bool(self.conditions)

    def __str__(self) -> str:
        return " AND ".join(str(c) for c in self.conditions)

    @property
    def needs_text(self) -> bool:
        """Whether ``matches`` needs the documents' texts (a ``text~WORD`` condition)."""
        return any(c.contains for c in self.conditions)

    def check(self, values: Mapping[str, Iterable[str]]) -> CheckedFilter:
        """This filter against the project's attribute *values* (name -> every value): which
        attributes are dates, and a UsageError for an unknown attribute or a malformed bound."""
        dates = {name for name, found in values.items() if _all_dates(found)}
        for condition in self.conditions:
            if condition.contains:
                continue
            if condition.attribute not in values:
                known = ", ".join(sorted(values)) or "none"
                raise UsageError(f"unknown attribute '{condition.attribute}' (known: {known})")
            bounds = [condition.low] + ([condition.high] if condition.high is not None else [])
            if condition.attribute in dates:
                for bound in bounds:
                    if date_interval(bound) is None:
                        raise UsageError(f"'{condition}': '{bound}' is not a date (YYYY, YYYY-MM "
                                         "or YYYY-MM-DD)")
                low = date_interval(condition.low)
                high = date_interval(condition.high) if condition.high is not None else low
                if low is not None and high is not None and low[0] > high[1]:
                    raise UsageError(f"'{condition}': the range is empty (its start is after its "
                                     "end)")
            elif (condition.high is not None and _numbers(condition.low, condition.high)
                  and float(condition.low) > float(condition.high)):
                raise UsageError(f"'{condition}': the range is empty (its start is after its "
                                 "end)")
        return CheckedFilter(self, frozenset(dates))


@dataclass(frozen=True, slots=True)
class CheckedFilter:
    """A filter checked against a project: it knows which attributes are dates."""

    filter: DocumentFilter
    dates: frozenset[str]

    def matches(self, attributes: Mapping[str, str], text: str | None = None) -> bool:
        """Whether a document with these *attributes* (and *text*, for ``text~WORD``) passes
        every condition."""
        return all(self._one(c, attributes, text) for c in self.filter.conditions)

    def _one(self, condition: Condition, attributes: Mapping[str, str],
             text: str | None) -> bool:
        if condition.contains:
            return text is not None and condition.low.casefold() in text.casefold()
        value = attributes.get(condition.attribute, "").strip()
        if not value:
            return False
        if condition.attribute in self.dates:
            found = date_interval(value)
            low = date_interval(condition.low)
            high = date_interval(condition.high) if condition.high is not None else low
            if found is None or low is None or high is None:
                return False
            return low[0] <= found[0] <= high[1]
        if condition.high is None:
            return value == condition.low
        if _numbers(condition.low, condition.high):
            if not _NUMBER.fullmatch(value):
                return False
            return float(condition.low) <= float(value) <= float(condition.high)
        return condition.low <= value <= condition.high


def _all_dates(values: Iterable[str]) -> bool:
    present = [v for v in values if v.strip()]
    return bool(present) and all(date_interval(v) is not None for v in present)


def _numbers(*values: str) -> bool:
    return all(_NUMBER.fullmatch(v) for v in values)


@dataclass(frozen=True, slots=True)
class DocumentSetInfo:
    """A saved document set: ``dynamic`` (its ``conditions``, as ``--where`` texts) or
    ``static`` (hand-picked); ``documents`` are its members now, in id order."""

    name: str
    kind: str
    conditions: tuple[str, ...]
    documents: tuple[int, ...]
    guid: str = ""

    def as_json(self) -> dict[str, object]:
        """``sets list --json``: name, kind, the number of documents, and what defines it."""
        return {"name": self.name, "kind": self.kind, "documents": len(self.documents),
                "where": list(self.conditions), "document_ids": list(self.documents),
                "guid": self.guid}
