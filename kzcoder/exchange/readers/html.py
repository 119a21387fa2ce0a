"""Web pages (``.html``, ``.htm``, ``.xhtml``): the article's main text, found by trafilatura.

A saved news page holds the article and much else: the menu, a cookie banner, share buttons,
ads, "related articles", reader comments. The stored text is the article alone, one paragraph
per block, as trafilatura extracts it (why trafilatura and these options:
docs/formats_html.md). The page's own metadata gives the attributes ``title``, ``published``
(YYYY-MM-DD), ``outlet`` (the site's name) and ``author``.

The bytes are decoded as a browser does: a BOM first, then the charset the page declares
(``<meta charset>``, ``<meta http-equiv="Content-Type">`` or the XML declaration), and a page
that declares none as plain text is (UTF-8, else detected, with a warning naming the guess).

``body_text`` is the other way to read HTML, for a book's chapters (``epub``): every
paragraph of the body, nothing judged as boilerplate.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers.common import iso_date, join_blocks, set_attribute
from kzcoder.exchange.readers.registry import ReadDocument, Reader
from kzcoder.exchange.text_reader import decode_bytes

#: Less article text than this (characters) is a page without an article: trafilatura,
#: given a section front or an error page, returns a leftover like "Loading…".
MIN_ARTICLE_CHARS = 80

# Precision over recall, no comments, no tables (on news sites mostly link lists), no
# fallback extractors (fast: a third of the time, the same text on news pages); dates only
# from markup that states one (meta, JSON-LD, <time>, URL), never guessed from "© 2022".
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "fast": True, "favor_precision": True, "include_comments": False, "include_tables": False,
    "include_images": False, "include_links": False, "include_formatting": False,
    "with_metadata": True,
    "date_extraction_params": {"original_date": True, "extensive_search": False},
}

#: Inline "read also: <link>" paragraphs inside an article, removed before extraction: a p,
#: div or li holding a link, under 300 characters, whose text starts with one of these labels.
READ_ALSO = ("read also", "read more", "also read", "see also", "related:", "recommended:",
             "читайте также", "читайте по теме", "смотрите также", "по теме:",
             "сондай-ақ оқыңыз", "оқи отырыңыз")
_READ_ALSO_MAX = 300

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
# Each piece parses one way only (no "-->" inside a comment), so a failed match is linear.
_SIGNATURE = re.compile(r"\s*(?:(?:<\?xml[^>]*>|<!--(?:(?!-->).)*-->)\s*)*"
                        r"(?:<!doctype\s+html|<html[\s>/])", re.IGNORECASE | re.DOTALL)
_DECLARED = re.compile(rb"""<meta\b[^>]{0,1024}?\bcharset\s*=\s*["']?\s*([\w.:-]+)"""
                       rb"""|^\s*<\?xml[^>]{0,1024}?\bencoding\s*=\s*["']([\w.:-]+)""",
                       re.IGNORECASE)
_PRESCAN = 4096  # bytes searched for a declared charset (browsers: 1024, some pages need more)
# Labels whose browser meaning differs from Python's codec (WHATWG Encoding Standard).
_LABELS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
           "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "l1": "cp1252",
           "x-mac-cyrillic": "mac_cyrillic", "x-mac-roman": "mac_roman", "gb2312": "gb18030",
           "gbk": "gb18030", "tis-620": "cp874", "euc-kr": "cp949", "shift_jis": "cp932"}
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")


def sniff(head: bytes) -> bool:
    """True when *head* starts, after an optional BOM, white space, XML declaration or
    comments, with ``<!doctype html`` or ``<html`` (in any case)."""
    text = None
    for bom, codec in _BOMS:
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, errors="ignore")
            break
    if text is None:
        text = head.decode("latin-1")
    return _SIGNATURE.match(text) is not None


def decode_markup(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """(markup, encoding, warnings) of a page's *data*: by its BOM, else the charset it
    declares, else as plain text is decoded. A leading XML declaration is removed."""
    encoding, warnings = None, ()
    for bom, codec in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):], codec
            break
    else:
        label = _declared_charset(data)
        if label is not None and (encoding := _codec(label)) is None:
            warnings = (f"{name}: declares the unknown charset {label!r}",)
    text = None
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding != "utf-8":
                text = data.decode(encoding, errors="replace")
                warnings = (f"{name}: {text.count(chr(0xFFFD))} character(s) are not valid "
                            f"{encoding} and show as \ufffd",)
    if text is None:  # no charset declared, or UTF-8 declared wrongly: as plain text is
        decoded = decode_bytes(data, name)
        if encoding == "utf-8":
            warnings += (f"{name}: declares UTF-8 but is not UTF-8; read as "
                         f"{decoded.encoding}",)
        text, encoding, warnings = decoded.text, decoded.encoding, warnings + decoded.warnings
    return _XML_DECLARATION.sub("", text, count=1), encoding, warnings


def extract_article(markup: str) -> Any:
    """trafilatura's Document for *markup* (``.body``, ``.title``, ``.date``…), or None."""
    import trafilatura

    tree = _deep_tree(markup)
    if tree is None:
        tree = trafilatura.load_html(markup)
    if tree is None:
        return None
    for element in _read_also(tree):
        element.drop_tree()  # its tail text stays
    return trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)


