"""Help ▸ Search syntax: the query language in the window's own words (docs/search.md says
the same at length)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

SYNTAX_HTML = """
<h3>Search syntax</h3>
<table cellspacing="6">
<tr><td><code>Kazakhstan terrorist</code></td><td>documents with both words (AND is implied;
<code>AND</code> may be written)</td></tr>
<tr><td><code>protesters OR bandits</code></td><td>documents with either</td></tr>
<tr><td><code>terrorist -Almaty</code>, <code>terrorist NOT Almaty</code></td>
<td>documents with the first word and not the second</td></tr>
<tr><td><code>(protesters OR bandits) Almaty</code></td><td>parentheses group</td></tr>
<tr><td><code>"shoot to kill"</code></td><td>an exact phrase (punctuation between its words
does not matter)</td></tr>
<tr><td><code>террор*</code></td><td>every word that begins so</td></tr>
</table>
<p>Operators are written in capitals; a lower-case <i>or</i> is a word. Case does not matter
in any script: Latin, Cyrillic, Kazakh (Қ/қ, Ә/ә...). Every occurrence of a word that is not
negated is a hit; the operators choose the documents.</p>
<p><b>Word forms</b> (Options): <i>terrorist</i> also finds <i>terrorists</i>;
<i>террористы</i> finds <i>террорист, террористах, ТЕРРОРИСТЫ</i> (Snowball stems, English
and Russian).<br><b>Name variants</b> (Search ▸ Name variants): spellings saved as one name
(Tokayev = Toqaev = Токаев = Тоқаев) are found together unless unticked.<br>
<b>Regular expression</b> (Options): a Python-style pattern over the raw text, case-sensitive
unless it starts with <code>(?i)</code>; one that runs away is stopped after 2 seconds.</p>
<p><b>Ctrl+F</b> finds in the active pane (F3, Shift+F3: next, previous; Escape closes);
<b>Ctrl+Shift+F</b> searches every document. <i>Code all hits as…</i> codes them, or the
word, sentence or paragraph around each, as one undo step.</p>
"""


def show_syntax(parent: QWidget) -> None:
    """Help ▸ Search syntax."""
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Search syntax", SYNTAX_HTML,
                      QMessageBox.StandardButton.Close, parent)
    box.setObjectName("searchSyntaxDialog")
    box.open()
