"""The sample project coded by keywords (a test helper): every sentence holding a keyword gets
that keyword's code, so sentences carry several codes and codings overlap. ``Shooting`` is a
sub-code of ``Force`` (roll-up)."""

from __future__ import annotations

import re

KEYWORDS = {
    "State justification": r"\b(terrorist\w*|bandit\w*|order|lawful\w*)\b",
    "Dissent": r"\b(protest\w*|demonstrat\w*|strike\w*)\b",
    "Force": r"\b(forces?|troops|police|detain\w*)\b",
    "Shooting": r"\b(shoot\w*|fired?|shots?|kill\w*)\b",
    "International reaction": r"\b(OSCE|UN|EU|CSTO|United Nations|Russia\w*)\b",
}
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def code_by_keywords(project, coder: str = "ana") -> int:  # noqa: ANN001
    """Add the codings (and the sub-code ``Shooting`` under ``Force``); returns how many."""
    from kzcoder.services import documents
    from kzcoder.services.codebook.editing import add_code, list_codes
    from kzcoder.services.codings import add_codings

    add_code(project, "Shooting", "#D55E00", parent="Force")
    codes = {c.name: c.id for c in list_codes(project)}
    items = []
    for info in documents.list_documents(project):
        text = documents.document_text(project, info.id)
        for sentence in SENTENCE.finditer(text):
            for name, pattern in KEYWORDS.items():
                if re.search(pattern, sentence.group(), re.IGNORECASE):
                    start, end = sentence.span()
                    items.append((info.id, codes[name], start, end))
    return add_codings(project, items, coder=coder)
