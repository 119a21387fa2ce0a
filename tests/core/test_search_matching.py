"""Matching queries in texts (core/search/matching.py) against an independent model: texts are
built from known words and separators, so the model knows every word's code-point offsets by
construction and evaluates the query over them with plain Python. Latin, Cyrillic and Kazakh
letters, emoji and other characters outside the BMP between the words."""

from __future__ import annotations

import re

import pytest
import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcoder.core.errors import KzError
from kzcoder.core.search import matching
from kzcoder.core.search.matching import CompiledQuery, SearchOptions

WORDS = ["Kazakhstan", "terrorist", "terrorists", "TERRORIST", "bandits", "shoot", "to",
         "kill", "Токаев", "Тоқаев", "ТОҚАЕВ", "тоқаев", "әскер", "Әскер", "террорист",
         "террористах", "ТЕРРОРИСТЫ", "Almaty", "Алматы", "қала"]
SEPARATORS = [" ", ", ", ". ", "\n", " 😀 ", "\n\n", " — ", " 𝄞 ", "🇰🇿", "«", "» "]


@st.composite
def documents(draw):
    """(text, [(word, start, end)]) built word by word."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=25))
    text, placed = draw(st.sampled_from(["", "😀", "«"])), []
    for word in words:
        start = len(text)
        text += word
        placed.append((word, start, len(text)))
        text += draw(st.sampled_from(SEPARATORS))
    return text, placed


# a query as (string, model tree): ("word", w) | ("prefix", p) | ("phrase", ws) | ops
def leaves():
    word = st.sampled_from(WORDS).map(lambda w: (w.swapcase() if len(w) % 2 else w, ("word", w)))
    prefix = st.sampled_from(["terror", "Тоқ", "ТЕРР", "әск", "Alm"]).map(
        lambda p: (p + "*", ("prefix", p)))
    phrase = st.sampled_from([("shoot", "to", "kill"), ("Тоқаев", "әскер"), ("to", "kill")]).map(
        lambda ws: ('"' + " ".join(ws) + '"', ("phrase", ws)))
    return st.one_of(word, prefix, phrase)


def queries():
    def extend(inner):
        both = st.tuples(inner, inner)
        return st.one_of(
            both.map(lambda ab: (f"({ab[0][0]} {ab[1][0]})", ("and", ab[0][1], ab[1][1]))),
            both.map(lambda ab: (f"({ab[0][0]} OR {ab[1][0]})", ("or", ab[0][1], ab[1][1]))),
            both.map(lambda ab: (f"({ab[0][0]} -{ab[1][0]})",
                                 ("and", ab[0][1], ("not", ab[1][1])))),
        )
    return st.recursive(leaves(), extend, max_leaves=4)


def model_spans(leaf, placed):
    kind, value = leaf
    folded = [w.lower() for w, _s, _e in placed]
    if kind == "word":
        return {(s, e) for (w, s, e) in placed if w.lower() == value.lower()}
    if kind == "prefix":
        return {(s, e) for (w, s, e) in placed if w.lower().startswith(value.lower())}
    size = len(value)
    wanted = [v.lower() for v in value]
    return {(placed[i][1], placed[i + size - 1][2]) for i in range(len(placed) - size + 1)
            if folded[i:i + size] == wanted}


def model_holds(tree, placed):
    if tree[0] == "and":
        return model_holds(tree[1], placed) and model_holds(tree[2], placed)
    if tree[0] == "or":
        return model_holds(tree[1], placed) or model_holds(tree[2], placed)
    if tree[0] == "not":
        return not model_holds(tree[1], placed)
    return bool(model_spans(tree, placed))


def model_positive(tree, negated=False):
    if tree[0] in ("and", "or"):
        return model_positive(tree[1], negated) + model_positive(tree[2], negated)
    if tree[0] == "not":
        return model_positive(tree[1], not negated)
    return [] if negated else [tree]


@settings(max_examples=300, deadline=None)
@given(documents(), queries())
def test_every_query_form_matches_the_model(document, query):
    text, placed = document
    string, tree = query
    expected = set()
    if model_holds(tree, placed):
        for leaf in model_positive(tree):
            expected |= model_spans(leaf, placed)
    found = CompiledQuery(string, SearchOptions()).hits(text)
    assert found == sorted(expected)
    for start, end in found:  # offsets are code points of the text itself
        assert text[start:end].lower().split()[0][:1] == text[start].lower()


def test_offsets_after_characters_outside_the_bmp():
    text = "😀🇰🇿 𝔘 Тоқаев said: 𝔘𝔫 terrorist."
    hits = CompiledQuery("тоқаев OR TERRORIST", SearchOptions()).hits(text)
    assert [text[s:e] for s, e in hits] == ["Тоқаев", "terrorist"]
    assert hits[0][0] == text.index("Тоқаев") == 6  # 6 code points, 10 UTF-16 units


def test_kazakh_letters_fold_case():
    text = "ӘСКЕР әскер ҚАЛА қала Ұлт ұлт ҮЙ үй ІС іс ҒАЛЫМ ғалым ӨЗЕН өзен ҺӘМ һәм"
    for word in ("әскер", "қала", "ұлт", "үй", "іс", "ғалым", "өзен", "һәм"):
        hits = CompiledQuery(word.upper(), SearchOptions()).hits(text)
        assert [text[s:e].lower() for s, e in hits] == [word, word]


def stems(words):
    out = []
    for word in words:
        language = "russian" if re.search("[а-яё]", word.lower()) else "english"
        out.append(snowballstemmer.stemmer(language).stemWord(word.lower()))
    return out


@pytest.mark.parametrize(("query", "text", "expected"), [
    ("terrorist", "A terrorist, two terrorists; Terrorists! terrorism", ["terrorist",
                                                                         "terrorists",
                                                                         "Terrorists"]),
    ("террористы", "террорист, террористах, ТЕРРОРИСТЫ, террора", ["террорист", "террористах",
                                                                  "ТЕРРОРИСТЫ"]),
    ('"shoot to kill"', "shooting to kill; shot to kills", ["shooting to kill"]),
])
def test_forms_match_the_snowball_stem(query, text, expected):
    hits = CompiledQuery(query, SearchOptions(forms=True)).hits(text)
    assert [text[s:e] for s, e in hits] == expected
    # independent: every word of the text whose Snowball stem is the query's
    if '"' not in query:
        words = re.findall(r"\w+", text)
        same = [w for w, s in zip(words, stems(words), strict=True) if s == stems([query])[0]]
        assert [text[s:e] for s, e in hits] == same


def test_variants_are_one_term_and_optional():
    text = "Tokayev met Toqaev; Токаев and ТОҚАЕВ. Tokay."
    group = (("Tokayev", "Toqaev", "Токаев", "Тоқаев"),)
    hits = CompiledQuery("tokayev", SearchOptions(variants=group)).hits(text)
    assert [text[s:e] for s, e in hits] == ["Tokayev", "Toqaev", "Токаев", "ТОҚАЕВ"]
    assert CompiledQuery("Тоқаев", SearchOptions(variants=group)).hits(text) == hits
    alone = CompiledQuery("tokayev", SearchOptions()).hits(text)
    assert [text[s:e] for s, e in alone] == ["Tokayev"]


def test_regex_hits_are_python_regex_matches():
    text = "In 2005, 2011 and 2022: Тоқаев 😀 said 2022."
    hits = CompiledQuery(r"20\d\d", SearchOptions(regex=True)).hits(text)
    assert hits == [m.span() for m in re.finditer(r"20\d\d", text)]


@pytest.mark.parametrize("pattern", ["(", "[a-", "a{2,1}", "*a", "\\"])
def test_bad_regex_is_one_line(pattern):
    with pytest.raises(KzError, match="bad regular expression") as caught:
        CompiledQuery(pattern, SearchOptions(regex=True))
    assert "\n" not in str(caught.value)


def test_runaway_regex_stops_within_seconds(monkeypatch):
    import time

    monkeypatch.setattr(matching, "REGEX_TIMEOUT", 0.5)
    query = CompiledQuery(r"(x+x+)+y", SearchOptions(regex=True))
    began = time.monotonic()
    with pytest.raises(KzError, match="ran over 0.5 s in doc; the search was stopped"):
        query.hits("x" * 5000, where="doc")
    assert time.monotonic() - began < 5


def test_a_query_of_negation_alone_has_no_hits_and_no_prefilter():
    query = CompiledQuery("-terrorist", SearchOptions())
    assert query.hits("peace") == []
    assert query.prefilter() is None
