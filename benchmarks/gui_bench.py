"""Measurements inside one offscreen Qt process: open, add coding, retrieve, import."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPlainTextEdit

from kzcoder.gui.main_window import MainWindow
from kzcoder.gui.project_session import ProjectSession
from kzcoder.gui.settings import Settings
from kzcoder.services.documents import document_text, import_paths
from kzcoder.services.project import Project


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def median_of(reps: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(reps))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def open_window(project_path: Path) -> MainWindow:
    window = MainWindow(ProjectSession(Project.open(project_path), "bench"), Settings())
    window.resize(1600, 1000)
    window.show()
    QApplication.processEvents()
    return window


def measure_open(window: MainWindow, big_id: int, small_id: int, reps: int) -> dict:
    """open_doc_1m_ms against Qt's own setPlainText + first paint of the same text."""
    pane = window.workspace.panes()[0]

    def open_big() -> float:
        window.open_document(pane, small_id)
        QApplication.processEvents()
        start = time.perf_counter()
        window.open_document(pane, big_id)
        pane.view.viewport().repaint()
        return ms_since(start)

    text = document_text(window.session.project, big_id)
    plain = QPlainTextEdit()
    plain.resize(pane.view.size())
    plain.show()

    def baseline() -> float:
        plain.setPlainText("")
        QApplication.processEvents()
        start = time.perf_counter()
        plain.setPlainText(text)
        plain.viewport().repaint()
        return ms_since(start)

    opened, plain_ms = [], []
    for _ in range(reps):  # interleaved, so that load on the machine hits both alike
        opened.append(open_big())
        plain_ms.append(baseline())
    plain.close()
    result = {"open_doc_1m_ms": statistics.median(opened),
              "baseline_plain_1m_ms": statistics.median(plain_ms)}
    result["open_ratio"] = result["open_doc_1m_ms"] / result["baseline_plain_1m_ms"]
    return result


def measure_add_coding(window: MainWindow, document_id: int, reps: int, seed: int) -> list[float]:
    """Selection → code → committed → pane repainted, *reps* times at random places."""
    rng = random.Random(seed)
    pane = window.workspace.panes()[0]
    for other in window.workspace.panes()[1:]:  # one view of the document, not two
        other.view.clear_document()
    window.open_document(pane, document_id)
    view = pane.view
    view.viewport().repaint()
    length = len(view.stored_text)
    times = []
    for i in range(reps):
        start = rng.randrange(0, length - 60)
        view.select_span(start, start + rng.randint(5, 50))
        QApplication.processEvents()
        began = time.perf_counter()
        window.coding.code_selection(1 + i % 4)
        view.viewport().repaint()
        times.append(ms_since(began))
    return times


def measure_retrieve(window: MainWindow, code_id: int, reps: int) -> tuple[float, int]:
    """All segments of one code into the segments dock's model (and its first paint)."""
    dock = window.segments_dock

    def once() -> float:
        window.show_segments_of(None if code_id != 0 else 1)
        dock.model.set_segments([], {}, {})
        QApplication.processEvents()
        start = time.perf_counter()
        window.show_segments_of(code_id)
        dock.view.viewport().repaint()
        return ms_since(start)

    value = median_of(reps, once)
    return value, dock.model.rowCount()


def measure_import(files: Path, reps: int) -> float:
    """Seconds to import the corpus files into a new project."""
    def once() -> float:
        with tempfile.TemporaryDirectory() as folder:
            with Project.create(Path(folder) / "import.kzc") as project:
                start = time.perf_counter()
                imported = import_paths(project, [files]).value.imported
                seconds = time.perf_counter() - start
            assert imported, "nothing imported"
            return seconds

    return median_of(reps, once)
