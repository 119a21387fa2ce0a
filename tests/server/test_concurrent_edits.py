"""Two coders on one project (a file opened twice, or a server database): codebook edits are
optimistic, and undo undoes only one's own change, on both backends."""

from __future__ import annotations

import pytest

from kzcoder.core.errors import KzError
from kzcoder.services.codebook import editing
from kzcoder.services.project import Project
from kzcoder.services.undoable import EditCode


@pytest.mark.parametrize("file_or_server", ["file", "server"], indirect=True)
def test_undo_refuses_when_someone_else_renamed_the_code_since(file_or_server):
    mine = file_or_server
    code = editing.add_code(mine, "Protest", "#AA0000").value
    with Project.open(mine.path) as theirs:
        rename = EditCode(code.id, name="Protests")
        rename.do(mine)
        editing.update_code(theirs, code.id, name="Street protest")  # someone else, meanwhile
        with pytest.raises(KzError, match="changed by someone else meanwhile .*'Street protest'"):
            rename.undo(mine)
    assert editing.get_code(mine, code.id).name == "Street protest"  # theirs is kept


@pytest.mark.parametrize("file_or_server", ["file", "server"], indirect=True)
def test_undo_and_redo_of_ones_own_rename_work_as_before(file_or_server):
    project = file_or_server
    code = editing.add_code(project, "Protest", "#AA0000").value
    rename = EditCode(code.id, name="Protests")
    rename.do(project)
    rename.undo(project)
    assert editing.get_code(project, code.id).name == "Protest"
    rename.do(project)
    assert editing.get_code(project, code.id).name == "Protests"


@pytest.mark.parametrize("file_or_server", ["file", "server"], indirect=True)
def test_an_edit_from_a_stale_view_is_refused(file_or_server):
    project = file_or_server
    seen = editing.add_code(project, "Protest", "#AA0000").value
    editing.update_code(project, seen.id, color="#00AA00")
    with pytest.raises(KzError, match="changed by someone else"):
        editing.update_code(project, seen.id, name="Mine", expected=seen)
    now = editing.get_code(project, seen.id)
    assert (now.name, now.color) == ("Protest", "#00AA00")


@pytest.mark.parametrize("file_or_server", ["file", "server"], indirect=True)
def test_a_memo_written_meanwhile_is_not_in_the_way_of_undo(file_or_server):
    project = file_or_server
    code = editing.add_code(project, "Protest", "#AA0000").value
    rename = EditCode(code.id, name="Protests")
    rename.do(project)
    from kzcoder.services import memos

    memos.set_memo(project, "code", code.id, "a note")
    assert editing.get_code(project, code.id).memo == "a note"
    rename.undo(project)
    assert editing.get_code(project, code.id).name == "Protest"
