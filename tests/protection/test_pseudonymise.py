"""Pseudonymised copies: the new file's bytes hold no term (whole words), every coding covers
the same words after replacement (checked against an independent substitution of the
original segment's text), the key is owner-only with exact counts, and bad input is one line,
exit 2, nothing written."""

from __future__ import annotations

import random
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzcoder.cli.main import main
from kzcoder.core.pseudonymise import OffsetMap, Pseudonymiser, TermsError
from kzcoder.services.codings import add_coding
from kzcoder.services.documents import document_text, list_documents
from kzcoder.services.memos import set_memo
from kzcoder.services.project import Project
from kzcoder.services.segments import list_segments

TERMS = {"Tokayev": "[President]", "Almaty": "", "Nazarbayev": "", "Zhanaozen": "[Town]"}


def run(capfd, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def independent(text: str, replacements: dict[str, str]) -> str:
    """Whole-word replacement done another way: one term at a time, longest first, through
    placeholders that no text holds."""
    marks = {}
    for number, term in enumerate(sorted(replacements, key=len, reverse=True)):
        mark = f"\x00{number}\x00"
        marks[mark] = replacements[term]
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", mark, text)
    for mark, replacement in marks.items():
        text = text.replace(mark, replacement)
    return text


def auto(terms: dict[str, str]) -> dict[str, str]:
    number, found = 0, {}
    for term, replacement in terms.items():
        if not replacement:
            number += 1
            replacement = f"[Person {number}]"
        found[term] = replacement
    return found


@pytest.fixture
def coded(tmp_path, sample_template) -> Path:
    """The sample with codings on whole words around the terms, and memos naming them."""
    path = tmp_path / "s.kzc"
    path.write_bytes(sample_template.read_bytes())
    rng = random.Random(5)
    with Project.open(path) as project:
        for info in list_documents(project):
            text = document_text(project, info.id)
            words = [m.span() for m in re.finditer(r"\w+", text)]
            for term in TERMS:
                for match in re.finditer(rf"(?<!\w){term}(?!\w)", text):
                    first = next(i for i, w in enumerate(words) if w[0] == match.start())
                    lo = max(0, first - rng.randint(0, 4))
                    hi = min(len(words) - 1, first + rng.randint(0, 4))
                    add_coding(project, info.id, 1 + rng.randrange(4), words[lo][0],
                               words[hi][1], coder="ana", memo=f"about {term}")
            for _ in range(5):  # and some anywhere
                lo = rng.randrange(len(words) - 6)
                add_coding(project, info.id, 1, words[lo][0], words[lo + 5][1], coder="ana")
        set_memo(project, "project", None, "Interviews near Almaty with Tokayev's staff")
    return path


def write_terms(folder: Path, terms: dict[str, str]) -> Path:
    path = folder / "terms.csv"
    path.write_text("term,replacement\n" + "".join(f"{t},{r}\n" for t, r in terms.items()),
                    encoding="utf-8")
    return path


def test_the_copy_holds_no_term_and_every_coding_covers_the_same_words(coded, tmp_path,
                                                                         capfd):
    with Project.open(coded) as project:
        before = sorted((s.document, s.code, s.start, s.end, s.text, s.memo)
                        for s in list_segments(project))
        names = [d.name for d in list_documents(project)]
    out_path, key = tmp_path / "shared.kzc", tmp_path / "key.csv"
    code, out, err = run(capfd, "pseudonymise", coded, "--terms", write_terms(tmp_path, TERMS),
                         "-o", out_path, "--key", key)
    assert (code, err) == (0, ""), err
    data = out_path.read_bytes()
    for term in TERMS:
        assert not re.search(rb"(?<![\w])" + term.encode() + rb"(?![\w])", data), term
    replacements = auto(TERMS)
    with Project.open(out_path) as project:
        after = sorted((s.document, s.code, s.start, s.end, s.text, s.memo)
                       for s in list_segments(project))
        assert [d.name for d in list_documents(project)] == names
    assert len(after) == len(before) > 20
    by_key = {(b[0], b[1], independent(b[4], replacements), independent(b[5], replacements))
              for b in before}
    assert {(a[0], a[1], a[4], a[5]) for a in after} == by_key
    # the key: owner-only, replacement -> term with counts from the original texts
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    lines = key.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "replacement,term,count"
    assert run(capfd, "verify", out_path)[0] == 0
    from kzcoder.services.documents import document_text as text_of

    with Project.open(coded) as project:
        texts = [text_of(project, d.id) for d in list_documents(project)]
        memos = [s.memo for s in list_segments(project)]
        names_all = "\n".join(texts + memos + ["Interviews near Almaty with Tokayev's staff"])
    for line in lines[1:]:
        replacement, term, count = line.rsplit(",", 2)
        assert replacements[term] == replacement
        assert int(count) == len(re.findall(rf"(?<!\w){term}(?!\w)", names_all)), term


@pytest.mark.parametrize("case", ["not csv", "no header", "empty term", "replacement is a term",
                                  "output exists", "key exists", "twice"])
def test_bad_input_is_one_line_exit_2_nothing_written(coded, tmp_path, capfd, case):
    terms = write_terms(tmp_path, {"Almaty": "", "Tokayev": ""})
    out_path, key = tmp_path / "shared.kzc", tmp_path / "key.csv"
    if case == "not csv":
        terms.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    elif case == "no header":
        terms.write_text("Almaty,[City]\n", encoding="utf-8")
    elif case == "empty term":
        terms.write_text("term,replacement\nAlmaty,\n ,[X]\n", encoding="utf-8")
    elif case == "replacement is a term":
        terms.write_text("term,replacement\nAlmaty,Tokayev\nTokayev,\n", encoding="utf-8")
    elif case == "twice":
        terms.write_text("term,replacement\nAlmaty,\nAlmaty,[City]\n", encoding="utf-8")
    elif case == "output exists":
        out_path.write_bytes(b"mine")
    else:
        key.write_bytes(b"mine")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capfd, "pseudonymise", coded, "--terms", terms, "-o", out_path,
                         "--key", key)
    assert (code, out) == (2, "") and err.count("\n") == 1 and err.startswith("kzcoder: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_variant_groups_share_the_replacement_of_their_term():
    p = Pseudonymiser.from_rows([("Kazakhstan", "[Country]")],
                                variants=[("Kazakhstan", "Kazakhstanis", "Qazaqstan")])
    assert p.text("Qazaqstan and Kazakhstanis of Kazakhstan") == (
        "[Country] and [Country] of [Country]")
    with pytest.raises(TermsError, match="is itself a term"):
        Pseudonymiser.from_rows([("A", "B"), ("B", "")])


words = st.sampled_from(["Anna", "Anna Petrova", "Petrova", "met", "in", "Almaty", "x", "Ann"])


@given(st.lists(words, min_size=1, max_size=30), st.data())
def test_offsets_follow_every_replacement(chosen, data):
    """Against a model: map each word's span of the old text; the new text there is the
    word's replacement (or the word)."""
    text = " ".join(chosen)
    p = Pseudonymiser.from_rows([("Anna Petrova", ""), ("Anna", "[A]"), ("Almaty", "[C]")])
    new, edits = p.replace(text)
    moved = OffsetMap(edits)
    position = 0
    spans = []
    for word in chosen:
        spans.append((position, position + len(word), word))
        position += len(word) + 1
    lo = data.draw(st.integers(0, len(spans) - 1))
    hi = data.draw(st.integers(lo, len(spans) - 1))
    start, end = spans[lo][0], spans[hi][1]
    cuts = [m for m in re.finditer(r"(?<!\w)Anna Petrova(?!\w)", text)
            if m.start() < start < m.end() or m.start() < end < m.end()]
    if cuts:  # a span that cuts "Anna Petrova" in two grows to its whole replacement
        assert new[moved.start(start):moved.end(end)].count("[Person 1]") >= len(cuts)
        return
    assert new[moved.start(start):moved.end(end)] == independent(
        text[start:end], {"Anna Petrova": "[Person 1]", "Anna": "[A]", "Almaty": "[C]"})


def test_the_projects_name_variants_are_replaced_as_their_term(tmp_path, capfd):
    """A spelling saved as a variant of a term (kzcoder variants) goes too, with the term's
    replacement, and the copy's bytes hold none of the spellings."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Tokayev spoke. Токаев выступил. Toqaev again.\n",
                                  encoding="utf-8")
    project = tmp_path / "v.kzc"
    assert run(capfd, "new", project)[0] == 0
    assert run(capfd, "import", project, folder)[0] == 0
    assert run(capfd, "variants", project, "add", "Tokayev", "Токаев", "Toqaev")[0] == 0
    out, key = tmp_path / "copy.kzc", tmp_path / "key.csv"
    code, _out, err = run(capfd, "pseudonymise", project, "--terms",
                          write_terms(tmp_path, {"Tokayev": "[President]"}), "-o", out,
                          "--key", key)
    assert (code, err) == (0, "")
    code, shown, _err = run(capfd, "show", out, "1")
    assert shown == "[President] spoke. [President] выступил. [President] again.\n"
    data = out.read_bytes()
    for spelling in ("Tokayev", "Токаев", "Toqaev"):
        assert spelling.encode("utf-8") not in data
