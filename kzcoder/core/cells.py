"""Text made safe for a spreadsheet cell.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and some
take a leading tab or carriage return as a way to hide one): a segment of a news article
that says ``=HYPERLINK("http://...")`` must stay text. ``neutralise`` applies OWASP's rule
against CSV injection: such a cell gets a leading apostrophe, which spreadsheets take as "this
is text" and do not show; nothing else is altered. Exports apply it to every text cell of CSV
and XLSX, never to numbers, and not to JSON (which no spreadsheet runs).
"""

from __future__ import annotations

#: the first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(value: str) -> str:
    """*value* with a leading apostrophe if it begins with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return; otherwise *value* itself, unaltered."""
    return "'" + value if value[:1] in FORMULA_STARTS else value

