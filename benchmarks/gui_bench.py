"""Measurements inside one offscreen Qt process: open, add coding, retrieve, import."""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPlainTextEdit

from kzcoder.gui.operations.session import open_session
from kzcoder.gui.shell.main_window import MainWindow
from kzcoder.gui.shell.settings import Settings
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
    window = MainWindow(open_session(project_path, "bench"), Settings())
    window.resize(1600, 1000)
    window.show()
    QApplication.processEvents()
    return window


def measure_open(window: MainWindow, big_id: int, small_id: int, reps: int) -> dict:
    """open_doc_1m_ms against Qt's own setPlainText + first paint of the same text.

    ``open_doc_1m_ms`` re-opens the document (its text and position map are kept by the
    workspace, as when a researcher switches back to an article); ``open_doc_1m_cold_ms``
    opens it with nothing kept, reading the text from SQLite.
    """
    pane = window.workspace.panes()[0]

    def open_big(cold: bool = False) -> float:
        window.workspace.open_document(pane, small_id)
        QApplication.processEvents()
        if cold:
            window.workspace.forget_texts()
        start = time.perf_counter()
        window.workspace.open_document(pane, big_id)
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

    opened, cold, plain_ms = [], [], []
    for _ in range(reps):  # interleaved, so that load on the machine hits both alike
        opened.append(open_big())
        plain_ms.append(baseline())
        cold.append(open_big(cold=True))
    plain.close()
    result = {"open_doc_1m_ms": statistics.median(opened),
              "open_doc_1m_cold_ms": statistics.median(cold),
              "baseline_plain_1m_ms": statistics.median(plain_ms)}
    result["open_ratio"] = result["open_doc_1m_ms"] / result["baseline_plain_1m_ms"]
    return result


# The columns the app writes for one coding (kzcoder.services.codings.add_coding).
_INSERT_CODING = ('INSERT INTO codings (guid, document_id, code_id, coder_id, start, "end", '
                  "memo, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
# The pragmas of kzcoder.db.engine.make_engine, so that the commit costs what the app's does.
_ENGINE_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL",
                   "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000")


