"""The query language (core/search/query.py): precedence, implicit AND, NOT and -word,
phrases, prefixes, and one-line refusals of malformed queries."""

from __future__ import annotations

import pytest

from kzcoder.core.errors import KzError
from kzcoder.core.search.query import And, Not, Or, Term, parse, positive_terms


def t(*words: str, prefix: bool = False) -> Term:
    return Term(words, prefix)


@pytest.mark.parametrize(("query", "tree"), [
    ("Kazakhstan terrorist", And((t("Kazakhstan"), t("terrorist")))),
    ("Kazakhstan AND terrorist", And((t("Kazakhstan"), t("terrorist")))),
    ("a OR b c", Or((t("a"), And((t("b"), t("c")))))),
    ("(a OR b) c", And((Or((t("a"), t("b"))), t("c")))),
    ("a -b", And((t("a"), Not(t("b"))))),
    ("a NOT b", And((t("a"), Not(t("b"))))),
    ('"shoot to kill"', t("shoot", "to", "kill")),
    ("террор*", t("террор", prefix=True)),
    ("Тоқаев", t("Тоқаев")),
    ("or and", And((t("or"), t("and")))),  # lower-case operators are words
    ('"Kassym-Jomart Tokayev"', t("Kassym", "Jomart", "Tokayev")),
])
def test_parse(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize(("query", "message"), [
    ("", "empty query"),
    ("   ", "empty query"),
    ("(a OR b", "not closed"),
    ('"a b', "not closed"),
    ("a OR", "ends where a word"),
    ("a )", "unexpected"),
    ("...", "no word"),
])
def test_malformed_queries_are_one_line(query, message):
    with pytest.raises(KzError, match=message) as caught:
        parse(query)
    assert "\n" not in str(caught.value)


def test_positive_terms_leave_out_negated_ones():
    tree = parse("a -(b OR NOT c) d")
    assert positive_terms(tree) == [t("a"), t("c"), t("d")]
