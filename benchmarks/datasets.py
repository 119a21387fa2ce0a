"""Deterministic benchmark data: doc_1m (one big coded document) and corpus_1k (many small)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from kzcoder.services.codebook.editing import add_code
from kzcoder.services.codings import add_codings
from kzcoder.services.documents import import_paths
from kzcoder.services.project import Project

SEED = 20260107
_SENTENCE = (
    "protest police square government oil workers Zhanaozen Almaty minister order crowd force "
    "statement international reaction dissent justification security Митинг полиция власти "
    "Қазақстан Жаңаөзен оппозиция the of and to in a was said that were with by on for from")
WORDS = tuple(_SENTENCE.split(" "))
RARE = ("😀", "𝕏", "e\u0301")  # astral and combining characters keep offset handling honest
COLORS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#D55E00", "#F0E442",
          "#000000")


@dataclass(frozen=True)
class Sizes:
    doc_chars: int
    doc_codings: int
    corpus_docs: int
    corpus_doc_chars: int
    corpus_codings: int
    news_pages: int  # import_1k_html_s
    pdf_pages: int  # import_pdf_300p_s


FULL = Sizes(1_000_000, 10_000, 1_000, 5_000, 100_000, 1_000, 300)
QUICK = Sizes(100_000, 1_000, 40, 5_000, 4_000, 40, 20)


def make_text(rng: random.Random, length: int) -> str:
    """Paragraphs of 8 to 22 words (about 100 code points each), exactly *length* code points."""
    parts: list[str] = []
    size = 0
    while size < length:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
        if rng.random() < 0.05:
            words.insert(rng.randrange(len(words)), rng.choice(RARE))
        line = " ".join(words).capitalize() + ".\n"
        parts.append(line)
        size += len(line)
    return "".join(parts)[:length - 1] + "\n"


def random_spans(rng: random.Random, length: int, count: int) -> list[tuple[int, int]]:
    """Mostly sentence-sized spans, some paragraph-sized, a few very long: many overlap."""
    spans = []
    for _ in range(count):
        roll = rng.random()
        size = (rng.randint(10, 300) if roll < 0.85 else rng.randint(300, 3000)
                if roll < 0.99 else rng.randint(3000, max(3001, length // 2)))
        size = min(size, length - 1)
        start = rng.randrange(0, max(1, length - size))
        spans.append((start, min(length, start + size)))
    return spans


def add_codes(project: Project, count: int) -> list[int]:
    """*count* codes with keys 1-8 and distinct colours."""
    return [add_code(project, f"Code {i + 1}", COLORS[i % len(COLORS)],
                     shortcut=str(i + 1) if i < 9 else None).value.id for i in range(count)]


def build_doc_project(folder: Path, sizes: Sizes) -> tuple[Path, int, int]:
    """A project with the big document (and a 5,000-character one with 10 codings).

    Returns (project path, big document id, small document id).
    """
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doc_1m.txt").write_text(make_text(rng, sizes.doc_chars), encoding="utf-8")
    (folder / "small.txt").write_text(make_text(rng, 5_000), encoding="utf-8")
    path = folder / "doc_1m.kzc"
    with Project.create(path) as project:
        codes = add_codes(project, 8)
        report = import_paths(project, [folder / "doc_1m.txt", folder / "small.txt"]).value
        big, small = report.imported
        items = [(big.id, rng.choice(codes), s, e)
                 for s, e in random_spans(rng, big.length, sizes.doc_codings)]
        items += [(small.id, rng.choice(codes), s, e)
                  for s, e in random_spans(rng, small.length, 10)]
        add_codings(project, items, coder="bench")
    return path, big.id, small.id


def write_corpus_files(folder: Path, sizes: Sizes) -> Path:
    """The corpus_1k files on disk (for the import benchmark)."""
    rng = random.Random(SEED + 1)
    files = folder / "corpus_1k"
    files.mkdir(parents=True, exist_ok=True)
    for i in range(sizes.corpus_docs):
        text = f"Document {i}\n" + make_text(rng, sizes.corpus_doc_chars - 12 - len(str(i)))
        (files / f"doc{i:04}.txt").write_text(text, encoding="utf-8")
    return files


def build_corpus_project(folder: Path, files: Path, sizes: Sizes) -> tuple[Path, int]:
    """The corpus project with its codings spread evenly over four codes.

    Returns (project path, id of the code to retrieve).
    """
    rng = random.Random(SEED + 2)
    path = folder / "corpus_1k.kzc"
    with Project.create(path) as project:
        codes = add_codes(project, 4)
        docs = import_paths(project, [files]).value.imported
        per_doc = sizes.corpus_codings // len(docs)
        items = [(doc.id, codes[j % 4], s, e) for doc in docs
                 for j, (s, e) in enumerate(random_spans(rng, doc.length, per_doc))]
        add_codings(project, items, coder="bench")
    return path, codes[0]
