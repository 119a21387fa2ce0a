"""Removals that undo exactly: several codings at once, a code with its sub-codes."""

import pytest

from kzcoder.core.errors import KzError
from kzcoder.services import memos
from kzcoder.services.codebook.editing import add_code, list_codes
from kzcoder.services.codings import add_coding, code_counts, codings_by_id
from kzcoder.services.removals import (
    DeleteCode,
    RemoveCodings,
    code_usage,
    delete_code,
)
from kzcoder.services.segments import list_segments


def _snapshot(project):
    """Every code and coding with everything that identifies it."""
    codes = sorted((c.guid, c.id, c.name, c.parent_id, c.color, c.description, c.shortcut,
                    c.position) for c in list_codes(project))
    ids = [s.id for s in list_segments(project)]
    codings = sorted(tuple(c) for c in codings_by_id(project, ids).values())
    return codes, codings


def test_deleting_a_code_takes_its_subtree_and_codings_and_undo_restores_all(sample_project):
    project = sample_project
    child = add_code(project, "Police", "#112233", parent="Force").value
    grandchild = add_code(project, "Riot police", "#445566", parent=child.id).value
    add_coding(project, 1, "Force", 0, 10, coder="ana", memo="why")
    add_coding(project, 2, child.id, 5, 9, coder="bo")
    add_coding(project, 2, grandchild.id, 6, 8, coder="ana")
    kept = add_coding(project, 1, "Dissent", 0, 4, coder="ana").value
    memos.set_memo(project, "code", "Force", "Analytic memo on force.")
    memos.set_memo(project, "code", child.id, "On the police.")
    before = _snapshot(project)
    assert code_usage(project, "Force") == (3, 2)

    command = DeleteCode(3, "Force")
    command.do(project)
    assert {c.name for c in list_codes(project)} == {
        "State justification", "Dissent", "International reaction"}
    assert [s.id for s in list_segments(project)] == [kept.id]
    command.undo(project)
    assert _snapshot(project) == before
    assert memos.get_memo(project, "code", "Force").text == "Analytic memo on force."
    command.do(project)  # redo
    command.undo(project)
    assert _snapshot(project) == before


def test_delete_code_reports_what_it_removed(sample_project):
    add_coding(sample_project, 1, "Force", 0, 10, coder="ana")
    result = delete_code(sample_project, "Force")
    assert [c.name for c in result.value.codes] == ["Force"]
    assert result.value.documents == 1
    assert result.changes.code_tree and len(result.changes.codings) == 1
    with pytest.raises(KzError, match="no code named or numbered 'Force'"):
        delete_code(sample_project, "Force")


def test_removing_several_codings_is_one_step_that_undoes_exactly(sample_project):
    project = sample_project
    ids = [add_coding(project, 1, code, start, start + 5, coder="ana", memo=memo).value.id
           for code, start, memo in ((1, 0, ""), (3, 10, "m"), (3, 20, ""))]
    before = _snapshot(project)
    command = RemoveCodings(tuple(ids[1:]))
    assert command.text == "Remove 2 codings"
    changes = command.do(project)
    assert changes.counts == {3: 0} and set(changes.segments.values()) == {None}
    assert code_counts(project) == {1: 1}
    command.undo(project)
    assert _snapshot(project) == before
    with pytest.raises(KzError, match="no coding numbered 999"):
        RemoveCodings((ids[0], 999)).do(project)
    assert _snapshot(project) == before  # nothing was removed


def test_deleting_a_code_can_lift_its_sub_codes_and_undo_puts_them_back(sample_project):
    project = sample_project
    child = add_code(project, "Police", "#112233", parent="Force").value
    add_code(project, "Army", "#445566", parent="Force")
    add_coding(project, 1, child.id, 0, 5, coder="ana")
    add_coding(project, 1, "Force", 10, 20, coder="ana")
    before = _snapshot(project)
    command = DeleteCode(3, "Force", lift_children=True)
    command.do(project)
    names = [c.name for c in list_codes(project) if c.parent_id is None]
    assert names == ["State justification", "Dissent", "Police", "Army",
                     "International reaction"]
    assert [s.code for s in list_segments(project)] == ["Police"]
    command.undo(project)
    assert _snapshot(project) == before