#: libxml2 stops building a tree this deep and silently drops the rest of the page (a page
#: nested deeper than 256 levels lost the rest of its article); with its "huge" option it goes
#: to 2048. Deeper is refused, with this reason, never cut.
MAX_DEPTH = 2048
_TOO_DEEP = "Excessive depth in document"


def _too_deep(parser: Any) -> bool:
    return any(_TOO_DEEP in entry.message for entry in parser.error_log)


def _depth_error(name: str = "") -> KzError:
    who = f"{name}: " if name else ""
    return KzError(f"{who}nested more than {MAX_DEPTH} elements deep; its text would be cut "
                   "there, so it was not imported")


def _huge_parser() -> Any:
    from lxml import html as lxml_html

    # trafilatura's own parser's options, with libxml2's depth limit raised to MAX_DEPTH
    return lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                remove_comments=True, remove_pis=True, huge_tree=True)


def _deep_tree(markup: str) -> Any:
    """None for a page libxml2 reads whole by default (trafilatura parses it as it always
    does); for a deeper one, its whole tree, parsed with ``huge_tree``; KzError if it is
    deeper than even that allows."""
    from lxml import etree
    from lxml import html as lxml_html

    probe = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    data = markup.encode("utf-8", errors="replace")
    try:
        lxml_html.document_fromstring(data, parser=probe)
    except etree.ParserError:
        return None
    if not _too_deep(probe):
        return None
    parser = _huge_parser()
    tree = lxml_html.document_fromstring(data, parser=parser)
    if _too_deep(parser):
        raise _depth_error()
    return tree


def _read_also(tree: Any) -> list[Any]:
    """The inline "read also" elements of *tree* (see ``READ_ALSO``); the label is the
    element's leading text or its first child's (``<strong>Read also:</strong> <a>…``)."""
    found = []
    for element in tree.iter("p", "div", "li"):
        lead = element.text if element.text and element.text.strip() else (
            element[0].text if len(element) else None)
        if (lead and " ".join(lead.split()[:3]).lower().startswith(READ_ALSO)
                and element.find(".//a") is not None
                and len(element.text_content()) < _READ_ALSO_MAX):
            found.append(element)
    return found


def article_blocks(document: Any) -> list[str]:
    """The paragraphs (headings, quotes, list items) of a trafilatura Document, in order; a
    list item is a paragraph of its own, without the "- " trafilatura's text puts before it
    (as ``body_text`` reads lists)."""
    from trafilatura.xml import xmltotxt

    if document is None or document.body is None:
        return []
    blocks = []
    for block in document.body:
        items = block.findall("item") if block.tag == "list" else ()
        blocks.extend(xmltotxt(part, False).removeprefix("- ") for part in items or (block,))
    return blocks


def read(path: Path) -> ReadDocument:
    """Read the article of the web page *path*; KzError naming the file if it has none."""
    markup, encoding, warnings = decode_markup(path.read_bytes(), path.name)
    try:
        document = extract_article(markup)
    except KzError as exc:
        raise KzError(f"{path.name}: {exc}") from exc
    text = join_blocks(article_blocks(document))
    if len("".join(text.split())) < MIN_ARTICLE_CHARS:
        raise KzError(f"{path.name}: no article text found in this web page")
    attributes: dict[str, str] = {}
    set_attribute(attributes, "title", document.title)
    set_attribute(attributes, "published", iso_date(document.date))
    set_attribute(attributes, "outlet", document.sitename)
    set_attribute(attributes, "author", document.author)
    return ReadDocument(text, encoding, attributes, warnings)


_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
_SPACES = re.compile(r"[ \t\n\r\f]+")


def body_text(markup: str) -> str:
    """Every paragraph of *markup*'s body, in document order, joined with a blank line: each
    block element (p, h1-h6, li, div…) a paragraph, ``<br>`` a line break, white space
    collapsed as a browser shows it (``<pre>`` kept as written); no boilerplate judged."""
    from lxml import etree
    from lxml import html as lxml_html

    if not markup.strip():
        return ""
    parser = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:  # as UTF-8 bytes: lxml refuses text that declares an encoding
        root = lxml_html.document_fromstring(markup.encode("utf-8", errors="replace"),
                                             parser=parser)
    except etree.ParserError:  # nothing but comments or white space
        return ""
    if _too_deep(parser):
        raise _depth_error()
    blocks: list[str] = []
    line: list[str] = []

    def flush() -> None:
        blocks.append("\n".join(part.strip(" ") for part in "".join(line).split("\n")))
        line.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag.rpartition("}")[2].lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if not tag or tag in _SKIPPED_TAGS or tag == "pre":
                if tag == "pre":
                    flush()
                    blocks.append("".join(element.itertext()))
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            elif tag == "br":
                line.append("\n")
            line.append(_SPACES.sub(" ", element.text or ""))
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if element.tail and element is not root:
                line.append(_SPACES.sub(" ", element.tail))
    flush()
    return join_blocks(blocks)


def _declared_charset(data: bytes) -> str | None:
    found = _DECLARED.search(data[:_PRESCAN])
    if found is None:
        return None
    return (found.group(1) or found.group(2)).decode("ascii").lower()


def _codec(label: str) -> str | None:
    """The Python codec a browser uses for the charset *label*; UTF-16/32 declared inside
    an ASCII-compatible file (no BOM) means UTF-8, as in browsers."""
    label = _LABELS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


READER = Reader("Web page", {".html", ".htm", ".xhtml"}, read, sniff, media_type="text/html")
