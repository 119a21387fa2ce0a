"""Regenerate docs/report.png: the HTML report of the sample project with a few codings, its
documents grouped by year, rendered by headless Chromium (Debian's chromium package) or, when
there is none, by Qt WebEngine (Chromium too, in PySide6-Addons) under a display:

    .venv/bin/python docs/make_report_screenshot.py
    xvfb-run -a -s "-screen 0 1600x1800x24" .venv/bin/python docs/make_report_screenshot.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from kzcoder.services.codings import add_coding  # noqa: E402
from kzcoder.services.documents import document_text  # noqa: E402
from kzcoder.services.exports import export_report  # noqa: E402
from kzcoder.services.memos import set_memo  # noqa: E402
from kzcoder.services.sample import create_project  # noqa: E402

#: (document id, code, phrase, coder, memo): each phrase is coded where it first occurs
CODINGS = [
    (1, "Force", "Military mount crowd-dispersal exercises", "aigul", ""),
    (1, "State justification", "officials speak of need to bolster weapon stocks", "aigul",
     "Framed as preparedness, not repression."),
    (1, "Dissent", "scrutinise the opposition", "ben", ""),
    (1, "Force", "weapon stocks and scrutinise", "ben", "Overlaps two other codings."),
    (1, "Force", "The limp bodies of those actors", "ben", ""),
    (2, "State justification", "live firearms will continue to be deployed", "aigul",
     "The minister's own words."),
    (2, "Dissent", "demonstration by oil workers", "ben", ""),
    (2, "International reaction", "international outcry", "aigul", ""),
    (3, "Force", "shoot to kill without warning", "aigul", ""),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Kazakhstan sample.kzc"
        with create_project(path, sample=True) as project:
            for document, code, phrase, coder, memo in CODINGS:
                start = document_text(project, document).find(phrase)
                if start < 0:
                    raise SystemExit(f"not in document {document}: {phrase}")
                add_coding(project, document, code, start, start + len(phrase), coder=coder,
                           memo=memo)
            set_memo(project, "project", None,
                     "How state media and officials justify force against protest.")
            page = Path(folder) / "report.html"
            export_report(project, page, group_by="year")
        if shutil.which("chromium") is None:
            _render_with_qt(page, DOCS / "report.png")
            print(f"wrote {DOCS / 'report.png'}")
            return
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--no-first-run", "--hide-scrollbars", "--window-size=1280,1600",
                        f"--user-data-dir={folder}/chromium",
                        f"--screenshot={DOCS / 'report.png'}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(f"wrote {DOCS / 'report.png'}")


def _render_with_qt(page: Path, out: Path) -> None:
    """The page at 1280 x 1600 CSS pixels, as Chromium's --screenshot makes it."""
    import os

    from PySide6.QtCore import QTimer
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    if os.geteuid() == 0:  # Chromium refuses to run as root inside its sandbox
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    app = QApplication(sys.argv[:1])
    view = QWebEngineView()
    view.resize(1280, 1600)
    view.page().settings().setAttribute(
        view.page().settings().WebAttribute.ShowScrollBars, False)

    def loaded(ok: bool) -> None:
        if not ok:
            raise SystemExit(f"Qt WebEngine could not load {page}")
        QTimer.singleShot(1500, lambda: (view.grab().save(str(out)), app.quit()))

    view.loadFinished.connect(loaded)
    view.load(page.as_uri())
    view.show()
    app.exec()


if __name__ == "__main__":
    main()
