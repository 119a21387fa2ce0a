"""A project as one self-contained HTML report: inline CSS, no script, no external resource,
so that it opens in any browser and can be mailed or archived as it is.

Three parts:

1. the codebook: each code's colour swatch, path, definition, memo and counts;
2. each document with its coded text: the text is cut into runs at every start and end of a
   coding, and each run covered by codings carries one coloured bar per coding under the text
   (a coding keeps its bar's height from its start to its end, so nested and overlapping
   codings show as stacked underlines), a light tint of the innermost coding's colour, and a
   tooltip listing the codes covering it; a legend of the document's codes comes first;
3. the segments grouped by code, each with its document, coder, offsets and memo.

Everything taken from the project is escaped with ``html.escape``. Work and size are linear
in the text shown and the codings (lanes and runs cost O(n log n) in a document's codings).
Limits keep a big project's report readable (``ReportLimits``): a document's text is shown up
to ``text_per_document`` code points and all documents' together up to ``text_total`` (after
that a document is listed with its counts only); at most ``bars`` stacked bars are drawn (the
tooltip still names every code); the segments section shows ``segments_per_code`` segments
of each code, each text up to ``segment_chars``, and says how many more there are.
"""

from __future__ import annotations

import heapq
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from kzcoder.core.export_records import CodebookRow, ReportDocument
from kzcoder.core.records import CodedSpan

GAP = 4  # px between the tops of two stacked bars (a bar is 3 px high)
_COLOR = re.compile("#[0-9A-Fa-f]{6}")
TINT_ALPHA = "38"  # the tint's opacity, as two hex digits of #RRGGBBAA


@dataclass(frozen=True, slots=True)
class ReportLimits:
    """How much of a big project the report shows (see the module docstring)."""

    text_per_document: int = 200_000
    text_total: int = 1_000_000
    bars: int = 6
    segments_per_code: int = 300
    segment_chars: int = 2_000


def ink_for(color: str) -> str:
    """Black or white, whichever reads better on *color* (``#RRGGBB``)."""
    red, green, blue = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
              for c in (red, green, blue)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.18 else "#FFFFFF"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
 margin:0 auto;max-width:62rem;padding:1.5rem 2rem 4rem;color:#1d1d1f;background:#fff}
