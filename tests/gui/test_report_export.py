"""File ▸ Export ▸ HTML report… asks how to group the documents and writes the report the
command line writes (``kzcoder export --format html --group-by ATTR``): one code path."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from kzcoder.cli.main import main
from kzcoder.services.memos import set_memo

STAMP = re.compile(r"made by kzcoder on [^:]+ UTC")


def _export_from_menu(qtbot, window, monkeypatch, target, answer):
    asked = []

    def get_item(_parent, _title, label, items, *_a, **_k):
        asked.append((label, list(items)))
        return answer(items)

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    opened = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: opened.append(box))
    window.findChild(QAction, "actionExport_html").trigger()
    return asked, opened


def test_grouped_by_year_from_the_menu_is_the_command_lines_report(qtbot, window, tmp_path,
                                                                     monkeypatch, capfd):
    set_memo(window.session.project, "project", None, "Why <states> use force")
    target = tmp_path / "window.html"
    asked, opened = _export_from_menu(qtbot, window, monkeypatch, target,
                                      lambda items: ("year", True))
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert asked and asked[0][1][:2] == ["(no groups: one list)", "year"]
    attributes = {k for d in window.session.documents.values() for k in d.attributes}
    assert set(asked[0][1][2:]) == attributes - {"title"}
    cli = tmp_path / "cli.html"
    assert main(["export", str(window.session.project.path), "--format", "html", "-o",
                 str(cli), "--group-by", "year"]) == 0
    capfd.readouterr()
    page = target.read_text(encoding="utf-8")
    assert STAMP.sub("", page) == STAMP.sub("", cli.read_text(encoding="utf-8"))
    assert "Why &lt;states&gt; use force" in page
    years = sorted({d.attributes["published"][:4] for d in window.session.documents.values()})
    assert re.findall(r"<h3>(\d{4}) \(\d+\)</h3>", page) == years


def test_no_groups_and_cancel(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "plain.html"
    _asked, opened = _export_from_menu(qtbot, window, monkeypatch, target,
                                       lambda items: (items[0], True))
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert "<h3>2" not in target.read_text(encoding="utf-8").split('<section id="doc-1">')[0]
    cancelled = tmp_path / "cancelled.html"
    _asked, opened = _export_from_menu(qtbot, window, monkeypatch, cancelled,
                                       lambda items: ("", False))
    qtbot.wait(200)
    assert not opened and not cancelled.exists()
