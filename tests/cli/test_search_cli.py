"""``kzcoder search | autocode | variants | words``: the exact JSON fields, the counts
autocode prints (twice: nothing added), and every bad input as one line, exit 2, nothing
changed."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run, snapshot
from tests.services.test_search_service import TEXTS


@pytest.fixture
def corpus(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert run(capfd, "new", path)[0] == 0
    assert run(capfd, "import", path, *(tmp_path / n for n in sorted(TEXTS)))[0] == 0
    assert run(capfd, "code-add", path, "Terror")[0] == 0
    return path


def test_search_json_is_exact(corpus, capfd):
    code, out, err = run(capfd, "search", corpus, "ТЕРРОРИСТ OR terrorist", "--json",
                         "--context", "5")
    assert (code, err) == (0, "")
    hits = json.loads(out)
    texts = {n.removesuffix(".txt"): t for n, t in TEXTS.items()}
    assert [h["text"] for h in hits] == ["terrorist", "ТЕРРОРИСТ"]
    for hit in hits:
        assert list(hit) == ["document", "document_id", "start", "end", "text", "left",
                             "right"]
        text = texts[hit["document"]]
        assert hit["text"] == text[hit["start"]:hit["end"]]
        assert hit["left"] == text[max(0, hit["start"] - 5):hit["start"]]
        assert hit["right"] == text[hit["end"]:hit["end"] + 5]


def test_search_options(corpus, capfd):
    assert run(capfd, "variants", corpus, "add", "Tokayev", "Токаев", "Тоқаев")[0] == 0
    _c, out, _e = run(capfd, "search", corpus, "tokayev", "--json")
    assert len(json.loads(out)) == 3
    _c, out, _e = run(capfd, "search", corpus, "tokayev", "--json", "--no-variants")
    assert json.loads(out) == []
    _c, out, _e = run(capfd, "search", corpus, "террористы", "--forms", "--json")
    assert [h["text"] for h in json.loads(out)] == ["Террористы", "ТЕРРОРИСТ"]
    _c, out, _e = run(capfd, "search", corpus, r"20\d\d", "--regex")
    assert [line.split("\t")[5] for line in out.splitlines()] == ["2005", "2011", "2022"]


def test_autocode_twice_adds_nothing_the_second_time(corpus, capfd):
    code, out, err = run(capfd, "autocode", corpus, "террорист*", "Terror", "--expand",
                         "word", "--coder", "ana")
    assert (code, err, out) == (0, "", "added 3 codings; 0 already there\n")
    before = snapshot(corpus)
    code, out, _ = run(capfd, "autocode", corpus, "террорист*", "Terror", "--expand",
                       "word", "--coder", "ana")
    assert (code, out) == (0, "added 0 codings; 3 already there\n")
    assert snapshot(corpus) == before
    _c, out, _e = run(capfd, "segments", corpus, "--json")
    assert sorted(s["text"] for s in json.loads(out)) == sorted(
        ["Террористы", "ТЕРРОРИСТ", "террористер"])


@pytest.mark.parametrize(("args", "message"), [
    (("search", "{p}", ""), "empty query"),
    (("search", "{p}", "(unclosed"), "not closed"),
    (("search", "{p}", "([", "--regex"), "bad regular expression"),
    (("autocode", "{p}", "terrorist", "Nope"), "no code named or numbered 'Nope'"),
    (("autocode", "{p}", "", "Terror"), "empty query"),
    (("autocode", "{p}", "[", "Terror", "--regex"), "bad regular expression"),
    (("words", "{p}", "--stopwords", "en,xx"), "no stop words for 'xx'"),
    (("words", "{p}", "--code", "Nope"), "no code"),
    (("words", "{p}", "--top", "0"), "--top must be 1 or more"),
    (("variants", "{p}", "add", "Alone"), "at least two"),
    (("variants", "{p}", "remove", "Nobody"), "no name variant 'Nobody'"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_changed(corpus, capfd, args, message):
    before = snapshot(corpus)
    code, out, err = run(capfd, *(a.format(p=corpus) for a in args))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert snapshot(corpus) == before


def test_variants_and_words(corpus, capfd):
    assert run(capfd, "variants", corpus, "add", "Tokayev", "Toqaev")[1] == "Tokayev\tToqaev\n"
    _c, out, _e = run(capfd, "variants", corpus, "list", "--json")
    assert json.loads(out) == [["Tokayev", "Toqaev"]]
    assert run(capfd, "variants", corpus, "remove", "toqaev")[0] == 0
    assert run(capfd, "variants", corpus, "list")[1] == ""
    code, out, _ = run(capfd, "words", corpus, "--top", "2", "--json", "--stopwords", "none")
    words = json.loads(out)
    assert code == 0 and [list(w) for w in words] == [["word", "count", "documents"]] * 2
    assert words[0]["count"] >= words[1]["count"]


def test_a_project_that_cannot_be_written_is_exit_1_not_2(corpus, capfd, monkeypatch):
    from kzcoder.db import engine as db_engine

    monkeypatch.setattr(db_engine, "read_only_reason", lambda _path: "it is on a read-only disk")
    before = snapshot(corpus)
    code, out, err = run(capfd, "autocode", corpus, "terrorist", "Terror")
    assert code == 1 and out == "" and err.count("\n") == 1 and "read-only" in err
    code, out, _ = run(capfd, "search", corpus, "terrorist", "--json")  # reading works
    assert code == 0 and json.loads(out)
    assert snapshot(corpus) == before
