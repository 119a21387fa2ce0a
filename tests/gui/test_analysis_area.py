"""The analysis area in the real window, offscreen: Analysis ▸ Code matrix and Co-occurrence
open tabs of one dock; the table holds what the segments hold; a new coding (and its undo)
updates the open matrix; a clicked cell lists its segments; the filter bar says how many
documents it keeps; Export writes CSV, XLSX, PNG and SVG."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtCore import Qt

from kzcoder.services import documents as document_service
from kzcoder.services.project import Project
from kzcoder.services.segments import list_segments
from kzcoder.services.undoable import AddCoding
from tests.analysis_corpus import code_by_keywords
from tests.gui.conftest import open_window


@pytest.fixture
def coded_window(qtbot, sample_path):
    with Project.open(sample_path) as project:
        code_by_keywords(project)
    win = open_window(qtbot, sample_path)
    yield win
    if win.session is not None and win.isVisible():
        win.close()


def _years(project):
    return {d.id: d.published[:4] for d in document_service.list_documents(project)}


def _table(tab):
    model = tab.model
    return {(model.labels[r], model.columns[c]): model.values[r][c]
            for r in range(len(model.labels)) for c in range(len(model.columns))}


def test_matrix_tab_by_year_counts_the_segments_and_follows_a_coding(coded_window, qtbot):
    window = coded_window
    window.actions_named("actionCodeMatrix").trigger()
    dock = window.analysis_dock
    assert dock.isVisible() and dock.tabs.count() == 1
    tab = dock.matrix_tab
    tab.by.setCurrentIndex(tab.by.findData("published:year"))
    project = window.session.project
    years = _years(project)
    expected = Counter((s.code, years[s.document_id]) for s in list_segments(project))
    found = _table(tab)
    assert found == {(label, year): expected[(label.split(" / ")[-1], year)]
                     for label, year in found}
    assert tab.model.columns == ["2005", "2011", "2022"]
    total_row = tab.model.rowCount() - 1
    assert tab.model.value(total_row, 0) == sum(v for (_l, y), v in found.items() if y == "2005")

    # a new coding in a 2005 document: the open matrix follows, and its undo too
    codes = {c.name: c.id for c in window.session.codes.values()}
    doc_2005 = next(i for i, y in years.items() if y == "2005")
    before = _table(tab)[("Dissent", "2005")]
    window.session.run_command(AddCoding(doc_2005, codes["Dissent"], 0, 10, "tester"))
    qtbot.waitUntil(lambda: _table(tab)[("Dissent", "2005")] == before + 1, timeout=3000)
    window.actions_named("actionUndo").trigger()
    qtbot.waitUntil(lambda: _table(tab)[("Dissent", "2005")] == before, timeout=3000)


def test_a_clicked_cell_lists_its_segments(coded_window, qtbot):
    window = coded_window
    window.actions_named("actionCodeMatrix").trigger()
    tab = window.analysis_dock.matrix_tab
    tab.by.setCurrentIndex(tab.by.findData("published:year"))
    tab.rollup.setChecked(True)
    row = tab.model.labels.index("Force")
    column = tab.model.columns.index("2022")
    index = tab.proxy.mapFromSource(tab.model.index(row, column))
    tab.view.scrollTo(index)
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.view.visualRect(index).center())
    years = _years(window.session.project)
    expected = [s for s in list_segments(window.session.project)
                if s.code in ("Force", "Shooting") and years[s.document_id] == "2022"]
    shown = window.segments_dock.model
    qtbot.waitUntil(lambda: shown.rowCount() == len(expected), timeout=3000)
    assert [shown.segment(i).id for i in range(shown.rowCount())] == [s.id for s in expected]
    assert "Force × 2022" in window.segments_dock.scope.text()


def test_filter_bar_and_sets_scope_every_tab(coded_window, qtbot):
    window = coded_window
    window.actions_named("actionCooccurrence").trigger()
    window.actions_named("actionCodeMatrix").trigger()
    dock = window.analysis_dock
    assert dock.tabs.count() == 2
    assert dock.kept.text() == "5 of 5 documents"
    dock.where.setText("published=2005..2011")
    qtbot.keyClick(dock.where, Qt.Key.Key_Return)
    assert dock.kept.text() == "2 of 5 documents"
    assert len(dock.matrix_tab.model.columns) == 2  # by document: the two kept
    dock.tabs.setCurrentWidget(dock.cooccurrence_tab)
    project = window.session.project
    kept = {i for i, y in _years(project).items() if y <= "2011"}
    segments = [s for s in list_segments(project) if s.document_id in kept]
    diagonal = [dock.cooccurrence_tab.model.values[i][i]
                for i in range(len(dock.cooccurrence_tab.model.labels))]
    names = dock.cooccurrence_tab.model.labels
    assert diagonal == [sum(1 for s in segments if s.code == n) for n in names]
    dock.where.setText("nope=1")
    qtbot.keyClick(dock.where, Qt.Key.Key_Return)
    assert dock.kept.text() == "filter not applied"

    from kzcoder.services.analysis import sets

    window.session.run(sets.add_static_set, "two", sorted(kept))
    assert dock.docset.findData("two") > 0
    dock.where.setText("")
    dock.docset.setCurrentIndex(dock.docset.findData("two"))
    assert dock.kept.text() == "2 of 5 documents"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "png", "svg"])
def test_export_writes_the_table_or_the_chart(coded_window, tmp_path, fmt):
    window = coded_window
    window.actions_named("actionCodeMatrix").trigger()
    tab = window.analysis_dock.matrix_tab
    tab.by.setCurrentIndex(tab.by.findData("published:year"))
    out = tmp_path / f"matrix.{fmt}"
    assert tab.export_to(out, fmt)
    data = out.read_bytes()
    if fmt == "csv":
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0] == "code,2005,2011,2022"
        assert len(lines) == 1 + len(tab.model.labels)
    elif fmt == "svg":
        assert b"International reaction" in data and b"2022" in data
    elif fmt == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert data[:2] == b"PK"


def test_closing_a_tab_and_reopening_it(coded_window):
    window = coded_window
    window.actions_named("actionCodeMatrix").trigger()
    dock = window.analysis_dock
    dock.tabs.tabCloseRequested.emit(0)
    assert dock.tabs.count() == 0 and dock.matrix_tab is None
    window.actions_named("actionCodeMatrix").trigger()
    assert dock.tabs.count() == 1 and dock.matrix_tab.model.rowCount() > 0


def test_save_the_filter_as_a_set(coded_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from kzcoder.services.analysis import sets

    window = coded_window
    window.actions_named("actionCodeMatrix").trigger()
    dock = window.analysis_dock
    dock.where.setText("published=2022")
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("recent", True))
    qtbot.mouseClick(dock.save_set, Qt.MouseButton.LeftButton)
    found = {s.name: s for s in sets.list_sets(window.session.project)}
    assert found["recent"].conditions == ("published=2022",)
    assert dock.docset.currentData() == "recent" and dock.where.text() == ""
    assert dock.kept.text() == f"{len(found['recent'].documents)} of 5 documents"


def test_the_active_filter_scopes_documents_segments_and_search_too(coded_window, qtbot):
    """The filter typed in the analysis area is the window's: the Documents list, Coded
    segments and the Search dock keep only its documents, and each says so."""
    window = coded_window
    window.actions_named("actionCodeMatrix").trigger()
    dock = window.analysis_dock
    project = window.session.project
    kept = {i for i, y in _years(project).items() if y <= "2011"}
    window.segments_dock.show_code(None)  # Show all codes
    everything = window.segments_dock.proxy.rowCount()
    dock.where.setText("published=2005..2011")
    qtbot.keyClick(dock.where, Qt.Key.Key_Return)

    documents = window.documents_dock
    listed = {documents.view.model().index(r, 0).data(Qt.ItemDataRole.UserRole)
              for r in range(documents.view.model().rowCount())}
    assert listed == kept
    assert documents.windowTitle() == "Documents: 2 of 5 (filtered in Analysis)"

    segments = window.segments_dock
    shown = sorted(segments.model.segment(segments.proxy.mapToSource(
        segments.proxy.index(r, 0)).row()).id for r in range(segments.proxy.rowCount()))
    expected = sorted(s.id for s in list_segments(project) if s.document_id in kept)
    assert shown == expected and len(shown) < everything
    assert segments.scope.text().endswith(f"{len(expected)} of {everything} segment(s) in "
                                          "the filtered documents")

    search = window.search_actions.dock
    search.set_query("the")
    search.wait()
    hits = search.model.hits
    assert hits and {h.document_id for h in hits} <= kept

    dock.where.setText("")
    qtbot.keyClick(dock.where, Qt.Key.Key_Return)
    assert documents.windowTitle() == "Documents"
    assert segments.proxy.rowCount() == everything


def test_word_frequencies_are_a_tab_that_counts_in_the_filtered_documents(coded_window, qtbot):
    from collections import Counter as Count

    from kzcoder.services.search.words import word_frequencies

    window = coded_window
    window.actions_named("actionAnalysisWords").trigger()
    dock = window.analysis_dock
    assert dock.tabs.currentWidget() is dock.words_tab
    assert dock.tabs.tabText(dock.tabs.currentIndex()) == "Word frequencies"
    view = dock.words_tab.view
    view.wait()
    project = window.session.project
    everywhere = {r.word: r.count for r in view.model.rows}
    assert everywhere == {w.word: w.count for w in word_frequencies(project, top=200)}

    dock.where.setText("published=2005..2011")
    qtbot.keyClick(dock.where, Qt.Key.Key_Return)
    view.wait()
    kept = {i for i, y in _years(project).items() if y <= "2011"}
    filtered = {r.word: r.count for r in view.model.rows}
    assert filtered == {w.word: w.count
                        for w in word_frequencies(project, top=200, documents=kept)}
    assert filtered != everywhere and view.status.text().endswith("in the filtered documents")
    # an independent count of one frequent word in the kept texts
    word, count = next(iter(filtered.items()))
    texts = [document_service.document_text(project, i) for i in kept]
    assert count == sum(Count(re.findall(r"[^\W_]+", t.lower()))[word] for t in texts)


def test_the_filter_bar_over_documents_is_the_active_filter(coded_window, qtbot):
    window = coded_window
    documents = window.documents_dock
    qtbot.keyClicks(documents.filter_bar, "published=2005..2011")
    qtbot.keyClick(documents.filter_bar, Qt.Key.Key_Return)
    project = window.session.project
    kept = {i for i, y in _years(project).items() if y <= "2011"}
    assert window.filtered_documents == kept
    assert documents.windowTitle() == "Documents: 2 of 5 (filtered in Analysis)"
    assert window.analysis_dock.where.text() == "published=2005..2011"
    documents.filter_bar.clear()
    qtbot.keyClick(documents.filter_bar, Qt.Key.Key_Return)
    assert window.filtered_documents is None and documents.windowTitle() == "Documents"
    qtbot.keyClicks(documents.filter_bar, "banana=1")
    qtbot.keyClick(documents.filter_bar, Qt.Key.Key_Return)
    assert window.filtered_documents is None  # refused in one line, nothing filtered


@pytest.mark.parametrize("fmt", ["csv", "png", "svg"])
def test_the_word_frequencies_tab_exports_its_table_and_chart(coded_window, tmp_path, fmt):
    import csv

    window = coded_window
    window.actions_named("actionAnalysisWords").trigger()
    tab = window.analysis_dock.words_tab
    tab.view.wait()
    path = tmp_path / f"words.{fmt}"
    assert tab.export_to(path, fmt)
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == ["word", "count", "documents"]
        assert [(r[0], int(r[1])) for r in rows[1:]] == [(w.word, w.count)
                                                         for w in tab.view.model.rows]
    elif fmt == "svg":
        assert tab.view.model.rows[0].word in path.read_text(encoding="utf-8")
    else:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