h1{font-size:1.7rem;margin:0 0 .2rem}
h2{font-size:1.3rem;border-bottom:2px solid #ddd;padding-bottom:.2rem;margin:2.4rem 0 .8rem}
h3{font-size:1.05rem;margin:1.6rem 0 .3rem}
nav a,a{color:#0b5cad}
.meta{color:#555;font-size:.88rem}
.toc{columns:2 24rem;font-size:.85rem;color:#555;margin:0}
.note{color:#8a5a00;font-size:.88rem}
.sw{display:inline-block;width:.95em;height:.95em;border-radius:3px;vertical-align:-.12em;
 margin-right:.4em;border:1px solid rgba(0,0,0,.3)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #e6e6e6}
th{border-bottom:2px solid #ccc}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pre{white-space:pre-wrap}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.85rem;margin:.3rem 0 .6rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font:16px/1.5 Georgia,"Noto Serif",serif;
 border:1px solid #e3e3e3;border-radius:4px;padding:.8rem 1rem;background:#fdfdfd}
.text span{padding-bottom:var(--p);background-image:linear-gradient(var(--c),var(--c)),
 linear-gradient(var(--tt,transparent),var(--tt,transparent));background-repeat:no-repeat;
 background-clip:padding-box,content-box;background-size:100% 3px,100% 100%;
 -webkit-box-decoration-break:clone;box-decoration-break:clone}
.text span.t{--tt:var(--t)}
.lx{background-size:0 0,100% 100%!important}
.seg{margin:.3rem 0 .9rem}
.seg blockquote{margin:0;padding:.35rem .8rem;border-left:5px solid var(--c);
 background:#f6f6f6;white-space:pre-wrap;overflow-wrap:anywhere}
.memo{white-space:pre-wrap;font-style:italic;color:#333;margin-top:.15rem}
.memo b{font-style:normal;font-size:.8rem;color:#666;margin-right:.3em}
td.code{min-width:11em}
dl.attrs{display:grid;grid-template-columns:max-content 1fr;gap:0 .8rem;font-size:.85rem;
 margin:.2rem 0 .5rem}
dl.attrs dt{color:#666}
dl.attrs dd{margin:0}
.legend a,td.code a{color:inherit;text-decoration:none}
"""


def write_report(path: Path, title: str, codebook: Sequence[CodebookRow],
                 documents: Iterable[ReportDocument], document_names: Sequence[str],
                 limits: ReportLimits = ReportLimits(), *, project_memo: str = "",
                 document_groups: Sequence[str] | None = None,
                 document_attributes: Sequence[Mapping[str, str]] | None = None) -> int:
    """Write the report of a project named *title* to *path*: its *project_memo*, *codebook*
    in its order, then *documents* (read one at a time; *document_names* are theirs, in the
    same order, for the contents, which *document_groups* (one label each, e.g. a year)
    divides into groups; *document_attributes*, in the same order, are listed under each
    document's heading). Returns how many documents were written."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        report = _Report(out, codebook, limits)
        report.project_memo = project_memo
        report.groups = document_groups
        report.attributes = document_attributes
        return report.write(title, documents, document_names)


class _Report:
    def __init__(self, out: TextIO, codebook: Sequence[CodebookRow],
                 limits: ReportLimits) -> None:
        codebook = [code if _COLOR.fullmatch(code.color) else replace(code, color="#999999")
                    for code in codebook]  # a colour goes into CSS as it is: check it
        self.out, self.codebook, self.limits = out, codebook, limits
        self.codes = {code.id: code for code in codebook}
        self.order = {code.id: place for place, code in enumerate(codebook)}
        self.shown_text = 0
        self.project_memo = ""
        self.groups: Sequence[str] | None = None
        self.attributes: Sequence[Mapping[str, str]] | None = None
        #: code id -> (document, coder, start, end, text, memo) of the segments shown
        #: code id -> (document number, name, coder, start, end, text, memo) of those shown
        self.segments: dict[int, list[tuple[int, str, str, int, int, str, str]]] = {
            code.id: [] for code in codebook}

    def write(self, title: str, documents: Iterable[ReportDocument],
              document_names: Sequence[str]) -> int:
        w = self.out.write
        codings = sum(code.codings for code in self.codebook)
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        w(f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
          f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
          f"<title>{_e(title)} — coding report</title>\n<style>{CSS}{self._code_css()}</style>\n"
          "</head>\n<body>\n"
          f"<h1>{_e(title)}</h1>\n<p class=\"meta\">Coding report made by kzcoder on {when}: "
          f"{_plural(len(document_names), 'document')}, {_plural(len(self.codebook), 'code')}, "
          f"{_plural(codings, 'coding')}. Offsets are code points of the stored text.</p>\n"
          '<nav><a href="#codebook">Codebook</a> · <a href="#documents">Documents</a> · '
          '<a href="#segments">Segments by code</a></nav>\n')
        if self.project_memo.strip():
            w(f'<h2 id="memo">Project memo</h2>\n<div class="pre">{_e(self.project_memo)}'
              "</div>\n")
        self._codebook()
        self._contents(document_names)
        count = 0
        for count, document in enumerate(documents, start=1):
            self._document(count, document)
        self._segments()
        w("</body>\n</html>\n")
        return count

    def _code_css(self) -> str:
        """A class per code (its bar's and tint's colours) and per lane (its bar's height)."""
        lanes = "".join(f".l{lane}{{background-position:0 calc(100% - {lane * GAP}px),0 0}}\n"
                        for lane in range(self.limits.bars))
        return lanes + "".join(f".c{code.id}{{--c:{code.color};--t:{code.color}{TINT_ALPHA}}}\n"
                               for code in self.codebook)

    def swatch(self, code: CodebookRow) -> str:
        return f'<span class="sw" style="background:{_e(code.color)}"></span>'

    def _codebook(self) -> None:
        w = self.out.write
        w('<h2 id="codebook">Codebook</h2>\n')
        if not self.codebook:
            w('<p class="meta">No codes.</p>\n')
            return
        memos = any(code.memo for code in self.codebook)  # no empty column
        w("<table>\n<tr><th>Code</th><th>Definition</th>" + ("<th>Memo</th>" if memos else "")
          + '<th class="n">Codings</th><th class="n">Documents</th></tr>\n')
        for code in self.codebook:
            w(f'<tr><td class="code" style="padding-left:{0.5 + 1.2 * code.depth:.1f}em">'
              f'<a href="#code-{code.id}">{self.swatch(code)}{_e(code.name)}</a>'
              f'<div class="meta">{_e(code.color)}</div></td>'
              f'<td class="pre">{_e(code.description)}</td>'
              + (f'<td class="pre">{_e(code.memo)}</td>' if memos else "")
              + f'<td class="n">{code.codings:,}</td><td class="n">{code.documents:,}</td></tr>\n')
        w("</table>\n")

    def _contents(self, names: Sequence[str]) -> None:
        """The documents' list, in groups when there are any (in the groups' order)."""
        w = self.out.write
        w('<h2 id="documents">Documents</h2>\n')
        numbered = list(enumerate(names, start=1))
        groups = self.groups
        if groups is None:
            parts = [(None, numbered)]
        else:
            keys = sorted(set(groups), key=lambda g: (g == "", g))  # the unlabelled last
            parts = [(key, [(i, n) for i, n in numbered if groups[i - 1] == key])
                     for key in keys]
        for key, items in parts:
            if key is not None:
                w(f"<h3>{_e(key or '(none)')} ({len(items)})</h3>\n")
            w('<ol class="toc">\n' + "".join(
                f'<li value="{i}"><a href="#doc-{i}">{_e(name)}</a></li>\n'
                for i, name in items) + "</ol>\n")

    def _document(self, number: int, document: ReportDocument) -> None:
        w = self.out.write
        limits = self.limits
        text, spans = document.text, document.spans
        w(f'<section id="doc-{number}">\n<h3>{_e(document.name)}</h3>\n<p class="meta">'
          + (f"{_e(document.title)} · " if document.title else "")
          + f"{_plural(len(text), 'character')} · {_plural(len(spans), 'coding')}</p>\n")
        attributes = self.attributes[number - 1] if self.attributes is not None else {}
        if attributes:  # every attribute, the title too: the heading shows the file name
            w('<dl class="attrs">' + "".join(
                f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>"
                for name, value in sorted(attributes.items(), key=lambda a: a[0].casefold()))
              + "</dl>\n")
        self._collect(number, document)
        used: dict[int, int] = {}
        for span in spans:
            used[span.code_id] = used.get(span.code_id, 0) + 1
        if used:
            w('<div class="legend">' + "".join(
                f'<a href="#code-{c}">{self.swatch(self.codes[c])}{_e(self.codes[c].path)} '
                f"({n:,})</a>"
                for c, n in sorted(used.items(), key=lambda item: self.order[item[0]]))
              + "</div>\n")
        room = min(limits.text_per_document, max(0, limits.text_total - self.shown_text))
        shown = min(len(text), room)
        if shown:
            self.shown_text += shown
            self._text(text[:shown], spans)
        if shown < len(text):
            left = sum(1 for span in spans if span.end > shown)
            w(f'<p class="note">{"The rest" if shown else "The text"} of this document '
              f"({_plural(len(text) - shown, 'character')}, touched by "
              f"{_plural(left, 'coding')}) is not shown here (the report's limit); its "
              "segments are listed under their codes below.</p>\n")
        w("</section>\n")

    def _collect(self, number: int, document: ReportDocument) -> None:
        cap, chars = self.limits.segments_per_code, self.limits.segment_chars
        for span in document.spans:
            kept = self.segments.get(span.code_id)
            if kept is not None and len(kept) < cap:
                kept.append((number, document.name, span.coder, span.start, span.end,
                             document.text[span.start:min(span.end, span.start + chars)],
                             span.memo))

    def _text(self, text: str, spans: list[CodedSpan]) -> None:
        """The text cut into runs; a run covered by codings is wrapped in one span per
        coding (outermost first: the oldest), classes ``cID`` (its code) and ``lN`` (its
        lane); the innermost one, class ``t``, tints the run and its title lists the codes
        covering the run."""
        limit = len(text)
        spans = [s for s in spans if s.start < limit and s.code_id in self.codes]
        lanes = _lanes(spans)
        depth = min(self.limits.bars, max(lanes, default=-1) + 1)
        style = (f' style="--p:{depth * GAP + 1}px;line-height:calc(1.45em + {depth * GAP + 1}px)"'
                 if depth else "")
        parts = [f'<div class="text"{style}>']
        ends: dict[int, list[int]] = {}
        for index, span in enumerate(spans):
            ends.setdefault(min(span.end, limit), []).append(index)
        bounds = sorted({0, limit, *(s.start for s in spans), *ends})
        active: dict[int, None] = {}  # indexes of the spans covering the run, oldest first
        following = 0
        for left, right in zip(bounds, bounds[1:], strict=False):
            for index in ends.get(left, ()):
                active.pop(index, None)
            while following < len(spans) and spans[following].start == left:
                active[following] = None
                following += 1
            piece = _e(text[left:right])
            if not active:
                parts.append(piece)
                continue
            covering = list(active)
            names = "; ".join(dict.fromkeys(self.codes[spans[i].code_id].path
                                            for i in covering))
            classes = [f"c{spans[i].code_id} {_lane(lanes[i], self.limits.bars)}"
                       for i in covering]
            parts += [f'<span class="{c}">' for c in classes[:-1]]
            parts.append(f'<span class="t {classes[-1]}" title="{_e(names)}">{piece}'
                         + "</span>" * len(covering))
        parts.append("</div>\n")
        self.out.write("".join(parts))

    def _segments(self) -> None:
        w = self.out.write
        w('<h2 id="segments">Segments by code</h2>\n')
        for code in self.codebook:
            kept = self.segments[code.id]
            w(f'<h3 id="code-{code.id}">{self.swatch(code)}{_e(code.path)} '
              f'<span class="meta">({_plural(code.codings, "coding")} in '
              f'{_plural(code.documents, "document")})</span></h3>\n')
            for number, document, coder, start, end, text, memo in kept:
                more = "…" if len(text) < end - start else ""
                w(f'<div class="seg" style="--c:{_e(code.color)}"><blockquote>{_e(text)}{more}'
                  f'</blockquote><div class="meta"><a href="#doc-{number}">{_e(document)}</a>'
                  f" · {_e(coder)} · {start}–{end}</div>"
                  + (f'<div class="memo"><b>Memo</b> {_e(memo)}</div>' if memo else "")
                  + "</div>\n")
            if code.codings > len(kept):
                w(f'<p class="note">{_plural(code.codings - len(kept), "more coding")} of this '
                  "code are not shown here (the report's limit): export the segments as CSV "
                  "or XLSX for all of them.</p>\n")


def _lane(lane: int, bars: int) -> str:
    return f"l{lane}" if lane < bars else "lx"


def _lanes(spans: list[CodedSpan]) -> list[int]:
    """For spans ordered by start, the lane of each: the lowest not taken by a span still
    open at its start (an interval colouring, so a coding's bar keeps one height)."""
    lanes: list[int] = []
    open_spans: list[tuple[int, int]] = []  # (end, lane)
    free: list[int] = []
    top = 0
    for span in spans:
        while open_spans and open_spans[0][0] <= span.start:
            heapq.heappush(free, heapq.heappop(open_spans)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane, top = top, top + 1
        lanes.append(lane)
        heapq.heappush(open_spans, (span.end, lane))
    return lanes
