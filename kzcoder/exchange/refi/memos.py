"""Memos in both of REFI-QDA's forms, and back into one.

A memo of a document, code or coding goes out twice: as a ``Note`` referred to by a
``NoteRef`` (what the standard means, and what kzcoder, ATLAS.ti and NVivo read) and as the
element's ``Description`` (what QualCoder and others read as the memo). A code's
``Description`` is already its definition, so its memo follows the definition under
``MEMO_HEADING``. Reading, both forms are gathered and ``richest`` keeps each text once.
"""

from __future__ import annotations

#: what separates a code's definition from its memo in the code's ``Description``
MEMO_HEADING = "\u2014 Memo \u2014"
_MARK = f"\n\n{MEMO_HEADING}\n"


def code_description(definition: str, memo: str) -> str:
    """A code's ``Description``: its definition, then its memo under ``MEMO_HEADING``."""
    if not memo:
        return definition
    return f"{definition}{_MARK}{memo}" if definition else f"{MEMO_HEADING}\n{memo}"


def split_code_description(text: str) -> tuple[str, str]:
    """(definition, memo) of a code's ``Description`` written by ``code_description`` (the
    whole text is the definition when it has no memo heading)."""
    if text.startswith(f"{MEMO_HEADING}\n"):
        return "", text[len(MEMO_HEADING) + 1:]
    definition, found, memo = text.rpartition(_MARK)
    return (definition, memo) if found else (text, "")


def richest(*texts: str) -> str:
    """The memo that *texts* (the same memo read from several places) make: each text once,
    a text contained in another left out, the rest joined by a blank line, in order."""
    kept: list[str] = []
    for text in texts:
        if not text or any(text in other for other in kept):
            continue
        kept = [other for other in kept if other not in text]
        kept.append(text)
    return "\n\n".join(kept)
