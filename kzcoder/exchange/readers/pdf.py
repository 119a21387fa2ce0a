"""PDF (``.pdf``): the text layer, read with PDFium (pypdfium2), pages joined by a blank line.

PDFium gives a page's text in reading order as lines. The lines are joined into paragraphs
by their geometry: a paragraph ends where the next line starts after more than the usual line
spacing, where it starts indented, or where the line ends early although the next line's first
word would have fitted after it. Lines of one paragraph are joined with a space, except after
a hyphen at a line end, which stays as the PDF has it (``Rus-`` newline ``sian``): whether it
belongs to the word cannot be told safely. Characters from the Private Use Area (list bullets
drawn from symbol fonts) are dropped; ligature glyphs become their letters (``tidy_text``).

The comparison with pypdf and pdfminer.six that chose PDFium is in docs/formats_office.md.
"""

from __future__ import annotations

import re
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers.common import iso_date, join_blocks, require_text, set_attribute
from kzcoder.exchange.readers.registry import ReadDocument, Reader

#: PDFium must not be called from two threads at once (pypdfium2's documentation).
_PDFIUM_LOCK = threading.Lock()
_LINES = re.compile(r"[^\r\n\ufffe]*(?:\ufffe|\r\n|\r|\n)|[^\r\n\ufffe]+$")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# PDFium's load error codes (FPDF_ERR_*) and what they mean to the user
_LOAD_ERRORS = {2: "cannot be opened", 3: "is damaged or not a PDF",
                4: "is encrypted: remove the password and import it again",
                5: "is encrypted in a way kzcoder cannot open: remove the encryption and "
                   "import it again"}


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    left: float
    right: float
    bottom: float
    size: float  # the font size of its first glyph


def sniff(head: bytes) -> bool:
    """A PDF header (``%PDF-``) within the first 1024 bytes (some writers put junk first)."""
    return b"%PDF-" in head[:1024]


def read(path: Path) -> ReadDocument:
    """The text layer of the PDF at *path* with its title, author and creation date.

    Raises KzError (one line naming the file) for an encrypted PDF that needs a password, a
    damaged file and a PDF without any text (a scan). Pages without text are warned about.
    """
    with _PDFIUM_LOCK:
        attributes, pages = _read_pages(path)
    text = require_text(join_blocks(pages), path.name, "no text layer: run OCR first")
    empty = [str(number + 1) for number, page in enumerate(pages) if not page.strip()]
    warnings = ()
    if empty:
        shown = ", ".join(empty[:10]) + (" …" if len(empty) > 10 else "")
        warnings = (f"{path.name}: {len(empty)} of {len(pages)} pages have no text layer "
                    f"(scanned?) and are missing: page {shown}",)
    return ReadDocument(text, "PDF", attributes, warnings)


def _read_pages(path: Path) -> tuple[dict[str, str], list[str]]:
    """The attributes and each page's text of the PDF at *path*."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = _LOAD_ERRORS.get(exc.err_code or 0, f"cannot be read as PDF ({exc})")
        raise KzError(f"{path.name}: {reason}") from exc
    try:
        attributes = _attributes(document.get_metadata_dict(skip_empty=True))
        pages = []
        for number in range(len(document)):
            try:
                pages.append(_page_text(document, number))
            except pdfium.PdfiumError as exc:
                raise KzError(f"{path.name}: is damaged: page {number + 1} cannot be read "
                              f"({exc})") from exc
    finally:
        document.close()
    return attributes, pages


def _attributes(info: dict[str, str]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    set_attribute(attributes, "title", info.get("Title"))
    set_attribute(attributes, "author", info.get("Author"))
    set_attribute(attributes, "published", iso_date(info.get("CreationDate")))
    return attributes


def _page_text(document, number: int) -> str:
    """One page's text: paragraphs separated by a blank line."""
    from pypdfium2 import raw as pdfium_c

    page = document[number]
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
        if len(raw) != textpage.count_chars():  # characters beyond 16 bits: no geometry
            return _PRIVATE_USE.sub("", raw.replace("\ufffe", "-\n"))
        lines = [line for match in _LINES.finditer(raw)
                 if (line := _line(textpage, pdfium_c, raw, match.start(), match.end()))]
    finally:
        textpage.close()
        page.close()
    return "\n\n".join(_paragraphs(lines))


def _line(textpage, pdfium_c, raw: str, start: int, end: int) -> _Line | None:
    """The line of *raw* between *start* and *end* with the box of its first and last glyph."""
    piece = raw[start:end]
    text = _PRIVATE_USE.sub("", piece.replace("\ufffe", "-")).strip()
    if not text:
        return None
    first = start + len(piece) - len(piece.lstrip())
    last = start + len(piece.rstrip()) - 1
    left, bottom, _, top = textpage.get_charbox(first, loose=True)
    right = textpage.get_charbox(last, loose=True)[2]
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first) or top - bottom
    return _Line(text, left, right, bottom, max(size, 1.0))


def _paragraphs(lines: list[_Line]) -> list[str]:
    """*lines* grouped into paragraphs by their geometry, each paragraph's lines joined."""
    if not lines:
        return []
    # the usual line spacing per point of type size (bigger type is spaced more widely)
    steps = [_step(above, below) for above, below in zip(lines, lines[1:], strict=False)]
    pitch = statistics.median([step for step in steps if step > 0.5] or [0.0])
    margin = statistics.mode(round(line.left) for line in lines)  # where most lines start
    # the right margin: the longest line but for a few reaching far out (a URL, a wide table)
    rights = sorted(line.right for line in lines)
    typical = rights[int(0.9 * (len(rights) - 1))]
    right = max(edge for edge in rights if edge <= typical + 0.05 * (typical - margin))
    paragraphs: list[str] = []
    current = lines[0].text
    for above, below in zip(lines, lines[1:], strict=False):
        if _breaks(above, below, pitch, margin, right):
            paragraphs.append(current)
            current = below.text
        else:
            current += ("\n" if current.endswith("-") else " ") + below.text
    paragraphs.append(current)
    return paragraphs


def _step(above: _Line, below: _Line) -> float:
    """How far *below* is under *above*, in units of the larger type size."""
    return (above.bottom - below.bottom) / max(above.size, below.size)


def _breaks(above: _Line, below: _Line, pitch: float, margin: float, right: float) -> bool:
    """Whether a paragraph ends between the lines *above* and *below*."""
    step = _step(above, below)
    if step < -0.5:  # back up the page: a new column or a block placed apart
        return True
    if step <= 0.5:  # on the same baseline: pieces of one line
        return False
    if step > 1.25 * pitch:  # more than the usual line spacing
        return True
    if below.left - margin > 0.5 * below.size >= above.left - margin:  # first-line indent
        return True
    first_word = below.text.split(" ", 1)[0]
    width = (below.right - below.left) * (len(first_word) + 1) / max(len(below.text), 1)
    return above.right + 1.15 * width < right  # the next word would have fitted: a forced end


READER = Reader("PDF", frozenset({".pdf"}), read, sniff, media_type="application/pdf")
