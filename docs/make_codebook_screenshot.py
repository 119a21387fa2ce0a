"""Make docs/codebook.png: the codebook editor (a nested tree, a code's description filled in)
beside a coded article, in a real window.

Run under a display, e.g.  xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python
docs/make_codebook_screenshot.py  (it uses a throwaway KZCODER_HOME).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (parent, name, description): a second and third level under the default codes, each in the
# colour the window gives a new sub-code (apart from its parent's and siblings')
NESTED = [
    ("Force", "Lethal force", "Shooting, killing, orders to fire."),
    ("Lethal force", "Shoot-to-kill orders",
     "Code: an order or authorisation to shoot without warning.\nExample: \"shoot to kill "
     "without warning\""),
    ("Force", "Detention", "Arrests, detention, disappearances."),
    ("Dissent", "Strikes", "Work stoppages, sit-ins by workers."),
    ("International reaction", "OSCE", "Statements by the OSCE and its bodies."),
]


def main() -> int:
    os.environ["KZCODER_HOME"] = tempfile.mkdtemp(prefix="kzcoder-shot-")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kzcoder.core.colors import color_for_new_code
    from kzcoder.gui.operations.session import ProjectSession
    from kzcoder.gui.shell.main_window import MainWindow
    from kzcoder.gui.shell.settings import Settings
    from kzcoder.services.codebook.editing import add_code, list_codes
    from kzcoder.services.codings import add_coding
    from kzcoder.services.documents import document_text
    from kzcoder.services.sample import open_default_project

    project = open_default_project()
    ids = {c.name: c.id for c in list_codes(project)}
    for parent, name, description in NESTED:
        codes = list_codes(project)
        family = [c.color for c in codes if ids[parent] in (c.id, c.parent_id)]
        color = color_for_new_code({c.color for c in codes}, family)
        ids[name] = add_code(project, name, color, parent=ids[parent],
                             description=description).value.id
    text = document_text(project, 3)
    for phrase, code in (("shoot to kill without warning", "Shoot-to-kill orders"),
                         ("kill without warning", "Lethal force")):
        start = text.index(phrase)
        add_coding(project, 3, ids[code], start, start + len(phrase), coder="Aigerim")
    app = QApplication(sys.argv[:1])
    window = MainWindow(ProjectSession(project, "Aigerim"), Settings())
    window.resize(1600, 1000)
    window.show()
    coded = text.index("shoot to kill without warning")
    window.workspace.open_document(window.workspace.panes()[0], 3, anchor=coded)
    window.workspace.show_segment(3, coded, coded + len("shoot to kill without warning"))
    window.codebook_dock.select_code(ids["Shoot-to-kill orders"])
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "codebook.png"

    def shoot() -> None:
        window.grab().save(str(out))
        print(f"saved {out}")
        window.close()
        app.quit()

    QTimer.singleShot(1500, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
