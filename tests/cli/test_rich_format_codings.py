"""A span coded in an imported PDF and in an imported web page comes back exactly from
``segments --json`` after the project was closed and opened again, and after another import
(offsets are code points of the stored text, which is fixed at import)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kzcoder.cli.main import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "formats"
SOURCES = {"article": FIXTURES / "office" / "article.pdf",
           "news-article": FIXTURES / "web" / "news-article.html",
           "ligatures": FIXTURES / "office" / "ligatures.pdf",
           "reader": FIXTURES / "web" / "reader.epub"}


def run(*args: str) -> str:
    """The command line in a process of its own: the project is opened afresh each time."""
    done = subprocess.run([sys.executable, "-m", "kzcoder", *args], cwd=REPO,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_coded_span_comes_back_exactly_after_reopening(tmp_path, name, capsys):
    project = tmp_path / "p.kzc"
    assert main(["new", str(project), "--sample"]) == 0
    assert main(["import", str(project), str(SOURCES[name])]) == 0
    capsys.readouterr()
    text = run("show", str(project), f"name:{name}")
    # a span from the middle, across a line break if there is one, ending inside a word
    middle = len(text) // 2
    start = text.rfind("\n", 0, middle) - 25 if "\n" in text[:middle] else middle - 40
    start = max(start, 0)
    end = min(start + 97, len(text))
    expected = text[start:end]
    coding_id = run("code", str(project), f"name:{name}", "Dissent", str(start), str(end),
                    "--coder", "Tester").strip()
    assert main(["import", str(project), str(FIXTURES / "office" / "article.odt")]) == 0
    segments = json.loads(run("segments", str(project), "--doc", f"name:{name}", "--json"))
    [segment] = [s for s in segments if str(s["id"]) == coding_id]
    assert (segment["start"], segment["end"], segment["text"]) == (start, end, expected)
    assert run("show", str(project), f"name:{name}") == text
