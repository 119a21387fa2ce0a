"""Autocoding (services/search/autocode.py): every hit coded once, expanded to its word,
sentence or paragraph (never across a blank line), idempotent, all or nothing, one undo step;
word frequencies (services/search/words.py) against a plain count; name variants."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import stopwordsiso

from kzcoder.core.errors import KzError
from kzcoder.core.search.expand import expand
from kzcoder.services import codings, segments
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.search import variants
from kzcoder.services.search.autocode import code_spans, count_new, hit_spans
from kzcoder.services.search.undoable import CodeHits
from kzcoder.services.search.words import stopwords, word_frequencies
from tests.services.test_search_service import TEXTS, dump, make, stored


def coded(project, code_id):
    with project.unit() as session:
        from kzcoder.db.queries import raw

        return sorted(tuple(r) for r in raw(session).execute(
            'SELECT document_id, start, "end" FROM codings WHERE code_id = ?', (code_id,)))


def test_autocode_codes_every_hit_once_and_again_adds_nothing(tmp_path):
    with make(tmp_path) as project:
        code = codebook.add_code(project, "Terror", "#AA0000").value
        spans = hit_spans(project, "террорист* OR terrorist")
        result = code_spans(project, spans, code.id, coder="ana").value
        assert len(result.added) == len(spans) == 4 and result.existing == 0
        assert coded(project, code.id) == sorted(spans)
        before = dump(project)
        again = code_spans(project, spans, code.id, coder="ana").value
        assert again.added == () and again.existing == 4
        assert dump(project) == before
        # another coder's codings are theirs: they do not count as already there
        assert count_new(project, spans, code.id, coder="bob") == (4, 0)
        assert count_new(project, spans, code.id, coder="ana") == (0, 4)


def test_expansion_to_word_sentence_paragraph(tmp_path):
    with make(tmp_path) as project:
        texts = stored(project)
        word = hit_spans(project, "террор*", expand_to="word")
        assert [texts[d][1][s:e] for d, s, e in word] == ["Террористы", "ТЕРРОРИСТ",
                                                          "террористер"]
        sentence = hit_spans(project, "terrorist OR terrorists", expand_to="sentence")
        assert [texts[d][1][s:e] for d, s, e in sentence] == [
            "In 2005 the terrorist threat was named.", "Terrorists 😀 were shot."]
        paragraph = hit_spans(project, "2005", expand_to="paragraph")
        assert [texts[d][1][s:e] for d, s, e in paragraph] == [
            "In 2005 the terrorist threat was named. Terrorists 😀 were shot."]


def test_expansion_never_crosses_a_blank_line():
    text = "First line without a stop\n\nSecond paragraph. Third one.\n  \nLast"
    start = text.index("paragraph")
    assert text[slice(*expand(text, start, start + 9, "sentence"))] == "Second paragraph."
    assert text[slice(*expand(text, start, start + 9, "paragraph"))] == \
        "Second paragraph. Third one."
    first = text.index("without")
    assert text[slice(*expand(text, first, first + 7, "sentence"))] == \
        "First line without a stop"
    last = text.index("Last")
    assert text[slice(*expand(text, last, last + 2, "paragraph"))] == "Last"


def test_autocode_is_all_or_nothing(tmp_path):
    with make(tmp_path) as project:
        code = codebook.add_code(project, "Terror", "#AA0000").value
        before = dump(project)
        with pytest.raises(KzError):
            code_spans(project, [(1, 0, 2), (1, 5, 10**6)], code.id, coder="ana")
        with pytest.raises(KzError, match="no code"):
            code_spans(project, [(1, 0, 2)], "Nope", coder="ana")
        assert dump(project) == before


def test_code_hits_is_one_undo_step(tmp_path):
    with make(tmp_path) as project:
        code = codebook.add_code(project, "Terror", "#AA0000").value
        codings.add_coding(project, 1, code.id, 0, 2, coder="ana")
        spans = tuple(hit_spans(project, "terrorist*"))
        before = coded(project, code.id)
        command = CodeHits(spans, code.id, "ana", "Terror")
        changes = command.do(project)
        assert changes.codings and changes.counts[code.id] == 1 + len(spans)
        after = coded(project, code.id)
        assert after == sorted([*before, *spans])
        command.undo(project)
        assert coded(project, code.id) == before
        command.do(project)  # redo: the same codings, under the same ids
        assert coded(project, code.id) == after
        ids = {c.id for c in command.result.added}
        assert ids <= {s.id for s in segments.list_segments(project, code=code.id)}


def test_words_equal_a_plain_count(tmp_path):
    with make(tmp_path) as project:
        excluded = stopwordsiso.stopwords(["en", "ru"]) | stopwords("kk")
        plain: Counter[str] = Counter()
        in_documents: dict[str, set[int]] = {}
        for document_id, (_n, text) in stored(project).items():
            for word in re.findall(r"\w+", text.lower()):
                if word not in excluded and not word.isdigit():
                    plain[word] += 1
                    in_documents.setdefault(word, set()).add(document_id)
        counted = word_frequencies(project)
        assert {c.word: c.count for c in counted} == dict(plain)
        assert {c.word: c.documents for c in counted} == {w: len(d) for w, d in
                                                          in_documents.items()}
        assert [c.count for c in counted] == sorted((c.count for c in counted), reverse=True)
        assert len(word_frequencies(project, top=3)) == 3
        everything = {c.word for c in word_frequencies(project, languages=())}
        assert {"the", "и", "was"} <= everything


def test_words_inside_a_code(tmp_path):
    with make(tmp_path) as project:
        code = codebook.add_code(project, "Terror", "#AA0000").value
        text = stored(project)[1][1]
        codings.add_coding(project, 1, code.id, 0, 30, coder="ana")
        codings.add_coding(project, 1, code.id, 8, 30, coder="bob")  # overlap: once
        counted = {c.word: c.count for c in word_frequencies(project, code=code.id,
                                                             languages=())}
        assert counted == Counter(re.findall(r"[^\W\d]\w*", text[:30].lower()))
        with pytest.raises(KzError, match="no code"):
            word_frequencies(project, code="Nope")


def test_unknown_stopword_language_is_refused():
    with pytest.raises(KzError, match="no stop words for 'xx'"):
        stopwords("xx")
    assert "және" in stopwords("kk") and "the" in stopwords("en") and "и" in stopwords("ru")


def test_variant_groups_join_and_shrink(tmp_path):
    with make(tmp_path, texts={"a.txt": "x"}) as project:
        variants.add_variants(project, ["Tokayev", "Toqaev"])
        variants.add_variants(project, ["Токаев", "Тоқаев"])
        variants.add_variants(project, ["toqaev", "ТОКАЕВ", "Tokaev"])  # joins both groups
        assert variants.variant_groups(project) == [
            ["Tokayev", "Toqaev", "Токаев", "Тоқаев", "Tokaev"]]
        with pytest.raises(KzError, match="at least two"):
            variants.add_variants(project, ["Nazarbayev"])
        for spelling in ("tokaev", "TOKAYEV", "Токаев", "Тоқаев"):
            variants.remove_variant(project, spelling)
        assert variants.variant_groups(project) == []
        with pytest.raises(KzError, match="no name variant"):
            variants.remove_variant(project, "Toqaev")


assert TEXTS  # the corpus the tests above share
