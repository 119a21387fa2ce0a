"""The HTML report carries the project memo, lists documents by title, date and outlet, and
with --group-by lists them in groups (e.g. by year)."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict

from kzcoder.cli.main import main
from kzcoder.services.memos import set_memo
from kzcoder.services.project import Project


def run(capfd, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def _sample(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", path, "--sample")[0] == 0
    with Project.open(path) as project:
        set_memo(project, "project", None, "Research question: <how> states justify force")
    return path


def test_report_has_the_project_memo_and_documents_by_title(tmp_path, capfd):
    path = _sample(tmp_path, capfd)
    target = tmp_path / "r.html"
    assert run(capfd, "export", path, "--format", "html", "-o", target)[0] == 0
    page = target.read_text(encoding="utf-8")
    assert '<h2 id="memo">Project memo</h2>' in page
    assert "Research question: &lt;how&gt; states justify force" in page
    _, out, _ = run(capfd, "docs", path, "--json")
    for document in json.loads(out):
        a = document["attributes"]
        label = f"{a['title']} ({a['published']}, {a['outlet']})"
        assert html.escape(label) in page


def test_group_by_year_lists_each_year_with_its_documents(tmp_path, capfd):
    path = _sample(tmp_path, capfd)
    target = tmp_path / "r.html"
    code, _, err = run(capfd, "export", path, "--format", "html", "-o", target,
                       "--group-by", "year")
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    _, out, _ = run(capfd, "docs", path, "--json")
    years = defaultdict(list)
    for number, document in enumerate(json.loads(out), start=1):
        years[document["attributes"]["published"][:4]].append(number)
    contents = page[page.index('<h2 id="documents">'):page.index('<section id="doc-1">')]
    found = re.findall(r"<h3>(\d{4}) \((\d+)\)</h3>\n<ol class=\"toc\">\n((?:<li.*\n)*)",
                       contents)
    assert [(y, int(n), re.findall(r'href="#doc-(\d+)"', items)) for y, n, items in found] == [
        (y, len(v), [str(i) for i in v]) for y, v in sorted(years.items())]


def test_group_by_is_for_html_only(tmp_path, capfd):
    path = _sample(tmp_path, capfd)
    code, out, err = run(capfd, "export", path, "--format", "csv", "-o", tmp_path / "x.csv",
                         "--group-by", "year")
    assert (code, out) == (2, "")
    assert err == "kzcoder export: error: --group-by is for --format html\n"
    assert not (tmp_path / "x.csv").exists()


def test_each_document_lists_its_attributes(tmp_path, capfd):
    path = _sample(tmp_path, capfd)
    target = tmp_path / "r.html"
    assert run(capfd, "export", path, "--format", "html", "-o", target)[0] == 0
    page = target.read_text(encoding="utf-8")
    _, out, _ = run(capfd, "docs", path, "--json")
    documents = json.loads(out)
    sections = re.findall(r'<section id="doc-(\d+)">(.*?)</section>', page, re.S)
    assert [int(n) for n, _ in sections] == list(range(1, len(documents) + 1))
    for (_, section), document in zip(sections, documents, strict=True):
        shown = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section))
        assert {html.unescape(k): html.unescape(v) for k, v in shown.items()} == \
            document["attributes"]
