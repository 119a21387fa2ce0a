"""Make docs/screenshot.png: the main window on the sample project, in a real window.

Run under a display, e.g.  xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python
docs/make_screenshot.py  (it uses a throwaway KZCODER_HOME, never your own projects).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (document id, code name, phrase, coder): codings of all four codes, two of them overlapping
DEMO = [
    (1, "Force", "Military mount crowd-dispersal exercises", "Aigerim"),
    (1, "State justification", "officials speak of need to bolster weapon stocks", "Aigerim"),
    (1, "Dissent", "published in the opposition press", "Daniel"),
    (1, "Force", "mounting a series of secret armed exercises aimed at dispersing protests "
                 "with firearms", "Daniel"),
    (2, "State justification", "live firearms will continue to be deployed against violent "
                               "protesters if necessary", "Aigerim"),
    (2, "Force", "live firearms will continue to be deployed", "Daniel"),
    (2, "International reaction", "in defiance of the international outcry", "Aigerim"),
    (2, "Dissent", "the months-long sit-in demonstration by oil workers", "Daniel"),
    (2, "State justification", "police fired their weapons only because they were left with "
                               "no other option", "Aigerim"),
    (2, "International reaction", "The Organization for Security and Cooperation in Europe",
     "Daniel"),
]


def main() -> int:
    os.environ["KZCODER_HOME"] = tempfile.mkdtemp(prefix="kzcoder-shot-")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kzcoder.gui.operations.session import ProjectSession
    from kzcoder.gui.shell.main_window import MainWindow
    from kzcoder.gui.shell.settings import Settings
    from kzcoder.services.codings import add_coding
    from kzcoder.services.documents import document_text
    from kzcoder.services.sample import open_default_project

    project = open_default_project()
    for doc_id, code, phrase, coder in DEMO:
        start = document_text(project, doc_id).index(phrase)
        add_coding(project, doc_id, code, start, start + len(phrase), coder=coder)
    app = QApplication(sys.argv[:1])
    window = MainWindow(ProjectSession(project, "Aigerim"), Settings())
    window.resize(1600, 1000)
    window.show()
    window.segments_dock.show_code(None)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "screenshot.png"

    def shoot() -> None:
        window.grab().save(str(out))
        print(f"saved {out}")
        window.close()
        app.quit()

    QTimer.singleShot(1500, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
