"""Moving and merging codes: the rules, and undo that restores exactly."""

import pytest

from kzcoder.core.errors import KzError
from kzcoder.services import memos
from kzcoder.services.codebook.editing import add_code, list_codes, update_code
from kzcoder.services.codebook.tree import MergeCodes, MoveCode, merge_codes, move_code
from kzcoder.services.codings import add_coding, codings_by_id
from kzcoder.services.segments import list_segments
from tests.services.test_undo_state_machine import snapshot


def _tree(project):
    names = {c.id: c.name for c in list_codes(project)}
    return [(c.name, names.get(c.parent_id)) for c in list_codes(project)]


def test_move_reparents_and_reorders_and_undo_restores(sample_project):
    project = sample_project
    before = snapshot(project)
    command = MoveCode(4, 3, 0)  # International reaction under Force
    command.do(project)
    assert ("International reaction", "Force") in _tree(project)
    MoveCode(2, None, 0).do(project)  # Dissent first among the roots
    assert [name for name, parent in _tree(project) if parent is None][0] == "Dissent"
    command.undo(project)
    with pytest.raises(KzError, match="cannot move under itself"):
        move_code(project, 3, 3)
    assert snapshot(project) != before  # Dissent's move is still there


def test_a_code_cannot_move_under_its_descendant_or_beside_a_namesake(sample_project):
    child = add_code(sample_project, "Police", "#112233", parent="Force").value
    with pytest.raises(KzError, match="under itself or one of its sub-codes"):
        move_code(sample_project, "Force", child.id)
    add_code(sample_project, "Police", "#445566")
    with pytest.raises(KzError, match="a code named 'Police' already exists there"):
        move_code(sample_project, child.id, None)


def test_merge_moves_codings_collapses_twins_and_undo_restores_exactly(sample_project):
    project = sample_project
    update_code(project, "Dissent", description="Protest.")
    update_code(project, "Force", description="Violence.")
    memos.set_memo(project, "code", "Dissent", "Dissent memo.")
    memos.set_memo(project, "code", "Force", "Force memo.")
    child = add_code(project, "Strikes", "#112233", parent="Dissent").value
    older = add_coding(project, 1, "Dissent", 0, 10, coder="ana", memo="first").value
    newer = add_coding(project, 1, "Force", 0, 10, coder="ana", memo="second").value
    other = add_coding(project, 1, "Force", 0, 10, coder="bo").value  # another coder: stays
    add_coding(project, 2, "Dissent", 5, 9, coder="ana")
    before = snapshot(project)

    command = MergeCodes(2, 3)  # Dissent into Force
    changes = command.do(project)
    assert command.merged.collapsed == 1
    kept = codings_by_id(project, [older.id, newer.id, other.id])
    assert set(kept) == {older.id, other.id}  # the older GUID survives the collapse
    assert kept[older.id].code_id == 3 and kept[older.id].memo == "first\n\nsecond"
    assert ("Strikes", "Force") in _tree(project) and "Dissent" not in dict(_tree(project))
    assert [c for c in list_codes(project) if c.id == 3][0].description == (
        "Violence.\n\nProtest.")
    assert memos.get_memo(project, "code", "Force").text == "Force memo.\n\nDissent memo."
    assert changes.counts == {3: 3}
    assert len(list_segments(project, code="Force")) == 3
    command.undo(project)
    assert snapshot(project) == before
    command.do(project)
    command.undo(project)
    assert snapshot(project) == before
    assert child.id in {c.id for c in list_codes(project)}


def test_merge_refusals_change_nothing(sample_project):
    child = add_code(sample_project, "Police", "#112233", parent="Force").value
    add_code(sample_project, "Police", "#445566", parent="Dissent")
    before = snapshot(sample_project)
    for source, target, message in ((3, 3, "into itself"), (3, child.id, "its own sub-code"),
                                    (3, 2, "already has a sub-code named 'Police'")):
        with pytest.raises(KzError, match=message):
            merge_codes(sample_project, source, target)
        assert snapshot(sample_project) == before


def test_merge_puts_the_target_in_the_sources_code_sets_and_undo_takes_it_out(sample_project):
    from kzcoder.services import code_sets

    a = add_code(sample_project, "Arrests", "#111111").value.id
    b = add_code(sample_project, "Detentions", "#222222").value.id
    other = add_code(sample_project, "Curfews", "#333333").value.id
    code_sets.add_code_set(sample_project, "Repression", [a, other])
    code_sets.add_code_set(sample_project, "Both", [a, b])
    code_sets.add_code_set(sample_project, "Target only", [b])
    before = snapshot(sample_project)

    def members() -> dict[str, set[int]]:
        return {s.name: set(s.codes) for s in code_sets.list_code_sets(sample_project)}

    command = MergeCodes(a, b)
    command.do(sample_project)
    assert members() == {"Repression": {b, other}, "Both": {b}, "Target only": {b}}
    command.undo(sample_project)
    assert members() == {"Repression": {a, other}, "Both": {a, b}, "Target only": {b}}
    assert snapshot(sample_project) == before
