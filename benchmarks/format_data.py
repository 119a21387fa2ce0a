"""Deterministic benchmark data for the rich-format readers: news pages and a text PDF.

``write_news_pages`` writes pages of about 30 KB as a news site serves them: a head with
OpenGraph metadata, a navigation menu, a cookie banner, share buttons, ads, the article, a list
of related links and reader comments. ``write_text_pdf`` writes a PDF of N pages of running
text with fpdf2 (a test dependency), the kind a database like Factiva exports. Each also
writes the article text alone as ``.txt`` (the in-run floor: the same text without the
format).
"""

from __future__ import annotations

import html
import random
from pathlib import Path

from benchmarks.datasets import SEED

_LATIN = ["protest", "police", "square", "government", "oil", "workers", "Zhanaozen", "Almaty",
    "minister", "order", "crowd", "force", "statement", "international", "reaction", "dissent",
    "justification", "security", "officials", "the", "of", "and", "to", "in", "a", "was", "said",
    "that", "were", "with", "by", "on", "for", "from"]
_CYRILLIC = ["Митинг", "полиция", "власти", "Қазақстан", "Жаңаөзен", "оппозиция", "заявил",
    "министр"]

_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Steppe Daily News</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Steppe Daily News">
<meta property="article:published_time" content="2022-01-{day:02}T09:30:00+06:00">
<meta name="author" content="Aigerim Sadykova">
<style>{style}</style>
<script>{script}</script>
</head><body>
<div class="cookie-banner" id="cookies"><p>We use cookies to improve your experience. By
continuing you accept our cookie policy.</p><button>Accept all cookies</button></div>
<header><nav class="main-menu"><ul>{menu}</ul></nav></header>
<div class="ad ad-top">Advertisement: {ad}</div>
<main><article>
<h1>{title}</h1>
<div class="byline">By Aigerim Sadykova, January {day}, 2022</div>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a>
<a href="#">Share on Telegram</a> <a href="#">Email</a></div>
"""
_TAIL = """<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a></div>
</article>
<aside class="related"><h2>Related articles</h2><ul>{related}</ul></aside>
<div class="ad ad-side">Advertisement: {ad}</div>
<section class="comments" id="comments"><h2>Reader comments ({count})</h2>{comments}</section>
</main>
<footer><p>© 2022 Steppe Daily News. All rights reserved.</p><ul>{menu}</ul></footer>
</body></html>
"""
_MENU = ("Home", "Politics", "Economy", "Region", "World", "Opinion", "Sport", "Culture",
         "Subscribe", "Log in")


def _sentence(rng: random.Random, words: list[str], low: int = 8, high: int = 22) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize() + "."


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(_sentence(rng, words) for _ in range(rng.randint(2, 5)))


def news_page(rng: random.Random, number: int, article_chars: int = 10_000) -> tuple[str, str]:
    """One news page of about 30 KB and its article's text (title and paragraphs)."""
    words = _LATIN + _CYRILLIC
    title = f"Report {number}: " + _sentence(rng, _LATIN, 5, 9)[:-1]
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < article_chars:
        paragraphs.append(_paragraph(rng, words))
    day = 1 + number % 28
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in _MENU)
    related = "".join(f'<li><a href="/news/{number}-{i}">'
                      f"{html.escape(_sentence(rng, _LATIN, 5, 9))}</a></li>" for i in range(8))
    comments = "".join(f'<div class="comment"><b>reader{rng.randint(1, 999)}</b>'
                       f"<p>{html.escape(_paragraph(rng, _LATIN))}</p></div>" for _ in range(20))
    head = _HEAD.format(title=html.escape(title), day=day, menu=menu, ad="Fly Air Astana",
                        style=".ad{border:1px solid}" * 120, script="var x = 1;" * 300)
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    tail = _TAIL.format(related=related, ad="Kaspi bank loans", count=20, comments=comments,
                        menu=menu)
    return head + body + tail, title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_news_pages(folder: Path, count: int) -> tuple[Path, Path]:
    """*count* pages in ``folder/news_html`` and their articles as text in ``folder/news_txt``."""
    rng = random.Random(SEED + 2)
    pages, texts = folder / "news_html", folder / "news_txt"
    pages.mkdir(parents=True, exist_ok=True)
    texts.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        page, text = news_page(rng, number)
        (pages / f"page{number:04}.html").write_text(page, encoding="utf-8")
        (texts / f"page{number:04}.txt").write_text(text, encoding="utf-8")
    return pages, texts


def write_text_pdf(folder: Path, pages: int) -> tuple[Path, Path]:
    """A PDF of *pages* pages of running text (fpdf2, Helvetica) and the same text as ``.txt``."""
    from fpdf import FPDF

    rng = random.Random(SEED + 3)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_font("Helvetica", size=11)
    pdf.set_title("Long report")
    chunks: list[str] = []
    while pdf.page_no() < pages or pdf.page_no() == 0:
        if pdf.page_no() == 0:
            pdf.add_page()
        paragraph = _paragraph(rng, _LATIN)
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        chunks.append(paragraph)
    path, text = folder / f"report_{pages}p.pdf", folder / f"report_{pages}p.txt"
    pdf.output(str(path))
    text.write_text("\n\n".join(chunks) + "\n", encoding="utf-8")
    return path, text
