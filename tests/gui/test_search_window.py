"""Search in the window, as a user does it: Ctrl+Shift+F and typing fill the keyword-in-
context table (checked against a regex over the stored texts), double-click opens the hit
selected and marked, *Code all hits as…* is one undo step, Ctrl+F finds in the active pane
with F3 to the next match, Word frequencies counts and a clicked word is searched."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from kzcoder.services import codings, documents
from kzcoder.services.search.words import stopwords


def texts(window) -> dict[int, str]:
    project = window.session.project
    return {i: documents.document_text(project, i) for i in window.session.documents}


def expected(window, word: str) -> list[tuple[int, int, int]]:
    return [(d, *m.span()) for d, text in sorted(texts(window).items())
            for m in re.finditer(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE)]


def search(qtbot, window, query: str):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dock = window.search_actions.dock
    assert dock.isVisible() and dock.query.hasFocus()
    dock.query.clear()
    qtbot.keyClicks(dock.query, query)
    qtbot.waitUntil(lambda: dock.status.text().endswith("document(s)"), timeout=10_000)
    return dock


def test_typing_a_query_lists_every_hit_in_context(qtbot, window):
    dock = search(qtbot, window, "bandits")
    hits = dock.hits()
    assert [(h.document_id, h.start, h.end) for h in hits] == expected(window, "bandits")
    assert len(hits) >= 2
    model = dock.proxy
    first = texts(window)[hits[0].document_id]
    assert model.index(0, 1).data() == first[hits[0].start:hits[0].end]
    assert model.index(0, 0).data() == " ".join(hits[0].left.split("\n"))
    # sortable: by document (column 3), descending
    dock.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    titles = [model.index(r, 3).data().casefold() for r in range(model.rowCount())]
    assert titles == sorted(titles, reverse=True)


def test_double_click_opens_the_hit_selected_and_marked(qtbot, window):
    dock = search(qtbot, window, "bandits")
    dock.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # a document not open yet
    hit = dock.hits()[0]
    assert window.workspace.pane_showing(hit.document_id) is None
    dock.view.scrollTo(dock.proxy.index(0, 1))
    rect = dock.view.visualRect(dock.proxy.index(0, 1))
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    pane = window.workspace.active_pane()
    assert pane.view.document_id == hit.document_id
    assert pane.view.selection_span() == (hit.start, hit.end)
    in_document = [h for h in dock.hits() if h.document_id == hit.document_id]
    assert len(pane.view.extraSelections()) == len(in_document)


def test_code_all_hits_is_one_undo_step(qtbot, window, monkeypatch):
    session = window.session
    code = session.code_list()[0]
    dock = search(qtbot, window, "protesters OR bandits")
    hits = dock.hits()
    before = sum(codings.code_counts(session.project).values())
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (code.name, True))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    steps = session.undo_stack.count()
    window.actions_named("actionCodeAllHits").trigger()
    assert asked == [f"Code {len(hits)} hit(s) as {code.name}: adds {len(hits)} coding(s). "
                     "One undo step."]
    assert sum(codings.code_counts(session.project).values()) == before + len(hits)
    assert session.undo_stack.count() == steps + 1
    window.actions_named("actionUndo").trigger()
    assert sum(codings.code_counts(session.project).values()) == before
    window.actions_named("actionRedo").trigger()
    assert sum(codings.code_counts(session.project).values()) == before + len(hits)
    # again: nothing to add, no question, no step
    window.actions_named("actionCodeAllHits").trigger()
    assert len(asked) == 1 and session.undo_stack.count() == steps + 1


def test_code_selected_hits_grown_to_sentences(qtbot, window, monkeypatch):
    session = window.session
    code = session.code_list()[0]
    dock = search(qtbot, window, "bandits")
    dock.set_expansion("sentence")
    dock.view.selectRow(0)
    hit = dock.selected_hits()[0]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (code.name, True))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Yes)
    window.actions_named("actionCodeSelectedHits").trigger()
    spans = codings.document_spans(session.project, hit.document_id)
    mine = [s for s in spans if s.code_id == code.id and s.start <= hit.start < s.end]
    assert mine, spans
    text = texts(window)[hit.document_id][mine[0].start:mine[0].end]
    assert "bandits" in text.lower() and "\n\n" not in text and text[-1] in ".!?”\""


def test_ctrl_f_finds_in_the_active_pane(qtbot, window):
    pane = window.workspace.active_pane()
    text = pane.view.stored_text
    word = max(re.findall(r"[A-Za-z]{6,}", text), key=lambda w: text.lower().count(w.lower()))
    matches = [m.span() for m in re.finditer(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE)]
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.search_actions.find_bar
    assert bar.isVisible()
    qtbot.waitUntil(bar.query.hasFocus, timeout=2000)
    bar.query.clear()
    qtbot.keyClicks(bar.query, word.upper())
    assert bar.matches == matches
    assert len(pane.view.extraSelections()) == len(matches)
    first = pane.view.selection_span()
    assert first in matches
    qtbot.keyClick(bar.query, Qt.Key.Key_F3)
    assert pane.view.selection_span() == matches[(matches.index(first) + 1) % len(matches)]
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.view.selection_span() == first
    qtbot.keyClick(bar.query, Qt.Key.Key_Escape)
    assert not bar.isVisible() and pane.view.extraSelections() == []


def test_word_frequencies_count_and_a_clicked_word_is_searched(qtbot, window):
    window.actions_named("actionWordFrequencies").trigger()
    words = window.search_actions.words
    qtbot.waitUntil(lambda: words.status.text().endswith("word(s)"), timeout=20_000)
    excluded = stopwords("en") | stopwords("ru") | stopwords("kk")
    plain = Counter(w for t in texts(window).values() for w in re.findall(r"\w+", t.lower())
                    if w not in excluded and not w.isdigit())
    top = words.model.rows[0]
    assert (top.word, top.count) == max(plain.items(), key=lambda kv: (kv[1], -ord(kv[0][0])))
    assert words.chart.series()
    index = words.proxy.index(0, 0)
    qtbot.mouseClick(words.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=words.table.visualRect(index).center())
    dock = window.search_actions.dock
    assert dock.query.text() == top.word
    qtbot.waitUntil(lambda: dock.status.text().endswith("document(s)"), timeout=10_000)
    assert len(dock.hits()) == top.count


def test_help_shows_the_search_syntax(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    window.actions_named("actionSearchSyntax").trigger()
    box = window.findChild(QMessageBox, "searchSyntaxDialog")
    qtbot.waitUntil(box.isVisible, timeout=2000)
    for example in ('"shoot to kill"', "OR", "-Almaty", "террор*", "Токаев", "(?i)"):
        assert example in box.text()
    box.close()
