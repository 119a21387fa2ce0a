"""Two coders on one project (a file opened twice, or a server database): codebook edits are
optimistic, and undo undoes only one's own change, on both backends."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- every codebook edit from a stale view: two clients on one project --------------------

def _two_clients(project):
    """(theirs, protest, police): a second connection to the project, and two codes as the
    first one sees them now."""
    protest = editing.add_code(project, "Protest", "#AA0000").value
    police = editing.add_code(project, "Police", "#0000AA").value
    return Project.open(project.path), protest, police


def _stale_refused(mine, theirs, protest, action) -> None:
    """*action* (by *mine*, from its view *protest*) after *theirs* renamed the code: one line
    saying so, nothing of theirs overwritten, the codebook exactly as they left it, and a
    ``changes`` naming the code for the view to reload."""
    from kzcoder.services.codebook.versions import StaleCode

    editing.update_code(theirs, protest.id, name="Street protest")
    before = editing.list_codes(theirs)
    with pytest.raises(StaleCode) as refused:
        action()
    message = str(refused.value)
    assert "\n" not in message and "'Protest'" in message and "'Street protest'" in message
    assert "changed by someone else meanwhile" in message
    assert protest.id in refused.value.changes.codes and refused.value.changes.code_tree
    assert editing.list_codes(mine) == before


@pytest.mark.parametrize("file_or_server", ["file", "server"], indirect=True)
@pytest.mark.parametrize("edit", ["rename", "recolour", "move", "merge", "delete"])
def test_every_codebook_edit_from_a_stale_view_is_refused(file_or_server, edit):
    from kzcoder.services.codebook.tree import MergeCodes, MoveCode
    from kzcoder.services.removals import DeleteCode

    mine, (theirs, protest, police) = file_or_server, _two_clients(file_or_server)
    actions = {
        "rename": lambda: EditCode(protest.id, name="Protests", seen=protest).do(mine),
        "recolour": lambda: EditCode(protest.id, color="#00AA00", seen=protest).do(mine),
        "move": lambda: MoveCode(protest.id, police.id, seen=protest).do(mine),
        "merge": lambda: MergeCodes(protest.id, police.id, seen=(protest, police)).do(mine),
        "delete": lambda: DeleteCode(protest.id, seen=protest).do(mine),
    }
    with theirs:
        _stale_refused(mine, theirs, protest, actions[edit])
        # the refused client looks again: from the fresh view the same edit goes through
        fresh = {c.id: c for c in editing.list_codes(mine)}
        again = {
            "rename": EditCode(protest.id, name="Protests", seen=fresh[protest.id]),
            "recolour": EditCode(protest.id, color="#00AA00", seen=fresh[protest.id]),
            "move": MoveCode(protest.id, police.id, seen=fresh[protest.id]),
            "merge": MergeCodes(protest.id, police.id, seen=(fresh[protest.id],
                                                             fresh[police.id])),
            "delete": DeleteCode(protest.id, seen=fresh[protest.id]),
        }[edit]
        again.do(mine)
        now = {c.id: c for c in editing.list_codes(theirs)}
        assert {"rename": lambda: now[protest.id].name == "Protests",
                "recolour": lambda: now[protest.id].color == "#00AA00",
                "move": lambda: now[protest.id].parent_id == police.id,
                "merge": lambda: protest.id not in now and police.id in now,
                "delete": lambda: protest.id not in now}[edit]()


OPS = st.lists(st.tuples(st.sampled_from(["refresh", "rename", "recolour"]),
                         st.integers(0, 1), st.integers(0, 1),
                         st.sampled_from(["#AA0000", "#00AA00", "#0000AA"])),
               min_size=1, max_size=12)


@pytest.mark.parametrize("file_or_server", ["file", "server"], indirect=True)
def test_optimistic_edits_follow_a_simple_model(file_or_server):
    """Two clients, each with its own view of two codes, edit from that view in any order:
    an edit goes through exactly when the client's view is the code as it is (the model: a
    dict per client and one for the project), and the project is always the model's."""
    from kzcoder.services.codebook.versions import StaleCode

    theirs = Project.open(file_or_server.path)
    clients = (file_or_server, theirs)
    names = iter(range(10**6))

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=OPS)
    def run(ops):
        codes = [editing.add_code(clients[0], f"code {next(names)}", "#AA0000").value.id
                 for _ in range(2)]
        project = {i: editing.get_code(clients[0], i) for i in codes}
        views = [dict(project), dict(project)]
        for op, who, which, color in ops:
            code_id = codes[which]
            if op == "refresh":
                views[who] = {i: editing.get_code(clients[who], i) for i in codes}
                continue
            change = {"name": f"code {next(names)}"} if op == "rename" else {"color": color}
            seen = views[who][code_id]
            fresh = seen == project[code_id]  # the model: nothing changed since it looked
            try:
                after = editing.update_code(clients[who], code_id, expected=seen,
                                            **change).value[1]
            except StaleCode:
                assert not fresh
            else:
                assert fresh
                project[code_id] = views[who][code_id] = after
            assert {i: editing.get_code(clients[1 - who], i) for i in codes} == project

    with theirs:
        run()
