"""Make docs/analysis.png: the sample project, each sentence that names a theme coded with it,
in the window's analysis area: Code matrix, years of publication by codes, with its bars.

Run under a display, e.g.  xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python
docs/make_analysis_screenshot.py  (it uses a throwaway KZCODER_HOME, never your own projects).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# a sentence naming one of these is coded with the theme (a demonstration, not an analysis)
THEMES = {
    "State justification": r"\b(terrorist\w*|bandit\w*|order|lawful\w*)\b",
    "Dissent": r"\b(protest\w*|demonstrat\w*|strike\w*)\b",
    "Force": r"\b(forces?|troops|police|detain\w*|shoot\w*|fired?)\b",
    "International reaction": r"\b(OSCE|UN|EU|CSTO|United Nations)\b",
}


def main() -> int:
    os.environ["KZCODER_HOME"] = tempfile.mkdtemp(prefix="kzcoder-shot-")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kzcoder.gui.operations.session import ProjectSession
    from kzcoder.gui.shell.main_window import MainWindow
    from kzcoder.gui.shell.settings import Settings
    from kzcoder.services.codebook.editing import list_codes
    from kzcoder.services.codings import add_codings
    from kzcoder.services.documents import document_text, list_documents
    from kzcoder.services.sample import open_default_project

    project = open_default_project()
    codes = {c.name: c.id for c in list_codes(project)}
    items = []
    for info in list_documents(project):
        for sentence in re.finditer(r"[^.!?\n]+[.!?]?", document_text(project, info.id)):
            items += [(info.id, codes[name], *sentence.span()) for name, pattern in THEMES.items()
                      if re.search(pattern, sentence.group(), re.IGNORECASE)]
    add_codings(project, items, coder="Aigerim")
    app = QApplication(sys.argv[:1])
    window = MainWindow(ProjectSession(project, "Aigerim"), Settings())
    window.resize(1600, 1000)
    window.show()
    window.actions_named("actionCodeMatrix").trigger()
    tab = window.analysis_dock.matrix_tab
    tab.by.setCurrentIndex(tab.by.findData("published:year"))
    tab.chart_kind.setCurrentIndex(tab.chart_kind.findData("frequency"))
    window.resizeDocks([window.analysis_dock], [1000], __import__(
        "PySide6.QtCore", fromlist=["Qt"]).Qt.Orientation.Horizontal)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "analysis.png"

    def shoot() -> None:
        window.grab().save(str(out))
        print(f"saved {out}")
        window.close()
        app.quit()

    QTimer.singleShot(1500, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
