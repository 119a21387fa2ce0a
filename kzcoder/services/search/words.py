"""Word frequencies over the corpus, or inside one code's segments, without stop words."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import cache

from kzcoder.core.search.errors import SearchInputError
from kzcoder.core.search.words import WordCount, WordCounter
from kzcoder.db.queries import documents as document_q
from kzcoder.db.queries import segments_by_code
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.project import Project

#: the stop-word languages kzcoder has: English and Russian from stopwordsiso (a maintained
#: collection), Kazakh from resources/stopwords/kk.txt (no package has one)
STOPWORD_LANGUAGES = ("en", "ru", "kk")
DEFAULT_STOPWORDS = STOPWORD_LANGUAGES


@cache
def stopwords(language: str) -> frozenset[str]:
    """The stop words of *language* (``en``, ``ru`` or ``kk``), lower-cased."""
    if language == "kk":
        from kzcoder.paths import resource

        path = resource("resources", "stopwords", "kk.txt")
        lines = path.read_text(encoding="utf-8").splitlines()
        return frozenset(w.strip().lower() for w in lines if w.strip() and w[0] != "#")
    if language in STOPWORD_LANGUAGES:
        import stopwordsiso

        return frozenset(w.lower() for w in stopwordsiso.stopwords(language))
    raise SearchInputError(f"no stop words for {language!r}: choose from "
                  f"{', '.join(STOPWORD_LANGUAGES)} or none")


def parse_languages(text: str) -> tuple[str, ...]:
    """``en,ru,kk`` or ``none`` as a tuple of languages; KzError for an unknown one."""
    if text.strip().lower() == "none":
        return ()
    languages = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    if not languages:
        raise SearchInputError("no stop-word language given: use e.g. en,ru,kk or none")
    for language in languages:
        stopwords(language)
    return languages


def word_frequencies(project: Project, *, top: int | None = None,
                     languages: Iterable[str] = DEFAULT_STOPWORDS, code: str | int | None = None,
                     documents: Collection[int] | None = None) -> list[WordCount]:
    """The most frequent words (lower-cased) with their counts and numbers of documents:
    over whole texts, or only inside the segments of *code*; in *documents* when given."""
    if top is not None and top < 1:
        raise SearchInputError(f"--top must be 1 or more, not {top}")
    excluded: set[str] = set()
    for language in languages:
        excluded |= stopwords(language)
    counter = WordCounter(excluded)
    wanted = None if documents is None else set(documents)
    with project.unit() as session:
        if code is not None:
            code_id = find_code(session, code).id
            for document_id, text in segments_by_code.segment_texts(session, code_id):
                if wanted is None or document_id in wanted:
                    counter.add(document_id, text)
        else:
            ids = sorted(document_q.document_lengths(session))
            ids = [i for i in ids if wanted is None or i in wanted]
            for start in range(0, len(ids), 64):
                texts = document_q.texts_by_id(session, ids[start:start + 64])
                for document_id, (_name, text) in texts.items():
                    counter.add(document_id, text)
    return counter.top(top)