class CodingFloor:
    """The physical floor of one coding by key, on a pane showing a document.

    ``once`` times one INSERT into ``codings`` committed through a plain ``sqlite3`` connection
    on the project's file (the app's pragmas), plus the re-format of the block at the cursor
    (``view.highlighter.rehighlightBlock``) and ``view.viewport().repaint()``. The row is then
    deleted, untimed, so the project is left as it was.
    """

    def __init__(self, window: MainWindow, view, document_id: int) -> None:  # noqa: ANN001
        self.view = view
        self.document_id = document_id
        self.connection = sqlite3.connect(window.session.project.path, timeout=10)
        for pragma in _ENGINE_PRAGMAS:
            self.connection.execute(pragma)
        row = self.connection.execute("SELECT id FROM coders WHERE name = ?",
                                      (window.session.coder,)).fetchone()
        row = row or self.connection.execute("SELECT min(id) FROM coders").fetchone()
        if row is None or row[0] is None:
            raise RuntimeError("add-coding floor: the project has no coder")
        self.coder_id = row[0]

    def once(self, start: int, end: int, code_id: int) -> float:
        """Milliseconds for a coding of ``[start, end)`` with *code_id*, the floor of it.
        The selection is expected at ``[start, end)`` already (``view.select_span``)."""
        block = self.view.textCursor().block()  # select_span leaves the cursor at the start
        values = (str(uuid.uuid4()), self.document_id, code_id, self.coder_id, start, end, "",
                  datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"))
        began = time.perf_counter()
        row_id = self.connection.execute(_INSERT_CODING, values).lastrowid
        self.connection.commit()
        self.view.highlighter.rehighlightBlock(block)
        self.view.viewport().repaint()
        elapsed = ms_since(began)
        deleted = self.connection.execute("DELETE FROM codings WHERE id = ?", (row_id,)).rowcount
        self.connection.commit()
        if deleted != 1:
            raise RuntimeError(f"add-coding floor: row {row_id} was not deleted")
        return elapsed

    def close(self) -> None:
        self.connection.close()


def _add_coding_loop(window: MainWindow, document_id: int, reps: int, seed: int, *,
                     coding: bool, floor: bool
                     ) -> tuple[list[float], list[float], list[float]]:
    """*reps* codings and/or *reps* floor repetitions, interleaved, each at a random place of
    *document_id* in the first pane. Returns (coding times, floor times, settled times: from
    the keypress until every view has followed and the event loop is idle)."""
    rng = random.Random(seed)  # the codings' places (unchanged since the floor came)
    floor_rng = random.Random(f"floor {seed}")
    pane = window.workspace.panes()[0]
    for other in window.workspace.panes()[1:]:  # one view of the document, not two
        other.view.clear_document()
    window.workspace.open_document(pane, document_id)
    view = pane.view
    view.viewport().repaint()
    length = len(view.stored_text)

    def select(place: random.Random) -> tuple[int, int]:
        start = place.randrange(0, length - 60)
        end = start + place.randint(5, 50)
        view.select_span(start, end)
        settle()
        window.repaint()  # nothing left to paint from before: the timing starts clean
        return start, end

    def add(code_id: int) -> float:
        select(rng)
        began = time.perf_counter()
        window.coding.code_selection(code_id)
        view.viewport().repaint()
        times.append(ms_since(began))
        settle()  # the docks follow one event-loop turn later; then the window is idle
        settled_times.append(ms_since(began))

    times: list[float] = []
    settled_times: list[float] = []
    floor_times: list[float] = []
    probe = CodingFloor(window, view, document_id) if floor else None
    try:
        for i in range(reps):
            code_id = 1 + i % 4
            # alternate which goes first, so that neither always follows the other
            for step in ("coding", "floor") if i % 2 == 0 else ("floor", "coding"):
                if step == "coding" and coding:
                    add(code_id)
                elif step == "floor" and probe is not None:
                    floor_times.append(probe.once(*select(floor_rng), code_id))
    finally:
        if probe is not None:
            probe.close()
    return times, floor_times, settled_times


def settle() -> None:
    """Let the event loop run until what is posted (deferred refreshes, the paints they ask
    for) has been done: three passes, since each pass may post the next step."""
    for _ in range(3):
        QApplication.processEvents()


def measure_add_coding(window: MainWindow, document_id: int, reps: int, seed: int, *,
                       floor: bool = False
                       ) -> tuple[list[float], list[float], list[float]]:
    """Selection → code → committed → pane repainted, *reps* times at random places.

    With *floor*, each repetition also measures the floor of one coding (``CodingFloor``) at
    another random place of the same pane, in the same loop, so that load on the machine hits
    both alike. Returns (coding times, floor times, settled times); the floor times are empty
    without *floor*.
    """
    return _add_coding_loop(window, document_id, reps, seed, coding=True, floor=floor)


def measure_add_coding_floor(window: MainWindow, document_id: int, reps: int,
                             seed: int) -> list[float]:
    """Only the floor of one coding (``CodingFloor``), *reps* times at random places of
    *document_id* in the first pane; the project is left unchanged. (run.py measures it
    interleaved with the codings: ``measure_add_coding(..., floor=True)``.)"""
    return _add_coding_loop(window, document_id, reps, seed, coding=False, floor=True)[1]


def measure_retrieve(window: MainWindow, code_id: int, reps: int) -> tuple[float, int]:
    """All segments of one code into the segments dock's model (and its first paint)."""
    dock = window.segments_dock

    def once() -> float:
        window.segments_dock.show_code(None if code_id != 0 else 1)
        dock.model.set_segments([], {}, {})
        QApplication.processEvents()
        start = time.perf_counter()
        window.segments_dock.show_code(code_id)
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


def measure_merge(corpus: Path, target_code: int, reps: int, codings: int = 10_000) -> float:
    """Milliseconds to merge a code with *codings* codings into another on corpus_1k
    (``MergeCodes.do``: one unit of work), on a fresh copy of the project each time."""
    import random
    import shutil

    from kzcoder.services.codebook.editing import add_code
    from kzcoder.services.codebook.tree import MergeCodes
    from kzcoder.services.codings import add_codings
    from kzcoder.services.documents import list_documents

    rng = random.Random(7)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(reps):
            path = Path(folder) / "merge.kzc"
            shutil.copy(corpus, path)
            with Project.open(path) as project:
                source = add_code(project, "Merge source", "#123456").value.id
                docs = list_documents(project)
                items = []
                for n in range(codings):
                    doc = docs[n % len(docs)]
                    start = rng.randrange(0, doc.length - 40)
                    items.append((doc.id, source, start, start + rng.randint(5, 40)))
                add_codings(project, items, coder="bench")
                began = time.perf_counter()
                MergeCodes(source, target_code).do(project)
                times.append(ms_since(began))
            for leftover in Path(folder).iterdir():
                leftover.unlink()
    return statistics.median(times)
