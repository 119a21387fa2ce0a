"""Codebook ▸ New sub-code… and ``kzcoder code-add --parent`` give a sub-code a colour plainly
apart from its parent's and siblings' (ΔE measured by tests/core/test_subcode_colors.py's own
CIE L*a*b* conversion)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from kzcoder.cli.main import main
from kzcoder.services.codebook.editing import list_codes
from tests.core.test_subcode_colors import delta_e


def test_a_sub_code_added_in_the_window_and_on_the_command_line(window, capfd, monkeypatch):
    session = window.session
    parent = next(c for c in session.codes.values() if c.name == "State justification")
    window.codebook_dock.select_code(parent.id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Foreign plot", True))
    assert window.codebook_actions.new_sub_code()
    child = next(c for c in session.codes.values() if c.name == "Foreign plot")
    assert child.parent_id == parent.id and delta_e(parent.color, child.color) >= 30
    assert main(["code-add", str(session.project.path), "Sacral leader", "--parent",
                 "State justification"]) == 0
    capfd.readouterr()
    second = {c.name: c for c in list_codes(session.project)}["Sacral leader"].color
    assert min(delta_e(parent.color, second), delta_e(child.color, second)) >= 30
