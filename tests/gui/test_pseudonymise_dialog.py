"""File ▸ Export ▸ Pseudonymised copy…: the preview lists each term, its replacement and how
often it occurs (counted here with a plain regex over the texts); writing makes the copy and
its owner-only key, and the copy's bytes hold no term."""

from __future__ import annotations

import re
import stat

from PySide6.QtWidgets import QFileDialog, QPushButton

from kzcoder.gui.protection.pseudonymise_dialog import PseudonymiseDialog
from kzcoder.services.documents import document_text


def test_preview_then_write_from_the_export_menu(window, qtbot, tmp_path, monkeypatch):
    terms = tmp_path / "terms.csv"
    terms.write_text("term,replacement\nTokayev,\nAlmaty,[City]\n", encoding="utf-8")
    dest, key = tmp_path / "shared.kzc", tmp_path / "key.csv"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(terms), ""))
    answers = iter([(str(dest), ""), (str(key), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    action = next(a for a in window.export_actions.menu.actions()
                  if a.objectName() == "actionExport_pseudonymised")
    action.trigger()

    dialog = window.findChild(PseudonymiseDialog)
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=3000)
    dialog.findChild(QPushButton, "pseudonymiseChooseTerms").click()
    project = window.session.project
    texts = "\n".join(document_text(project, d) for d in window.session.documents)
    shown = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(),
                                              int(dialog.table.item(r, 2).text()))
             for r in range(dialog.table.rowCount())}
    assert shown["Tokayev"][0] == "[Person 1]" and shown["Almaty"][0] == "[City]"
    for term, (_replacement, count) in shown.items():
        assert count == len(re.findall(rf"(?<!\w){term}(?!\w)", texts)) > 0
    assert dialog.write_button.isEnabled()
    dialog.write_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    data = dest.read_bytes()
    assert b"Tokayev" not in data and not re.search(rb"(?<!\w)Almaty(?!\w)", data)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text(encoding="utf-8").splitlines()[1].startswith("[Person 1],Tokayev,")
